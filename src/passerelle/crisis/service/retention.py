"""Retention of every crisis record class, registered with the privacy framework.

An incident's messages go together: once nothing was sent or received in a thread for the
period, the whole thread is deleted (its recipients and escalations with it). Messages that name
people go sooner. Quarantined documents and feed records have their own periods.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from passerelle.crisis import rules
from passerelle.crisis.model import CapMessage, Escalation, Feed, Quarantine, Recipient
from passerelle.privacy import RetentionRule


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _delete_messages(session: Session, ids: list[str]) -> int:
    if not ids:
        return 0
    recipient_ids = select(Recipient.id).where(Recipient.message_id.in_(ids))
    session.execute(delete(Escalation).where(Escalation.recipient_id.in_(recipient_ids)))
    session.execute(delete(Recipient).where(Recipient.message_id.in_(ids)))
    return _count(session.execute(delete(CapMessage).where(CapMessage.id.in_(ids))))


def _quiet_threads(session: Session, cutoff: datetime) -> Select[Any]:
    return (
        select(CapMessage.thread)
        .group_by(CapMessage.thread)
        .having(func.max(CapMessage.received_at) < cutoff)
    )


def _purge_threads(session: Session, cutoff: datetime) -> int:
    ids = list(
        session.scalars(
            select(CapMessage.id).where(CapMessage.thread.in_(_quiet_threads(session, cutoff)))
        )
    )
    return _delete_messages(session, ids)


def _purge_personal(session: Session, cutoff: datetime) -> int:
    ids = list(
        session.scalars(
            select(CapMessage.id).where(
                CapMessage.names_people.is_(True),
                CapMessage.thread.in_(_quiet_threads(session, cutoff)),
            )
        )
    )
    return _delete_messages(session, ids)


def _purge_recipients(session: Session, cutoff: datetime) -> int:
    old = select(Recipient.id).where(Recipient.sent_at < cutoff)
    session.execute(delete(Escalation).where(Escalation.recipient_id.in_(old)))
    return _count(session.execute(delete(Recipient).where(Recipient.sent_at < cutoff)))


def _purge_escalations(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Escalation).where(Escalation.fired_at < cutoff)))


def _purge_quarantine(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Quarantine).where(Quarantine.received_at < cutoff)))


def _purge_feeds(session: Session, cutoff: datetime) -> int:
    last = func.coalesce(Feed.last_fetched_at, Feed.added_at)
    return _count(session.execute(delete(Feed).where(last < cutoff)))


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "crisis.message",
            "CAP messages of an incident are deleted two years after its last message.",
            rules.RETENTION_SOURCE,
            delete_after=rules.MESSAGE_RETENTION,
            delete=_purge_threads,
        ),
        RetentionRule(
            "crisis.message_naming_people",
            "CAP messages that name people are deleted six months after the incident's last "
            "message.",
            rules.RETENTION_SOURCE,
            delete_after=rules.PERSONAL_MESSAGE_RETENTION,
            delete=_purge_personal,
        ),
        RetentionRule(
            "crisis.recipient",
            "Delivery and acknowledgement records are deleted two years after sending.",
            rules.RETENTION_SOURCE,
            delete_after=rules.MESSAGE_RETENTION,
            delete=_purge_recipients,
        ),
        RetentionRule(
            "crisis.escalation",
            "Escalations are deleted two years after they fired.",
            rules.RETENTION_SOURCE,
            delete_after=rules.MESSAGE_RETENTION,
            delete=_purge_escalations,
        ),
        RetentionRule(
            "crisis.quarantine",
            "Malformed CAP documents are deleted 30 days after they were quarantined.",
            rules.QUARANTINE_SOURCE,
            delete_after=rules.QUARANTINE_RETENTION,
            delete=_purge_quarantine,
        ),
        RetentionRule(
            "crisis.feed",
            "External feed records are deleted 90 days after their last fetch.",
            rules.QUARANTINE_SOURCE,
            delete_after=rules.FEED_RETENTION,
            delete=_purge_feeds,
        ),
    ]
