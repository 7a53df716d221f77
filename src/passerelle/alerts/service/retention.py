"""Retention of the alerts domain, registered with the privacy framework.

One rule per alert category: an alert not reviewed within its category's period (art. 53) is
deleted, and withdrawn alerts go with it; whatever leaves the table leaves the live watchlist.
Hit reports, detainees' records and returnees' records have their own (project-default) rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Alert, Detainee, HitReport, Release, Returnee
from passerelle.alerts.service import commit, register
from passerelle.privacy.retention import RetentionRule


def _expire(category: str, period: timedelta) -> RetentionRule:
    def delete_expired(session: Session, cutoff: datetime) -> int:
        now = cutoff + period
        ids = list(
            session.scalars(
                select(Alert.id).where(
                    Alert.category == category,
                    or_(Alert.valid_until <= now, Alert.reviewed_at < cutoff),
                )
            )
        )
        if not ids:
            return 0
        session.execute(delete(Alert).where(Alert.id.in_(ids)))
        state = commit.state_of(session)
        if state is not None:
            for alert_id in ids:
                register.withdraw_after_commit(session, state, alert_id)
        return len(ids)

    info = rules.CATEGORIES[category]
    return RetentionRule(
        data_class=f"alert.{category}",
        description=f"{info.label} alerts are deleted at the end of their validity, and at the "
        f"latest when not reviewed within {period.days} days of entry or of the last review.",
        source=info.review_source,
        delete_after=period,
        delete=delete_expired,
    )


def _purge_reports(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(HitReport).where(HitReport.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _purge_detainees(session: Session, cutoff: datetime) -> int:
    rows = session.execute(
        select(Release.detainee_id, func.max(Release.release_date)).group_by(Release.detainee_id)
    )
    stale = [detainee for detainee, last in rows if last < cutoff.date()]
    if not stale:
        return 0
    result = session.execute(delete(Detainee).where(Detainee.id.in_(stale)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _purge_returnees(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(Returnee).where(Returnee.returned_on < cutoff.date()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def retention_rules() -> list[RetentionRule]:
    return [
        *(_expire(code, c.review_within) for code, c in rules.CATEGORIES.items()),
        RetentionRule(
            "alert.hit_report",
            "Hit reports are deleted three years after the hit.",
            rules.RETENTION_SOURCE,
            delete_after=rules.HIT_REPORT_RETENTION,
            delete=_purge_reports,
        ),
        RetentionRule(
            "alert.detainee",
            "Detainees' follow-up records are deleted two years after their last planned release.",
            rules.RETENTION_SOURCE,
            delete_after=rules.DETAINEE_RETENTION_AFTER_RELEASE,
            delete=_purge_detainees,
        ),
        RetentionRule(
            "alert.returnee",
            "Returnees' records are deleted five years after the return.",
            rules.RETENTION_SOURCE,
            delete_after=rules.RETURNEE_RETENTION,
            delete=_purge_returnees,
        ),
    ]
