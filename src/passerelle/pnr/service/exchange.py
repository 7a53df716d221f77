"""PIU-to-PIU exchange over the federation (art. 9).

- Results (art. 9(1)): a confirmed hit on another node's alert is sent to that node as a
  federation message of type ``pnr.result`` (under the sharing policy towards that PIU); the
  receiving node files it in ``pnr_received_result`` in the inbox's transaction. The result
  carries the masking and deletion dates of the booking it reports on: the filed result and
  the message bodies on both nodes are masked and erased on those dates.
- Reasoned requests (art. 9(2)) and emergency requests (art. 9(3)): a query of kind ``pnr``
  (record locator, or family name and date of birth) answered HIT/NO HIT; the data follow only
  through a federation follow-up request (``urgent`` for emergencies) that a person on the
  other side approves. Masked bookings are never found (art. 12(3) needs a judge there).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.errors import NotFound, ValidationFailed
from passerelle.federation import (
    BodyRetention,
    DeliveryState,
    QueryIn,
    QueryOut,
    Received,
    SearchResult,
    deliver_messages,
    peer_status,
    register_kind,
    register_message_type,
    send_message,
    send_query,
)
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Booking, Hit, ReceivedResult
from passerelle.pnr.service import review
from passerelle.pnr.service.review import entry_owner, hit_view
from passerelle.privacy import Principal, RetentionRule, audit

__all__ = ["push_result", "reasoned_request", "received_results", "register_kinds"]

RESULT_TYPE = "pnr.result"
SEARCH_KIND = "pnr"


def register_kinds() -> None:
    """Make PNR searchable by partner PIUs (results have their own message type)."""
    register_kind(
        SEARCH_KIND,
        _search,
        _fetch,
        description="A PNR or rail booking, by record_locator, or by family_name and "
        "date_of_birth (unmasked bookings only).",
        replace=True,
    )


def _search(payload: Mapping[str, Any], node: Node) -> SearchResult:
    locator = str(payload.get("record_locator", "")).strip().upper()
    family = str(payload.get("family_name", "")).strip().upper()
    born = str(payload.get("date_of_birth", "")).strip()
    if not locator and not (family and born):
        return SearchResult.no_hit()
    query = select(Booking.id, Booking.personal).where(Booking.personal.is_not(None))
    if locator:
        query = query.where(Booking.record_locator == locator)
    else:
        query = query.where(Booking.personal.contains(born))
    for booking_id, personal in node.db.read_committed(query.limit(1000)):
        if locator:
            return SearchResult(True, str(booking_id))
        for pax in json.loads(personal or "{}").get("passengers", []):
            if (pax.get("surname") or "").upper() == family and pax.get("date_of_birth") == born:
                return SearchResult(True, str(booking_id))
    return SearchResult.no_hit()


def _fetch(ref: str, node: Node) -> dict[str, str]:
    columns = (
        Booking.record_locator,
        Booking.carrier,
        Booking.service_number,
        Booking.origin,
        Booking.destination,
        Booking.departure,
        Booking.personal,
    )
    rows = node.db.read_committed(select(*columns).where(Booking.id == int(ref)))
    if not rows:
        raise NotFound("the booking is no longer held")
    locator, carrier, number, origin, destination, departure, personal = rows[0]
    fields = {
        "record_locator": locator,
        "journey": f"{carrier} {number} {origin}-{destination}",
        "departure": departure,
    }
    if personal is None:
        fields["note"] = "masked (art. 12(3)): needs a judicial approval on this node"
        return fields
    for i, pax in enumerate(json.loads(personal).get("passengers", []), 1):
        fields[f"passenger_{i}"] = " ".join(
            str(x) for x in (pax.get("surname"), pax.get("given_names")) if x
        )
        if pax.get("date_of_birth"):
            fields[f"passenger_{i}_date_of_birth"] = str(pax["date_of_birth"])
    return fields


class PnrResult(BaseModel):
    """A confirmed hit sent to the PIU owning the alert, with its booking's dates."""

    model_config = ConfigDict(extra="forbid")

    hit: str = Field(max_length=60)
    list: str = Field(default="", max_length=100)
    entry_id: str = Field(default="", max_length=200)
    record_locator: str = Field(default="", max_length=60)
    journey: str = Field(default="", max_length=200)
    passenger: str | None = Field(default=None, max_length=300)
    score: float | None = None
    reviewed_by: str | None = Field(default=None, max_length=120)
    reason: str | None = None
    mask_on: datetime
    delete_on: datetime


