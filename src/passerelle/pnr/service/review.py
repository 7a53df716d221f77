"""The review queue (art. 6(5)): a person confirms or dismisses each automated match.

Only confirmed hits are passed on: a watchlist hit to the alert's owner (another node gets a
result push over the federation, see :mod:`exchange`), a criterion hit to the competent
authority. A dismissed match suppresses the same false positive on later pushes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Booking, Hit
from passerelle.privacy import Access, Principal

__all__ = ["HitView", "decide", "entry_owner", "hit_view", "queue"]

REVIEWERS = ("analyst", "supervisor")


def entry_owner(list_name: str, entry_id: str, here: str, owner: str | None = None) -> str:
    """The node that owns a watchlist entry (where a confirmed hit is reported).

    ``owner`` is what the match said when the traveller was screened (``ListedMatch.owner``,
    kept on the hit as ``entry_owner``: the alerts register publishes each alert with its
    issuing node). Without it: a node prefix in the entry id (``BE:…``, ``BE/…``, ``BE-…``) or
    a ``…:BE`` list name; else this node.
    """
    if owner:
        return owner
    for sep in (":", "/", "-"):
        head = entry_id.split(sep, 1)[0]
        if sep in entry_id and len(head) == 2 and head.isalpha() and head.isupper():
            return head
    tail = list_name.rsplit(":", 1)[-1]
    if ":" in list_name and len(tail) == 2 and tail.isupper():
        return tail
    return here


@dataclass
class HitView:
    id: int
    booking_id: int
    record_locator: str
    journey: str
    passenger: int
    passenger_name: str
    kind: str
    source: str
    score: float
    explanation: dict[str, Any] | None
    status: str
    reviewer: str | None
    reason: str | None
    passed_to: str | None
    # The journey as the console shows it (names from ``pnr.places``, the carrier by name).
    mode: str = ""
    carrier: str = ""
    service_number: str = ""
    origin: str = ""
    destination: str = ""
    departure: str = ""
    journey_key: str = ""


def hit_view(session: Session, hit: Hit, booking: Booking | None = None) -> HitView:
    booking = booking or session.get(Booking, hit.booking_id)
    assert booking is not None
    name = "•••"
    if booking.personal is not None:
        people = json.loads(booking.personal).get("passengers", [])
        if hit.passenger < len(people):
            pax = people[hit.passenger]
            name = f"{pax.get('surname', '')} {pax.get('given_names', '')}".strip()
    source = (
        f"{hit.list_name} / {hit.entry_id}"
        if hit.kind == "watchlist"
        else f"{hit.entry_id} v{hit.criterion_version}"
    )
    return HitView(
        id=hit.id,
        booking_id=booking.id,
        record_locator=booking.record_locator,
        journey=f"{booking.carrier} {booking.service_number} {booking.origin}-"
        f"{booking.destination} {booking.departure[:16]}",
        passenger=hit.passenger,
        passenger_name=name,
        kind=hit.kind,
        source=source,
        score=round(hit.score, 3),
        explanation=json.loads(hit.explanation) if hit.explanation else None,
        status=hit.status,
        reviewer=hit.reviewer,
        reason=hit.reason,
        passed_to=hit.passed_to,
        mode=booking.mode,
        carrier=booking.carrier,
        service_number=booking.service_number,
        origin=booking.origin,
        destination=booking.destination,
        departure=booking.departure,
        journey_key=booking.journey_key,
    )


def queue(
    session: Session, node: Node, principal: Principal, *, status: str = "pending"
) -> list[HitView]:
    """Hits with this status, oldest first (the reviewer reads names: audited)."""
    rows = session.execute(
        select(Hit, Booking)
        .join(Booking, Booking.id == Hit.booking_id)
        .where(Hit.status == status)
        .order_by(Hit.created_at, Hit.id)
        .limit(500)
    ).all()
    views = [hit_view(session, hit, booking) for hit, booking in rows]
    if views:
        Access(principal, node.code, rules.PURPOSE_ASSESS, rules.BASIS_REVIEW).trace(
            session, "read", "pnr.hit", f"queue:{status}", now=node.clock.now(),
            details={"hits": [v.id for v in views][:100]},
        )  # fmt: skip
    return views


def decide(
    session: Session,
    node: Node,
    principal: Principal,
    hit_id: int,
    *,
    confirm: bool,
    reason: str,
) -> Hit:
    """Confirm or dismiss a pending hit with a reason; a confirmed hit is marked passed on."""
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise NotFound(f"no hit {hit_id}")
    if hit.status != "pending":
        raise ValidationFailed(f"this hit was already {hit.status}")
    if len(reason.strip()) < 3:
        raise ValidationFailed("give the reason for the decision", field="reason")
    now = node.clock.now()
    hit.status = "confirmed" if confirm else "dismissed"
    hit.reviewer, hit.reason, hit.reviewed_at = principal.name, reason.strip(), now
    if confirm:
        owner = (
            entry_owner(hit.list_name, hit.entry_id, node.code, hit.entry_owner)
            if hit.kind == "watchlist"
            else node.code
        )
        hit.passed_to = (
            f"PIU {owner} (alert owner)"
            if owner != node.code
            else f"competent authority ({node.code})"
        )
    Access(principal, node.code, rules.PURPOSE_ASSESS, rules.BASIS_REVIEW).trace(
        session, "write", "pnr.hit", str(hit.id), now=now, outcome=hit.status,
        details={"reason": hit.reason, "passed_to": hit.passed_to},
    )  # fmt: skip
    return hit
