"""The exchange's pending work on the console home page (counts only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.domains import WorkItem
from passerelle.federation.model import FollowupRequest, Outgoing
from passerelle.kit.i18n import N_
from passerelle.privacy import Principal


def work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    if "supervisor" not in principal.roles:
        return []
    pending = (FollowupRequest.direction == "in", FollowupRequest.status == "pending")
    requests = session.scalar(select(func.count()).select_from(FollowupRequest).where(*pending))
    late = session.scalar(
        select(func.count())
        .select_from(FollowupRequest)
        .where(*pending, FollowupRequest.due_at < now)
    )
    awaiting = session.scalar(
        select(func.count()).select_from(Outgoing).where(Outgoing.status == "awaiting")
    )
    return [
        WorkItem(N_("Follow-up requests overdue"), late or 0, "/exchange/requests", urgent=True),
        WorkItem(N_("Follow-up requests to approve"), requests or 0, "/exchange/requests"),
        WorkItem(N_("Messages awaiting your approval"), awaiting or 0, "/exchange/approvals"),
    ]