def result_payload(session: Session, node: Node, hit: Hit) -> PnrResult:
    """What is sent with a confirmed hit: the match, the journey, the reviewer's reason, and
    when the booking is masked (art. 12(2)) and deleted (art. 12(4)) here."""
    view = hit_view(session, hit)
    booking = session.get(Booking, hit.booking_id)
    assert booking is not None
    return PnrResult(
        hit=f"{node.code}-{hit.id}",
        list=hit.list_name,
        entry_id=hit.entry_id,
        record_locator=view.record_locator,
        journey=view.journey,
        passenger=view.passenger_name,
        score=view.score,
        reviewed_by=hit.reviewer,
        reason=hit.reason,
        mask_on=booking.received_at + rules.MASK_AFTER,
        delete_on=booking.received_at + rules.RETENTION,
    )


def push_result(
    session: Session, node: Node, principal: Principal, hit_id: int
) -> DeliveryState | None:
    """In the decision's transaction: send a confirmed watchlist hit to the node owning the
    alert (None: our own alert, or not a confirmed watchlist hit)."""
    hit = session.get(Hit, hit_id)
    if hit is None or hit.status != "confirmed" or hit.kind != "watchlist":
        return None
    owner = entry_owner(hit.list_name, hit.entry_id, node.code, hit.entry_owner)
    if owner == node.code:
        return None
    if owner not in {p.code for p in peer_status(session)}:
        hit.passed_to = f"{hit.passed_to} — not sent: {owner} is not a registered peer"[:200]
        return None
    return send_message(
        session,
        node,
        audit.Actor(principal.name, principal.agency),
        RESULT_TYPE,
        peer=owner,
        payload=result_payload(session, node, hit),
        case_ref=f"pnr-hit-{node.code}-{hit_id}",
        purpose="results of PNR processing to the PIU owning the alert",
        legal_basis=rules.BASIS_RESULTS,
    )


async def decide(
    node: Node,
    client: httpx.AsyncClient,
    principal: Principal,
    hit_id: int,
    *,
    confirm: bool,
    reason: str,
) -> tuple[dict[str, Any], DeliveryState | None]:
    """Confirm or dismiss a hit; a confirmed hit on another node's alert is sent to that node
    in the same transaction, then delivered. Returns the hit's view and where the result is."""

    def act() -> tuple[dict[str, Any], DeliveryState | None]:
        with node.session() as session:
            hit = review.decide(session, node, principal, hit_id, confirm=confirm, reason=reason)
            pushed = push_result(session, node, principal, hit.id) if confirm else None
            return asdict(hit_view(session, hit)), pushed

    view, pushed = await run_in_threadpool(act)
    if pushed is not None:
        (pushed,) = await deliver_messages(node, client, [pushed.message_id])
    return view, pushed


def _file_result(session: Session, node: Node, received: Received) -> None:
    result = received.payload
    assert isinstance(result, PnrResult)
    if not result.hit.startswith(f"{received.sender}-"):
        raise ValidationFailed("a PIU sends only the results of its own hits")
    if session.get(ReceivedResult, result.hit) is not None:
        raise ValidationFailed(f"result {result.hit} was already received")
    session.add(
        ReceivedResult(
            id=result.hit,
            sender=received.sender,
            received_at=node.clock.now(),
            list_name=result.list,
            entry_id=result.entry_id,
            record_locator=result.record_locator,
            journey=result.journey,
            passenger=result.passenger,
            score=result.score,
            reviewed_by=result.reviewed_by,
            reason=result.reason,
            mask_on=result.mask_on,
            delete_on=result.delete_on,
        )
    )


