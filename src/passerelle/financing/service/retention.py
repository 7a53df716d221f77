"""Retention of every financing record class, registered with the privacy framework."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from passerelle.financing import rules
from passerelle.financing.model import (
    Finding,
    FollowUp,
    Party,
    PublishedFilter,
    Quarantine,
    Report,
    Transfer,
)
from passerelle.privacy import RetentionRule


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _reports(session: Session, cutoff: datetime) -> int:
    # Parties and transfers go with their report (explicitly: SQLite may run without
    # foreign-key enforcement).
    old = select(Report.id).where(Report.received_at < cutoff)
    session.execute(delete(Party).where(Party.report_id.in_(old)))
    session.execute(delete(Transfer).where(Transfer.report_id.in_(old)))
    return _count(session.execute(delete(Report).where(Report.received_at < cutoff)))


def _findings(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Finding).where(Finding.detected_at < cutoff)))


def _exchange(session: Session, cutoff: datetime) -> int:
    gone = _count(session.execute(delete(FollowUp).where(FollowUp.created_at < cutoff)))
    old = delete(PublishedFilter).where(PublishedFilter.created_at < cutoff)
    return gone + _count(session.execute(old))


def _quarantine(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Quarantine).where(Quarantine.received_at < cutoff)))


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "financing.report",
            "Suspicious-transaction reports, with their parties and transactions, are deleted "
            "five years after they were received.",
            rules.RETENTION_SOURCE,
            delete_after=rules.RETENTION,
            delete=_reports,
        ),
        RetentionRule(
            "financing.finding",
            "Money-flow findings are deleted five years after they were found.",
            rules.RETENTION_SOURCE,
            delete_after=rules.RETENTION,
            delete=_findings,
        ),
        RetentionRule(
            "financing.exchange",
            "Published filters (their row map) and follow-up requests are deleted five years "
            "after they were made.",
            rules.RETENTION_SOURCE,
            delete_after=rules.RETENTION,
            delete=_exchange,
        ),
        RetentionRule(
            "financing.quarantine",
            "Unreadable reports are deleted 30 days after they were quarantined.",
            rules.QUARANTINE_SOURCE,
            delete_after=rules.QUARANTINE_RETENTION,
            delete=_quarantine,
        ),
    ]
