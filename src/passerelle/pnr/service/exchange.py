"""PIU-to-PIU exchange over the federation (art. 9).

- Results (art. 9(1)): a confirmed hit on another node's alert is pushed to that node as a
  federation query of kind ``pnr.result``; the receiving node files it (the signed message is
  kept in its federation log) and answers HIT with a reference for follow-up.
- Reasoned requests (art. 9(2)) and emergency requests (art. 9(3)): a query of kind ``pnr``
  (record locator, or family name and date of birth) answered HIT/NO HIT; the data follow only
  through a federation follow-up request (``urgent`` for emergencies) that a person on the
  other side approves. Masked bookings are never found (art. 12(3) needs a judge there).

The federation envelope has a closed set of message types, so both flows use its public
``query``/``followup`` façade rather than a message type of their own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.errors import NotFound, ValidationFailed
from passerelle.federation import QueryIn, QueryOut, SearchResult, register_kind, send_query
from passerelle.federation.model import Message
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Booking, Hit
from passerelle.pnr.service.review import entry_owner, hit_view
from passerelle.privacy.accounts import Principal

__all__ = ["push_result", "reasoned_request", "received_results", "register_kinds"]

RESULT_KIND = "pnr.result"
SEARCH_KIND = "pnr"


def register_kinds() -> None:
    """Make PNR searchable by partner PIUs and let them push results here."""
    register_kind(
        SEARCH_KIND,
        _search,
        _fetch,
        description="A PNR or rail booking, by record_locator, or by family_name and "
        "date_of_birth (unmasked bookings only).",
        replace=True,
    )
    register_kind(
        RESULT_KIND,
        _file_result,
        _fetch_result,
        description="A confirmed PNR hit pushed by another PIU (art. 9(1)).",
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


def _file_result(payload: Mapping[str, Any], node: Node) -> SearchResult:
    if not payload.get("hit"):
        return SearchResult.no_hit()
    return SearchResult(True, f"result:{payload['hit']}")


def _fetch_result(ref: str, node: Node) -> dict[str, str]:
    return {"result": ref}


def result_payload(session: Session, node: Node, hit: Hit) -> dict[str, Any]:
    """What is sent with a confirmed hit: the match, the journey and the reviewer's reason."""
    view = hit_view(session, hit)
    return {
        "hit": f"{node.code}-{hit.id}",
        "list": hit.list_name,
        "entry_id": hit.entry_id,
        "record_locator": view.record_locator,
        "journey": view.journey,
        "passenger": view.passenger_name,
        "score": view.score,
        "reviewed_by": hit.reviewer,
        "reason": hit.reason,
    }


async def push_result(
    node: Node, client: httpx.AsyncClient, principal: Principal, hit_id: int
) -> QueryOut | None:
    """Send a confirmed watchlist hit to the node owning the alert (None: our own alert)."""

    def load() -> tuple[str, dict[str, Any]] | None:
        with node.session() as session:
            hit = session.get(Hit, hit_id)
            if hit is None or hit.status != "confirmed" or hit.kind != "watchlist":
                return None
            owner = entry_owner(hit.list_name, hit.entry_id, node.code, node.state)
            if owner == node.code:
                return None
            return owner, result_payload(session, node, hit)

    loaded = await run_in_threadpool(load)
    if loaded is None:
        return None
    owner, payload = loaded
    try:
        return await send_query(
            node,
            client,
            principal,
            QueryIn(
                kind=RESULT_KIND,
                payload=payload,
                peers=[owner],
                case_ref=f"pnr-hit-{node.code}-{hit_id}",
                purpose="results of PNR processing to the PIU owning the alert",
                legal_basis=rules.BASIS_RESULTS,
            ),
        )
    except ValidationFailed as exc:  # the owner is not a registered peer of this node
        note = f" — not sent: {exc.message}"

        def record() -> None:
            with node.session() as session:
                row = session.get(Hit, hit_id)
                if row is not None:
                    row.passed_to = f"{row.passed_to}{note}"[:200]

        await run_in_threadpool(record)
        return None


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
    """Confirmed hits other PIUs pushed to this node, newest first (from the federation log)."""
    rows = session.scalars(
        select(Message)
        .where(Message.direction == "in", Message.type == "query")
        .order_by(Message.created_at.desc())
        .limit(limit * 5)
    )
    found: list[dict[str, Any]] = []
    for row in rows:
        body = json.loads(row.body or "{}")  # moved to a pnr table in the next commit
        payload = body.get("payload") or {}
        if payload.get("kind") == RESULT_KIND:
            found.append(
                {"from": row.peer, "received_at": row.created_at, **(payload.get("query") or {})}
            )
    return found[:limit]
