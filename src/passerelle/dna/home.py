"""The DNA package's pending work on the console home page (counts only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.dna.model import MatchRecord
from passerelle.domains import WorkItem
from passerelle.kit.i18n import N_
from passerelle.privacy import Principal

#: Roles that review matches (``dna.console.LAB``).
LAB = ("analyst", "supervisor")


def work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    if not principal.has_any(LAB):
        return []
    candidates = session.scalar(
        select(func.count()).select_from(MatchRecord).where(MatchRecord.status == "candidate")
    )
    return [WorkItem(N_("DNA matches to review"), candidates or 0, "/dna")]
