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
from passerelle.privacy import Access, Principal, RetentionRule, audit

__all__ = [
    "booking_view",
    "decide_repersonalisation",
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


def _linked(now: datetime) -> Any:
    """Bookings with an objective link to a risk: a confirmed hit, or a structured ground
    (``grounds.link_case``) whose review date has not passed. A free-text case reference alone
    keeps nothing."""
    confirmed = exists().where(Hit.booking_id == Booking.id, Hit.status == "confirmed")
    grounded = Booking.ground_review_on.is_not(None) & (Booking.ground_review_on >= now.date())
    return confirmed | grounded  # never NULL: NOT(NULL) would keep unlinked bookings


def delete_bookings(session: Session, cutoff: datetime) -> int:
    """Delete what the CJEU policy no longer allows to keep (``cutoff`` = now - 6 months):
    unlinked bookings go at six months, linked ones at five years. Bookings kept under the
    removed "national" policy are re-evaluated here at the next run."""
    now = cutoff + rules.MASK_AFTER
    five_years = now - rules.RETENTION
    doomed = select(Booking.id).where(
        ((Booking.received_at < cutoff) & ~_linked(now)) | (Booking.received_at < five_years)
    )
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
    """Bookings (masked at 6 months; then kept only with an objective link), push log and
    quarantine."""
    return [
        RetentionRule(
            data_class="pnr_booking",
            description="PNR and rail bookings: art. 12(2) fields masked at six months; then "
            "only bookings with a confirmed hit or a recorded objective ground (before its "
            "review date) are kept, up to five years",
            source=f"{rules.MASK_SOURCE}; {rules.RETENTION_SOURCE}; CJEU C-817/19",
            mask_after=rules.MASK_AFTER,
            mask=mask_bookings,
            delete_after=rules.MASK_AFTER,
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
    basis: str = "judicial",
) -> Request:
    """An approving authority of another agency than the requester's PIU approves or refuses:
    ``basis`` ``judicial`` (art. 12(3)(b)(i)) or ``competent_authority`` ((ii)); an approval
    under (ii) informs the DPO (an audit entry the DPO reviews in the audit viewer)."""
    if basis not in rules.APPROVAL_BASES:
        raise ValidationFailed(f"basis is one of {', '.join(rules.APPROVAL_BASES)}")
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
    request.approval_basis = basis
    Access(principal, node.code, rules.PURPOSE_REQUEST, rules.APPROVAL_BASES[basis]).trace(
        session, "write", "pnr.repersonalisation", str(request.id), now=now,
        outcome=request.status, details={"booking": request.booking_id, "basis": basis},
    )  # fmt: skip
    if approve and basis == "competent_authority":
        node.audit(
            session,
            audit.SYSTEM,
            action="disclose",
            object_type="pnr.dpo_notification",
            object_id=str(request.id),
            purpose="data protection officer informed of a re-personalisation approval",
            legal_basis=rules.BASIS_DPO_INFORMED,
            details={
                "booking": request.booking_id,
                "case": request.case_ref,
                "requested_by": f"{request.requested_by} ({request.requester_agency})",
                "approved_by": f"{principal.name} ({principal.agency})",
                "reason": request.decision_reason,
                "recipient": "dpo",
            },
        )
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
