"""Retention of every precursors record class, registered with the privacy framework."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from passerelle.precursors import rules
from passerelle.precursors.model import (
    Licence,
    Notice,
    Pattern,
    Quarantine,
    Report,
    Transaction,
    Watched,
)
from passerelle.privacy import RetentionRule


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _transactions(session: Session, cutoff: datetime) -> int:
    """Transactions and their art. 8 verification records, 18 months after the sale; a report
    that named one keeps its own summary but loses the link."""
    old = select(Transaction.id).where(Transaction.occurred_at < cutoff)
    for report in session.scalars(select(Report).where(Report.transaction_id.in_(old))):
        report.transaction_id = None
    return _count(session.execute(delete(Transaction).where(Transaction.occurred_at < cutoff)))


def _reports(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Report).where(Report.filed_at < cutoff)))


def _patterns(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Pattern).where(Pattern.detected_at < cutoff)))


def _notices(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Notice).where(Notice.received_at < cutoff)))


def _quarantine(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Quarantine).where(Quarantine.received_at < cutoff)))


def _licences(session: Session, cutoff: datetime) -> int:
    gone = or_(Licence.valid_until < cutoff, Licence.revoked_at < cutoff)
    return _count(session.execute(delete(Licence).where(gone)))


def _watched(session: Session, cutoff: datetime) -> int:
    from passerelle.precursors.service.registers import bump_watch_version

    deleted = _count(session.execute(delete(Watched).where(Watched.added_at < cutoff)))
    if deleted:
        bump_watch_version(session)  # every node's screening index rebuilds without them
    return deleted


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "precursors.transaction",
            "Checked transactions with their art. 8 verification records are deleted 18 months "
            "after the sale.",
            rules.RECORD_SOURCE,
            delete_after=rules.RECORD_RETENTION,
            delete=_transactions,
        ),
        RetentionRule(
            "precursors.report",
            "Suspicious-transaction, disappearance and theft reports are deleted three years "
            "after they were filed.",
            rules.REPORT_RETENTION_SOURCE,
            delete_after=rules.REPORT_RETENTION,
            delete=_reports,
        ),
        RetentionRule(
            "precursors.pattern",
            "Detected patterns are deleted three years after detection.",
            rules.REPORT_RETENTION_SOURCE,
            delete_after=rules.REPORT_RETENTION,
            delete=_patterns,
        ),
        RetentionRule(
            "precursors.notice",
            "Purchase notices from peers are deleted 30 days after they arrived.",
            rules.NOTICE_SOURCE,
            delete_after=rules.NOTICE_RETENTION,
            delete=_notices,
        ),
        RetentionRule(
            "precursors.licence",
            "Licences leave the register 18 months after they expired or were revoked.",
            rules.LICENCE_SOURCE,
            delete_after=rules.LICENCE_RETENTION,
            delete=_licences,
        ),
        RetentionRule(
            "precursors.watched",
            "Watched persons are removed three years after they were added.",
            rules.WATCHED_SOURCE,
            delete_after=rules.WATCHED_RETENTION,
            delete=_watched,
        ),
        RetentionRule(
            "precursors.quarantine",
            "Unreadable transaction lines and catalogue rows are deleted 30 days after they "
            "were quarantined.",
            rules.QUARANTINE_SOURCE,
            delete_after=rules.QUARANTINE_RETENTION,
            delete=_quarantine,
        ),
    ]
