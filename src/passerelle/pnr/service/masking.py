"""Masking at six months, retention, the booking view and re-personalisation.

The art. 12(2) fields are encrypted with the node's field key on receipt (``sealed``); masking
destroys the clear copy (``personal``), so the retention operation needs no key. Reading a
masked booking needs a request with grounds approved by a judicial authority of another agency
than the requester's PIU (art. 12(3)); every read is audited.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from passerelle.errors import NotFound, PermissionDenied, ValidationFailed
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Booking, BookingVersion, Hit, PushMessage, QuarantineItem
from passerelle.pnr.model import Repersonalisation as Request
from passerelle.pnr.service.records import merge
from passerelle.privacy.access import Access
from passerelle.privacy.accounts import Principal
from passerelle.privacy.retention import RetentionRule

__all__ = [
    "booking_view",
    "decide_repersonalisation",
    "link_case",
    "request_repersonalisation",
    "retention_rules",
    "unmasked_view",
]


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


def mask_bookings(session: Session, cutoff: datetime) -> int:
    """Destroy the clear art. 12(2) fields of bookings received before ``cutoff``."""
    stale = select(Booking.id).where(Booking.received_at < cutoff, Booking.masked_at.is_(None))
    ids = list(session.scalars(stale))
    if not ids:
        return 0
    when = cutoff + rules.MASK_AFTER
    session.execute(update(Hit).where(Hit.booking_id.in_(ids)).values(explanation=None))
    result = session.execute(
        update(Booking).where(Booking.id.in_(ids)).values(personal=None, masked_at=when)
    )
    return _count(result)


def _linked() -> Any:
    """Bookings with an objective link to a risk: a confirmed hit or a case."""
    confirmed = exists().where(Hit.booking_id == Booking.id, Hit.status == "confirmed")
    return confirmed | (Booking.case_ref != "")


def delete_bookings(session: Session, cutoff: datetime) -> int:
    """Delete what the policy no longer allows to keep (``cutoff`` = now - delete_after)."""
    if rules.retention_policy() == "cjeu":
        # cutoff is now - 6 months: unlinked bookings go; linked ones stay up to 5 years.
        five_years = cutoff + rules.MASK_AFTER - rules.RETENTION
        doomed = select(Booking.id).where(
            ((Booking.received_at < cutoff) & ~_linked()) | (Booking.received_at < five_years)
        )
    else:
        doomed = select(Booking.id).where(Booking.received_at < cutoff)
    ids = list(session.scalars(doomed))
    if not ids:
        return 0
    for table in (Hit, BookingVersion, Request):
        session.execute(delete(table).where(table.booking_id.in_(ids)))
    return _count(session.execute(delete(Booking).where(Booking.id.in_(ids))))


def _delete_before(table: type[PushMessage] | type[QuarantineItem]) -> Any:
    def run(session: Session, cutoff: datetime) -> int:
        return _count(session.execute(delete(table).where(table.received_at < cutoff)))

    return run


def retention_rules() -> list[RetentionRule]:
    """Bookings (masked at 6 months; deleted per policy), push log and quarantine."""
    policy = rules.retention_policy()
    return [
        RetentionRule(
            data_class="pnr_booking",
            description="PNR and rail bookings: art. 12(2) fields masked at six months; "
            + (
                "then only bookings linked to a confirmed hit or a case are kept, up to five "
                "years (policy cjeu)"
                if policy == "cjeu"
                else "every booking kept five years (policy national)"
            ),
            source=f"{rules.MASK_SOURCE}; {rules.RETENTION_SOURCE}; "
            f"{rules.RETENTION_POLICIES[policy]}",
            mask_after=rules.MASK_AFTER,
            mask=mask_bookings,
            delete_after=rules.MASK_AFTER if policy == "cjeu" else rules.RETENTION,
            delete=delete_bookings,
        ),
        RetentionRule(
            data_class="pnr_message",
            description="The log of pushed files (digest, counts, no personal data), five years.",
            source=rules.RETENTION_SOURCE,
            delete_after=rules.RETENTION,
            delete=_delete_before(PushMessage),
        ),
        RetentionRule(
            data_class="pnr_quarantine",
            description="Raw input that could not be read (may hold unfiltered sensitive "
            "codes): deleted after 30 days.",
            source=rules.QUARANTINE_SOURCE,
            delete_after=rules.QUARANTINE_RETENTION,
            delete=_delete_before(QuarantineItem),
        ),
    ]


def get_booking(session: Session, booking_id: int) -> Booking:
    row = session.get(Booking, booking_id)
    if row is None:
        raise NotFound(f"no booking {booking_id}")
    return row


def booking_view(
    session: Session, node: Node, principal: Principal, booking_id: int
) -> dict[str, Any]:
    """The booking as an analyst may see it: clear before six months, masked after."""
    row = get_booking(session, booking_id)
    personal = json.loads(row.personal) if row.personal is not None else None
    Access(principal, node.code, rules.PURPOSE_ASSESS, rules.BASIS_ASSESS).trace(
        session,
        "read",
        "pnr.booking",
        str(row.id),
        now=node.clock.now(),
        details={"masked": personal is None},
    )
    return merge(json.loads(row.core), personal)


def link_case(
    session: Session, node: Node, principal: Principal, booking_id: int, case_ref: str
) -> Booking:
    """Link a booking to a case: under the CJEU policy it is then kept after six months."""
    row = get_booking(session, booking_id)
    if not case_ref.strip():
        raise ValidationFailed("a case reference is required")
    row.case_ref = case_ref.strip()[:100]
    Access(principal, node.code, rules.PURPOSE_REQUEST, rules.BASIS_REQUEST).trace(
        session, "write", "pnr.booking", str(row.id), now=node.clock.now(),
        details={"case": row.case_ref},
    )  # fmt: skip
    return row


def request_repersonalisation(
    session: Session,
    node: Node,
    principal: Principal,
    booking_id: int,
    *,
    grounds: str,
    case_ref: str,
) -> Request:
    """Ask to see a masked booking for one case (art. 12(3)(b)); a judge decides."""
    row = get_booking(session, booking_id)
    if row.masked_at is None:
        raise ValidationFailed("this booking is not masked; its view needs no approval")
    if len(grounds.strip()) < 10 or not case_ref.strip():
        raise ValidationFailed("a re-personalisation states its grounds and its case")
    now = node.clock.now()
    request = Request(
        booking_id=row.id,
        case_ref=case_ref.strip()[:100],
        grounds=grounds.strip(),
        requested_by=principal.name,
        requester_agency=principal.agency,
        requested_at=now,
        status="pending",
    )
    session.add(request)
    session.flush()
    Access(principal, node.code, rules.PURPOSE_REQUEST, rules.REPERSONALISATION_SOURCE).trace(
        session, "write", "pnr.repersonalisation", str(request.id), now=now,
        details={"booking": row.id, "case": request.case_ref},
    )  # fmt: skip
    return request


def decide_repersonalisation(
    session: Session,
    node: Node,
    principal: Principal,
    request_id: int,
    *,
    approve: bool,
    reason: str,
) -> Request:
    """A judicial authority of another agency than the requester's PIU approves or refuses."""
    request = session.get(Request, request_id)
    if request is None:
        raise NotFound(f"no re-personalisation request {request_id}")
    if "judicial" not in principal.roles:
        raise PermissionDenied("only a judicial authority decides re-personalisation")
    if principal.agency == request.requester_agency:
        raise PermissionDenied(
            "the requester's PIU cannot approve its own request (art. 12(3), CJEU C-817/19)"
        )
    if request.status != "pending":
        raise ValidationFailed(f"this request is already {request.status}")
    if len(reason.strip()) < 3:
        raise ValidationFailed("state the reason for the decision")
    now = node.clock.now()
    request.status = "approved" if approve else "refused"
    request.decided_by, request.decider_agency = principal.name, principal.agency
    request.decision_reason, request.decided_at = reason.strip(), now
    request.valid_until = now + rules.REPERSONALISATION_VALIDITY if approve else None
    Access(principal, node.code, rules.PURPOSE_REQUEST, rules.REPERSONALISATION_SOURCE).trace(
        session, "write", "pnr.repersonalisation", str(request.id), now=now,
        outcome=request.status, details={"booking": request.booking_id},
    )  # fmt: skip
    return request


def unmasked_view(
    session: Session, node: Node, principal: Principal, request_id: int
) -> dict[str, Any]:
    """The masked booking in clear, under an approved, valid request of this principal."""
    request = session.get(Request, request_id)
    if request is None:
        raise NotFound(f"no re-personalisation request {request_id}")
    now = node.clock.now()
    if request.requested_by != principal.name:
        raise PermissionDenied("only the requester may use this approval")
    if request.status != "approved" or request.valid_until is None or request.valid_until < now:
        raise PermissionDenied("no approved, valid re-personalisation for this booking")
    row = get_booking(session, request.booking_id)
    clear = node.cipher.decrypt(row.sealed, f"pnr_booking:{row.key}")
    Access(principal, node.code, rules.PURPOSE_REQUEST, rules.REPERSONALISATION_SOURCE).trace(
        session, "read", "pnr.booking", str(row.id), now=now,
        details={"unmasked": True, "request": request.id, "case": request.case_ref},
    )  # fmt: skip
    return merge(json.loads(row.core), json.loads(clear))


def requests(session: Session, *, status: str | None = None) -> list[Request]:
    query = select(Request).order_by(Request.requested_at.desc())
    if status:
        query = query.where(Request.status == status)
    return list(session.scalars(query))
