"""The passenger-data package's pending work on the console home page (counts only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.domains import WorkItem
from passerelle.kit.i18n import N_
from passerelle.pnr.model import Hit, Repersonalisation
from passerelle.privacy import Principal

#: Roles of the review queue (``pnr.console.PIU``).
PIU = ("analyst", "supervisor")


def work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    items: list[WorkItem] = []
    if principal.has_any(PIU):
        hits = session.scalar(select(func.count()).select_from(Hit).where(Hit.status == "pending"))
        items.append(WorkItem(N_("Passenger hits to review"), hits or 0, "/pnr/review"))
    if "judicial" in principal.roles:
        asked = session.scalar(
            select(func.count())
            .select_from(Repersonalisation)
            .where(Repersonalisation.status == "pending")
        )
        items.append(
            WorkItem(
                N_("Re-personalisation requests to decide"), asked or 0, "/pnr/repersonalisations"
            )
        )
    return items
