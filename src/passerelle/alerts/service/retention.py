"""Retention of the alerts domain, registered with the privacy framework.

One rule per alert category: an alert not extended within its category's period (art. 53) is
deleted automatically (53(7)), after a warning to the issuer (``alert.expiry_warning``);
withdrawn alerts are deleted at the next run (art. 55); whatever leaves the table leaves the
live watchlist. Hit reports go one year after their alert (art. 64(2)) unless a national file is
configured; detainees' and returnees' records have project-default rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Alert, Detainee, HitReport, Release, Returnee
from passerelle.alerts.service import commit, periods, register
from passerelle.privacy import RetentionRule


def _delete_alerts(session: Session, ids: list[str], now: datetime) -> int:
    """Delete alerts, stamp their hit reports (art. 64(2) counts from here), leave the list."""
    if not ids:
        return 0
    session.execute(delete(Alert).where(Alert.id.in_(ids)))
    session.execute(
        update(HitReport)
        .where(HitReport.alert_id.in_(ids), HitReport.alert_deleted_at.is_(None))
        .values(alert_deleted_at=now)
    )
    state = commit.state_of(session)
    if state is not None:
        for alert_id in ids:
            register.withdraw_after_commit(session, state, alert_id)
    return len(ids)


def _expire(category: str, period: timedelta) -> RetentionRule:
    def delete_expired(session: Session, cutoff: datetime) -> int:
        now = cutoff + period
        ids = list(
            session.scalars(
                select(Alert.id).where(
                    Alert.category == category,
                    Alert.status == "active",
                    or_(Alert.valid_until <= now, Alert.reviewed_at < cutoff),
                )
            )
        )
        return _delete_alerts(session, ids, now)

    info = rules.CATEGORIES[category]
    return RetentionRule(
        data_class=f"alert.{category}",
        description=f"{info.label} alerts are deleted automatically at the end of their "
        f"validity, and at the latest {period.days} days after entry or the last recorded "
        "extension.",
        source=f"{info.review_source}; art. 53(7)",
        delete_after=period,
        delete=delete_expired,
    )


def _warn(session: Session, now: datetime) -> int:
    periods.warn_expiring(session, now)
    return 0  # warnings are audited one by one; nothing is erased


def _delete_withdrawn(session: Session, cutoff: datetime) -> int:
    ids = list(
        session.scalars(
            select(Alert.id).where(Alert.status == "withdrawn", Alert.withdrawn_at <= cutoff)
        )
    )
    return _delete_alerts(session, ids, cutoff)


def _purge_reports(session: Session, cutoff: datetime) -> int:
    """Stamp reports whose alert left the table by another way (a peer's copy withdrawn), then
    delete those whose alert was deleted before ``cutoff``."""
    after = rules.hit_report_retention().after_alert_deleted
    session.execute(
        update(HitReport)
        .where(
            HitReport.alert_deleted_at.is_(None),
            ~select(Alert.id).where(Alert.id == HitReport.alert_id).exists(),
        )
        .values(alert_deleted_at=cutoff + after)
    )
    result = session.execute(delete(HitReport).where(HitReport.alert_deleted_at < cutoff))
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
    reports = rules.hit_report_retention()
    return [
        *(_expire(code, c.review_within) for code, c in rules.CATEGORIES.items()),
        RetentionRule(
            "alert.expiry_warning",
            "The issuer is warned of each own alert whose automatic deletion is due within "
            f"{rules.EXPIRY_WARNING_BEFORE.days} days (nothing is deleted).",
            rules.EXPIRY_SOURCE,
            delete_after=timedelta(0),
            delete=_warn,
        ),
        RetentionRule(
            "alert.withdrawn",
            "Withdrawn alerts (purpose achieved, decision revoked) are deleted at the next run.",
            rules.WITHDRAWN_SOURCE,
            delete_after=timedelta(0),
            delete=_delete_withdrawn,
        ),
        RetentionRule(
            "alert.hit_report",
            "Hit reports and supplementary information are deleted "
            f"{reports.after_alert_deleted.days} days after their alert is deleted"
            + (" (national file)." if reports.national else "."),
            reports.source,
            delete_after=reports.after_alert_deleted,
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