def _dates(payload: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
    return (
        datetime.fromisoformat(str(payload["mask_on"])),
        datetime.fromisoformat(str(payload["delete_on"])),
    )


def _masked(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "passenger": None}


register_message_type(
    RESULT_TYPE,
    PnrResult,
    _file_result,
    description="A confirmed PNR hit sent to the PIU owning the alert (art. 9(1)).",
    carries_personal_data=True,
    legal_basis=rules.BASIS_RESULTS,
    source=rules.BASIS_RESULTS,
    retention=BodyRetention(
        keep_for=rules.RETENTION,
        source=f"{rules.MASK_SOURCE}; {rules.RETENTION_SOURCE}",
        description="Bodies of PNR results are masked and erased with the booking they "
        "report on (the dates travel with the result).",
        dates=_dates,
        mask=_masked,
    ),
    default_policy="automatic",
    received=N_("PNR result received"),
    reference=lambda r: r.hit,  # type: ignore[attr-defined]
    replace=True,
)


async def reasoned_request(
    node: Node,
    client: httpx.AsyncClient,
    principal: Principal,
    *,
    peers: list[str],
    query: dict[str, str],
    case_ref: str,
    grounds: str,
    emergency: bool,
) -> QueryOut:
    """Ask other PIUs whether they hold a booking (art. 9(2), or 9(3) in an emergency)."""
    if not query.get("record_locator") and not (
        query.get("family_name") and query.get("date_of_birth")
    ):
        raise ValidationFailed("ask by record_locator, or by family_name and date_of_birth")
    if len(grounds.strip()) < 10:
        raise ValidationFailed("a reasoned request states its grounds")
    return await send_query(
        node,
        client,
        principal,
        QueryIn(
            kind=SEARCH_KIND,
            payload=query,
            peers=peers or None,
            case_ref=case_ref,
            purpose=("EMERGENCY: " if emergency else "") + grounds.strip()[:180],
            legal_basis=rules.BASIS_EMERGENCY if emergency else rules.BASIS_REQUEST,
        ),
    )


def received_results(session: Session, *, limit: int = 100) -> list[dict[str, Any]]:
    """Confirmed hits other PIUs sent to this node, newest first (passenger masked with the
    booking it reports on)."""
    rows = session.scalars(
        select(ReceivedResult).order_by(ReceivedResult.received_at.desc()).limit(limit)
    )
    return [
        {
            "from": r.sender,
            "received_at": r.received_at,
            "hit": r.id,
            "list": r.list_name,
            "entry_id": r.entry_id,
            "record_locator": r.record_locator,
            "journey": r.journey,
            "passenger": r.passenger,
            "score": r.score,
            "reviewed_by": r.reviewed_by,
            "reason": r.reason,
            "masked": r.masked_at is not None,
            "mask_on": r.mask_on,
            "delete_on": r.delete_on,
        }
        for r in rows
    ]


def mask_results(session: Session, cutoff: datetime) -> int:
    """Mask received results whose booking is masked by now (``cutoff``: mask_after is 0)."""
    rows = session.scalars(
        select(ReceivedResult).where(
            ReceivedResult.mask_on <= cutoff, ReceivedResult.masked_at.is_(None)
        )
    ).all()
    for row in rows:
        row.passenger, row.masked_at = None, cutoff
    return len(rows)


def delete_results(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(ReceivedResult).where(ReceivedResult.delete_on <= cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def retention_rules() -> list[RetentionRule]:
    """Results received from other PIUs follow the booking they report on."""
    return [
        RetentionRule(
            data_class="pnr_received_result",
            description="Results from other PIUs: the passenger is masked when the booking is "
            "masked on the sending PIU, and the result deleted when the booking is deleted there "
            "(both dates travel with the result).",
            source=f"{rules.MASK_SOURCE}; {rules.RETENTION_SOURCE}",
            mask_after=timedelta(0),
            mask=mask_results,
            delete_after=timedelta(0),
            delete=delete_results,
        )
    ]
