"""The alerts package's pending work on the console home page (counts only)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.alerts.model import HitReport, Release, ReleaseStep
from passerelle.domains import WorkItem
from passerelle.kit.i18n import N_
from passerelle.privacy import Principal

#: Roles that open the hit reports and the release calendar (``alerts.console.USERS``).
USERS = ("analyst", "supervisor")
#: How far ahead the home page looks for releases.
RELEASE_HORIZON = timedelta(days=30)


def work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    if not principal.has_any(USERS):
        return []
    today = now.date()
    unanswered = (HitReport.direction == "in", HitReport.answered_at.is_(None))

    reports = session.scalar(select(func.count()).select_from(HitReport).where(*unanswered))
    late_reports = session.scalar(
        select(func.count())
        .select_from(HitReport)
        .where(*unanswered, HitReport.answer_due_at < now)
    )
    open_steps = ReleaseStep.done_at.is_(None)
    due_today = session.scalar(
        select(func.count())
        .select_from(ReleaseStep)
        .where(open_steps, ReleaseStep.due_date == today)
    )
    overdue = session.scalar(
        select(func.count())
        .select_from(ReleaseStep)
        .where(open_steps, ReleaseStep.due_date < today)
    )
    releases = session.scalar(
        select(func.count())
        .select_from(Release)
        .where(Release.release_date >= today, Release.release_date <= today + RELEASE_HORIZON)
    )
    return [
        WorkItem(N_("Hit reports overdue"), late_reports or 0, "/alerts/hits", urgent=True),
        WorkItem(N_("Follow-up steps overdue"), overdue or 0, "/alerts/calendar", urgent=True),
        WorkItem(N_("Follow-up steps due today"), due_today or 0, "/alerts/calendar", urgent=True),
        WorkItem(N_("Hit reports to answer"), reports or 0, "/alerts/hits"),
        WorkItem(N_("Releases in the next 30 days"), releases or 0, "/alerts/calendar"),
    ]
