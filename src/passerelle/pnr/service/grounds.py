"""Objective grounds that keep a booking past six months (CJEU C-817/19).

``link_case`` records one structured ground — a confirmed hit, a case with a judicial
reference, or an ongoing investigation with its number and the approver of another agency —
with a review date; the retention run keeps the booking only while that date is ahead (or while
it has a confirmed hit). A free-text case reference alone keeps nothing. Every ground is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Booking, Hit
from passerelle.pnr.service.masking import get_booking
from passerelle.privacy import Access, Principal

__all__ = ["link_case"]


def _text(value: str | None, name: str, minimum: int = 3) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise ValidationFailed(f"this ground needs {name}", field=name)
    return text[:200]


def link_case(
    session: Session,
    node: Node,
    principal: Principal,
    booking_id: int,
    case_ref: str,
    *,
    ground: str = "",
    review_on: date | None = None,
    hit_id: int | None = None,
    judicial_reference: str | None = None,
    investigation_number: str | None = None,
    approver: str | None = None,
    approver_agency: str | None = None,
) -> Booking:
    """Record the objective ground that keeps ``booking_id`` after six months, until
    ``review_on`` (at most ``rules.RETENTION_GROUND_MAX_REVIEW`` ahead)."""
    row = get_booking(session, booking_id)
    now = node.clock.now()
    if ground not in rules.RETENTION_GROUNDS:
        raise ValidationFailed(
            "a booking is kept past six months only on an objective ground "
            f"({rules.RETENTION_GROUND_SOURCE}): ground is one of "
            + ", ".join(rules.RETENTION_GROUNDS)
            + "; a case reference alone is not enough",
            field="ground",
        )
    case = _text(case_ref, "case_ref", 1)
    if review_on is None or review_on <= now.date():
        raise ValidationFailed("a ground carries a review date in the future", field="review_on")
    if review_on > (now + rules.RETENTION_GROUND_MAX_REVIEW).date():
        raise ValidationFailed(
            f"the review date is at most {rules.RETENTION_GROUND_MAX_REVIEW.days} days ahead",
            field="review_on",
        )
    record: dict[str, Any] = {"kind": ground, "case_ref": case}
    if ground == "confirmed_hit":
        confirmed = session.scalars(
            select(Hit.id).where(Hit.booking_id == row.id, Hit.status == "confirmed")
        ).all()
        if hit_id not in confirmed:
            raise ValidationFailed("name a confirmed hit of this booking (hit_id)", field="hit_id")
        record["hit_id"] = hit_id
    elif ground == "judicial_case":
        record["judicial_reference"] = _text(judicial_reference, "judicial_reference")
    else:
        record["investigation_number"] = _text(investigation_number, "investigation_number")
        record["approver"] = _text(approver, "approver")
        agency = _text(approver_agency, "approver_agency", 2)
        if agency.upper() == principal.agency.upper():
            raise ValidationFailed(
                "the approver of an investigation ground belongs to another agency than yours",
                field="approver_agency",
            )
        record["approver_agency"] = agency
    record.update(
        {"by": principal.name, "agency": principal.agency, "at": now.isoformat()},
        review_on=review_on.isoformat(),
    )
    row.case_ref = case[:100]
    row.retention_ground = record
    row.ground_review_on = review_on
    Access(principal, node.code, rules.PURPOSE_REQUEST, rules.RETENTION_GROUND_SOURCE).trace(
        session,
        "write",
        "pnr.booking",
        str(row.id),
        now=now,
        details={k: v for k, v in record.items() if k not in ("by", "agency", "at")},
    )
    return row


def lapsed(row: Booking, now: datetime) -> bool:
    """Whether the booking's ground no longer keeps it (no ground, or its review date passed)."""
    return row.ground_review_on is None or row.ground_review_on < now.date()
