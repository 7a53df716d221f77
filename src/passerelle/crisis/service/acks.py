"""Acknowledgement tracking per recipient, and escalation when an ack does not come in time.

Each peer a message is sent to gets a :class:`Recipient` row with its deadline (by severity,
``rules.ACK_WITHIN``). A CAP Ack from that peer closes it. The escalation job (run by the
server every ``PASSERELLE_CRISIS_ESCALATION_POLL_SECONDS``, and by ``passerelle crisis
escalate``) records an :class:`Escalation` for every deadline passed, then repeats every
``rules.ESCALATION_REPEAT`` up to ``rules.ESCALATION_MAX_LEVEL``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.crisis import cap, rules
from passerelle.crisis.model import CapMessage, Escalation, Recipient
from passerelle.crisis.service import store
from passerelle.node import Node
from passerelle.privacy import audit

log = logging.getLogger("passerelle.crisis")


def ack_within(severity: str) -> timedelta:
    return rules.ACK_WITHIN.get(severity, rules.ACK_WITHIN["Unknown"])


def add_recipient(
    session: Session,
    node: Node,
    message: CapMessage,
    peer: str,
    *,
    envelope_id: str,
    within: timedelta | None = None,
) -> Recipient:
    now = node.clock.now()
    due = now + (within if within is not None else ack_within(message.severity))
    row = Recipient(
        message_id=message.id,
        peer=peer,
        envelope_id=envelope_id,
        sent_at=now,
        ack_due_at=due,
        next_escalation_at=due,
        escalation_level=0,
    )
    session.add(row)
    session.flush()
    return row


def recipients(session: Session, message_id: str) -> list[Recipient]:
    return list(
        session.scalars(
            select(Recipient).where(Recipient.message_id == message_id).order_by(Recipient.peer)
        )
    )


def apply_ack(session: Session, node: Node, ack: CapMessage, peer: str) -> list[Recipient]:
    """Close the recipients of the messages a peer's Ack refers to; resolve their escalations."""
    refs = [cap.Reference(*r.split(",", 2)) for r in ack.references]
    closed = []
    for message in store.referenced(session, refs):
        row = session.scalars(
            select(Recipient).where(Recipient.message_id == message.id, Recipient.peer == peer)
        ).first()
        if row is None or row.acked_at is not None:
            continue
        now = node.clock.now()
        row.acked_at, row.ack_message_id, row.next_escalation_at = now, ack.id, None
        for esc in session.scalars(
            select(Escalation).where(
                Escalation.recipient_id == row.id, Escalation.resolved_at.is_(None)
            )
        ):
            esc.resolved_at = now
        closed.append(row)
    return closed


def escalate_due(session: Session, node: Node) -> list[Escalation]:
    """Fire every escalation whose deadline has passed (idempotent at a given instant)."""
    now = node.clock.now()
    due = list(
        session.scalars(
            select(Recipient)
            .where(
                Recipient.acked_at.is_(None),
                Recipient.next_escalation_at.isnot(None),
                Recipient.next_escalation_at <= now,
            )
            .order_by(Recipient.next_escalation_at)
            .with_for_update(skip_locked=True)
        )
    )
    fired = []
    for row in due:
        deadline = row.next_escalation_at or row.ack_due_at
        row.escalation_level += 1
        row.escalated_at = now
        row.next_escalation_at = (
            deadline + rules.ESCALATION_REPEAT
            if row.escalation_level < rules.ESCALATION_MAX_LEVEL
            else None
        )
        esc = Escalation(
            recipient_id=row.id,
            message_id=row.message_id,
            peer=row.peer,
            level=row.escalation_level,
            due_at=deadline,
            fired_at=now,
        )
        session.add(esc)
        audit.record(
            session,
            node=node.code,
            actor=audit.SYSTEM,
            action="write",
            object_type="crisis.escalation",
            object_id=row.message_id,
            purpose=rules.PURPOSE,
            legal_basis=rules.ACK_SOURCE,
            details={"peer": row.peer, "level": row.escalation_level},
            now=now,
        )
        log.warning(
            "crisis message %s not acknowledged by %s (escalation level %d)",
            row.message_id,
            row.peer,
            row.escalation_level,
        )
        fired.append(esc)
    session.flush()
    return fired


def open_escalations(session: Session) -> list[tuple[Escalation, CapMessage]]:
    rows = session.execute(
        select(Escalation, CapMessage)
        .join(CapMessage, CapMessage.id == Escalation.message_id)
        .where(Escalation.resolved_at.is_(None))
        .order_by(Escalation.fired_at.desc())
    )
    return [(e, m) for e, m in rows]


def next_deadline(session: Session) -> datetime | None:
    return session.scalars(
        select(Recipient.next_escalation_at)
        .where(Recipient.acked_at.is_(None), Recipient.next_escalation_at.isnot(None))
        .order_by(Recipient.next_escalation_at)
        .limit(1)
    ).first()


def run_once(node: Node) -> tuple[int, datetime | None]:
    """One pass of the job: escalations fired, and the next deadline to wake up for."""
    with node.session() as session:
        fired = len(escalate_due(session, node))
        return fired, next_deadline(session)


async def scheduler(node: Node, interval: float) -> None:
    """The escalation job: check deadlines every ``interval`` seconds, sooner when one is due."""
    while True:
        try:
            _, upcoming = await asyncio.to_thread(run_once, node)
        except Exception:  # a failed pass is logged and retried at the next tick
            log.exception("crisis escalation pass failed")
            upcoming = None
        wait = interval
        if upcoming is not None:
            wait = min(interval, max((upcoming - node.clock.now()).total_seconds(), 0.01))
        await asyncio.sleep(wait)
