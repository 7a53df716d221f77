"""Retention of message bodies: one rule per message type, ``message_body:<type>``.

A body is erased (the envelope row stays: who, when, which type, which reference, the SHA-256
of the body) when the first of these comes:

- protocol types: the exchange is complete (an outgoing message delivered, an incoming one
  processed); what they carried lives in federation's own tables;
- domain types: ``BodyRetention.keep_for`` has passed, the message's own erase date has come
  (``dates``), or the node no longer holds the data it is about (``held``).

A body whose type masks its data is swapped for its masked form (sealed when the message was
recorded) on the message's mask date. Messages still in the outbox are left alone until their
longest period has passed. Audit entries never contain bodies, so the chain still verifies.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from passerelle.errors import ConfigurationError
from passerelle.federation import items, messages, outbox, rules
from passerelle.federation.model import FollowupRequest, Message, Outgoing
from passerelle.privacy import FieldCipher, Operation, RetentionRule

BATCH = 2000


def _erase(row: Message, now: datetime) -> None:
    row.body, row.body_masked, row.body_erased_at = None, None, now


def _protocol_erase(name: str) -> Operation:
    def erase(session: Session, cutoff: datetime) -> int:
        rows = session.scalars(
            select(Message)
            .where(
                Message.type == name,
                Message.body.is_not(None),
                Message.created_at <= cutoff,
                or_(Message.direction == "in", Message.status == "delivered"),
            )
            .limit(BATCH)
        ).all()
        for row in rows:
            _erase(row, cutoff)
        return len(rows)

    return erase


def _in_flight(row: Message) -> bool:
    return row.direction == "out" and row.status in outbox.OUTGOING_OPEN


def _domain_erase(mtype: messages.MessageType) -> Operation:
    keep_for = mtype.retention.keep_for

    def erase_batch(session: Session, rows: list[Message], cutoff: datetime) -> int:
        now = cutoff + keep_for
        held: set[str] | None = None
        if mtype.retention.held is not None:
            refs = sorted({r.reference for r in rows if r.reference})
            held = set(mtype.retention.held(session, refs)) if refs else set()
        count = 0
        for row in rows:
            expired = row.created_at < cutoff
            due = (
                expired
                or (row.body_delete_at is not None and row.body_delete_at <= now)
                or (held is not None and bool(row.reference) and row.reference not in held)
            )
            if due and (expired or not _in_flight(row)):
                _erase(row, now)
                count += 1
        return count

    def erase_drafts(session: Session, cutoff: datetime) -> int:
        now = cutoff + keep_for
        drafts = session.scalars(
            select(Outgoing).where(Outgoing.message_type == mtype.name, Outgoing.body.is_not(None))
        ).all()
        held: set[str] | None = None
        if mtype.retention.held is not None and drafts:
            held = set(mtype.retention.held(session, sorted({d.reference for d in drafts})))
        count = 0
        for draft in drafts:
            if draft.requested_at < cutoff or (held is not None and draft.reference not in held):
                draft.body, draft.status = None, "refused"
                draft.decided_by, draft.decided_at = "retention", now
                draft.reason = "the data it carried is no longer held here (retention)"
                count += 1
        return count

    def erase(session: Session, cutoff: datetime) -> int:
        count, last = 0, 0
        while True:
            rows = list(
                session.scalars(
                    select(Message)
                    .where(Message.type == mtype.name, Message.body.is_not(None), Message.id > last)
                    .order_by(Message.id)
                    .limit(BATCH)
                )
            )
            if not rows:
                break
            count += erase_batch(session, rows, cutoff)
            last = rows[-1].id
        return count + erase_drafts(session, cutoff)

    return erase


def _domain_mask(mtype: messages.MessageType) -> Operation:
    def mask(session: Session, cutoff: datetime) -> int:
        rows = session.scalars(
            select(Message)
            .where(
                Message.type == mtype.name,
                Message.body.is_not(None),
                Message.body_masked.is_not(None),
                Message.body_masked_at.is_(None),
                Message.body_mask_at <= cutoff,
            )
            .limit(BATCH)
        ).all()
        count = 0
        for row in rows:
            if _in_flight(row):
                continue
            row.body, row.body_masked, row.body_masked_at = row.body_masked, None, cutoff
            count += 1
        return count

    return mask


def body_rules() -> list[RetentionRule]:
    """One rule per message type known to this node (protocol types, then domain types)."""
    found = [
        RetentionRule(
            data_class=f"message_body:{name}",
            description=f"Bodies of {name} messages are erased once the exchange is complete; "
            "the envelope stays.",
            source=rules.PROTOCOL_BODY_SOURCE,
            delete_after=rules.PROTOCOL_BODY_RETENTION,
            delete=_protocol_erase(name),
        )
        for name in rules.PROTOCOL_TYPES
    ]
    for mtype in messages.message_types():
        kept = mtype.retention
        found.append(
            RetentionRule(
                data_class=f"message_body:{mtype.name}",
                description=kept.description
                or f"Bodies of {mtype.name} messages, kept no longer than the data they carry.",
                source=kept.source,
                delete_after=kept.keep_for,
                delete=_domain_erase(mtype),
                mask_after=timedelta(0) if kept.mask is not None else None,
                mask=_domain_mask(mtype) if kept.mask is not None else None,
            )
        )
    return found


CipherOf = Callable[[], FieldCipher]


def _no_cipher() -> FieldCipher:
    raise ConfigurationError("follow-up data retention runs on a node (its field key)")


def _erase_items(cipher_of: CipherOf, direction: str, kinds: list[str], exclude: bool) -> Operation:
    def erase(session: Session, cutoff: datetime) -> int:
        kind_filter = (
            FollowupRequest.kind.not_in(kinds) if exclude else FollowupRequest.kind.in_(kinds)
        )
        rows = session.scalars(
            select(FollowupRequest)
            .where(
                FollowupRequest.direction == direction,
                FollowupRequest.status == "approved",
                FollowupRequest.items_erased_at.is_(None),
                FollowupRequest.decided_at <= cutoff,
                kind_filter,
            )
            .limit(BATCH)
        ).all()
        cipher = cipher_of() if rows else None
        for row in rows:
            assert cipher is not None
            items.erase_values(cipher, row, cutoff)
        return len(rows)

    return erase


def items_rules(cipher_of: CipherOf = _no_cipher) -> list[RetentionRule]:
    """``followup_items:released`` (values this node released) and one
    ``followup_items:<kind>`` rule per kind for values received (``*``: other kinds)."""
    released = rules.FOLLOWUP_RELEASED_RETENTION
    found = [
        RetentionRule(
            data_class="followup_items:released",
            description=released.description,
            source=released.source,
            delete_after=released.keep_for,
            delete=_erase_items(cipher_of, "in", [], exclude=True),
        )
    ]
    named = [k for k in rules.FOLLOWUP_RECEIVED_RETENTION if k != "*"]
    for name, kept in rules.FOLLOWUP_RECEIVED_RETENTION.items():
        found.append(
            RetentionRule(
                data_class=f"followup_items:{name}",
                description=kept.description,
                source=kept.source,
                delete_after=kept.keep_for,
                delete=_erase_items(
                    cipher_of, "out", named if name == "*" else [name], exclude=name == "*"
                ),
            )
        )
    return found
