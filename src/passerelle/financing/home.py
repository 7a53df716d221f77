"""The financing package's pending work on the console home page (counts only, no personal
data): money-flow findings an analyst has not yet confirmed or dismissed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.domains import WorkItem
from passerelle.financing.model import Finding
from passerelle.kit.i18n import N_
from passerelle.privacy import Principal


def work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    if not principal.has_any(("fiu",)):
        return []
    open_findings = session.scalar(
        select(func.count()).select_from(Finding).where(Finding.status == "open")
    )
    if not open_findings:
        return []
    return [
        WorkItem(
            N_("Money-flow findings to confirm or dismiss"), open_findings, "/financing/findings"
        )
    ]
