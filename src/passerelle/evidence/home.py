"""The evidence package's pending work on the console home page (counts only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.domains import WorkItem
from passerelle.evidence.model import Order
from passerelle.evidence.service import deadlines
from passerelle.kit.i18n import N_
from passerelle.privacy import Principal

#: Roles that follow the orders (``evidence.console.READERS``).
READERS = ("judicial", "analyst", "supervisor")


def work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    if "addressee" in principal.roles:
        return _provider_work(session, principal, now)
    if not principal.has_any(READERS):
        return []
    open_orders = list(session.scalars(select(Order).where(Order.status.in_(deadlines.OPEN))))
    overdue = sum(1 for o in open_orders if deadlines.urgency(o, now) == "overdue")
    awaiting = len(open_orders) - overdue
    items = [WorkItem(N_("Evidence orders awaiting the provider"), awaiting, "/evidence")]
    if overdue:
        items.append(WorkItem(N_("Evidence orders overdue"), overdue, "/evidence", urgent=True))
    return items


def _provider_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """A provider's staff: its open orders (the user's agency is the provider's code)."""
    open_orders = list(session.scalars(select(Order).where(
        Order.status.in_(deadlines.OPEN), Order.provider == principal.agency)))  # fmt: skip
    overdue = sum(1 for o in open_orders if deadlines.urgency(o, now) == "overdue")
    items = [WorkItem(N_("Orders awaiting your answer"), len(open_orders), "/evidence/provider")]
    if overdue:
        items.append(WorkItem(N_("Orders received overdue"), overdue, "/evidence/provider",
                              urgent=True))  # fmt: skip
    return items
