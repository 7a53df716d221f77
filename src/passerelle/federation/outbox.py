"""The durable outbox: every outgoing message is a row before it is a request.

A message is written in the same transaction as the act that causes it, so a crash can never
leave an act without its message. Delivery claims a row with a lease (so two workers never send
it at once), and records success or schedules the next attempt with exponential back-off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound
from passerelle.federation import bodies, rules
from passerelle.federation import envelope as env
from passerelle.federation.model import Message, Peer
from passerelle.federation.schemas import Envelope
from passerelle.privacy import FieldCipher

OUTGOING_OPEN = ("pending", "sending")


def enqueue(session: Session, message: Envelope, *, now: datetime, cipher: FieldCipher) -> Message:
    """Store ``message`` for delivery, due at once (its body encrypted at rest)."""
    row = Message(
        message_id=message.id,
        direction="out",
        peer=message.recipient,
        type=message.type,
        case_ref=message.case_ref,
        created_at=now,
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    bodies.seal(cipher, row, env.encode(message))
    session.add(row)
    session.flush()
    return row


def backoff(attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: doubling from RETRY_FIRST, capped."""
    seconds = rules.RETRY_FIRST.total_seconds() * rules.RETRY_FACTOR ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), rules.RETRY_MAX_DELAY)


def due_ids(session: Session, *, now: datetime, limit: int = 50) -> list[int]:
    """Outgoing messages whose next attempt is due (including leases that ran out)."""
    return list(
        session.scalars(
            select(Message.id)
            .where(
                Message.direction == "out",
                Message.status.in_(OUTGOING_OPEN),
                Message.next_attempt_at <= now,
            )
            .order_by(Message.next_attempt_at, Message.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class Claim:
    row_id: int
    message_id: str
    peer: str
    url: str
    public_key: str
    body: bytes
    attempt: int


def claim(
    session: Session, row_id: int, *, now: datetime, lease: timedelta, cipher: FieldCipher
) -> Claim | None:
    """Take ``row_id`` for one delivery attempt, or None if it is not due or someone holds it."""
    row = session.scalars(
        select(Message)
        .where(
            Message.id == row_id,
            Message.direction == "out",
            Message.status.in_(OUTGOING_OPEN),
            Message.next_attempt_at <= now,
        )
        .with_for_update(skip_locked=True)
    ).first()
    if row is None:
        return None
    peer = session.get(Peer, row.peer)
    if peer is None:
        row.status, row.last_error = "failed", f"{row.peer} is not a registered peer"
        return None
    if row.body is None:
        row.status, row.last_error = "failed", "the body was erased by retention before delivery"
        return None
    row.status = "sending"
    row.attempts += 1
    row.next_attempt_at = now + lease
    body = bodies.open_body(cipher, row).encode()
    return Claim(row.id, row.message_id, row.peer, peer.url, peer.public_key, body, row.attempts)


def mark_delivered(session: Session, row_id: int, *, now: datetime) -> Message:
    row = session.get(Message, row_id)
    if row is None:  # pragma: no cover - rows are never deleted while being delivered
        raise NotFound(f"outbox message {row_id} vanished")
    row.status, row.delivered_at, row.next_attempt_at, row.last_error = (
        "delivered",
        now,
        None,
        None,
    )
    peer = session.get(Peer, row.peer)
    if peer is not None:
        peer.last_ok_at = now
    return row


def mark_failed(
    session: Session, row_id: int, error: str, *, now: datetime, permanent: bool = False
) -> Message:
    """Record a failed attempt: retry later with back-off, or park the message as failed."""
    row = session.get(Message, row_id)
    if row is None:  # pragma: no cover
        raise NotFound(f"outbox message {row_id} vanished")
    row.last_error = error[:300]
    if permanent or row.attempts >= rules.RETRY_MAX_ATTEMPTS:
        row.status, row.next_attempt_at = "failed", None
    else:
        row.status, row.next_attempt_at = "pending", now + backoff(row.attempts)
    peer = session.get(Peer, row.peer)
    if peer is not None:
        peer.last_error, peer.last_error_at = error[:300], now
    return row


def listing(
    session: Session, *, include_delivered: bool = False, limit: int = 200
) -> list[Message]:
    conditions = [Message.direction == "out"]
    if not include_delivered:
        conditions.append(Message.status != "delivered")
    return list(
        session.scalars(select(Message).where(*conditions).order_by(Message.id.desc()).limit(limit))
    )


def retry(session: Session, *, now: datetime, message_id: str | None = None) -> list[int]:
    """Make failed or waiting messages due now (all, or one by message id)."""
    conditions = [Message.direction == "out", Message.status.in_(("pending", "failed"))]
    if message_id is not None:
        conditions.append(or_(Message.message_id == message_id))
    rows = list(session.scalars(select(Message).where(*conditions)))
    if message_id is not None and not rows:
        raise NotFound(f"no undelivered outgoing message {message_id}")
    for row in rows:
        row.status, row.next_attempt_at = "pending", now
    return [row.id for row in rows]
