"""REST API of the passenger-data domain under ``/api/v1/pnr``. Thin: the service does the work."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from passerelle.bounds import RowId
from passerelle.digits import MAX_DIGITS, to_int
from passerelle.errors import MalformedInput, PayloadTooLarge
from passerelle.federation import QueryOut, client_of
from passerelle.kit.web import DbSession, node_of
from passerelle.node import Node
from passerelle.pnr import rules, schemas
from passerelle.pnr.ingest import PushRefused, detect_format
from passerelle.pnr.model import Repersonalisation, ScopeDecision
from passerelle.pnr.service import (
    criteria,
    exchange,
    grounds,
    masking,
    review,
    scope,
    store,
    views,
)
from passerelle.privacy import Principal, audit, require

router = APIRouter(prefix="/api/v1/pnr", tags=["pnr"])
PIU = ("analyst", "supervisor")
OVERSIGHT = ("analyst", "supervisor", "dpo")


async def _body(request: Request, limit: int) -> bytes:
    """The pushed file, read in chunks and refused as soon as it passes ``limit`` bytes."""
    too_large = PayloadTooLarge(
        f"a push is limited to {limit} bytes (PASSERELLE_PNR_MAX_PUSH_BYTES)", limit=limit
    )
    declared = request.headers.get("content-length", "")
    if (to_int(declared) or 0) > limit or len(declared) > MAX_DIGITS:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def _ingest(request: Request, principal: Principal, expected: str) -> schemas.IngestOut:
    node = node_of(request)
    data = await _body(request, node.settings.pnr_max_push_bytes)
    if not data:
        raise MalformedInput("the request body is empty: send the pushed file as the body")
    if detect_format(data) != expected:
        raise MalformedInput(
            f"this endpoint takes {'OSDM JSON' if expected == 'osdm' else 'EDIFACT'}"
        )
    name = request.query_params.get("filename") or f"{principal.name}-push"
    actor = audit.Actor(principal.name, principal.agency)
    outcome = await run_in_threadpool(store.ingest_bytes, node, data, name, actor)
    if outcome.result.refused:
        raise PushRefused(
            outcome.result.refused,
            file=outcome.result.file,
            message_id=outcome.message_id,
            duplicate=outcome.duplicate,
            quarantined_total=outcome.result.quarantined_total,
        )
    return schemas.IngestOut(**outcome.to_dict())


@router.post("/pnrgov")
async def push_pnrgov(
    request: Request, principal: Principal = require("carrier")
) -> schemas.IngestOut:
    """Push a PNRGOV EDIFACT interchange (body; ``?filename=`` names it in reports)."""
    return await _ingest(request, principal, "edifact")


@router.post("/paxlst")
async def push_paxlst(
    request: Request, principal: Principal = require("carrier")
) -> schemas.IngestOut:
    """Push a UN/EDIFACT PAXLST (API data) interchange."""
    return await _ingest(request, principal, "edifact")


@router.post("/osdm")
async def push_osdm(
    request: Request, principal: Principal = require("carrier")
) -> schemas.IngestOut:
    """Push one OSDM ``Booking`` JSON document (rail)."""
    return await _ingest(request, principal, "osdm")


@router.get("/journeys")
def list_journeys(
    session: DbSession, mode: str | None = None, principal: Principal = require(*OVERSIGHT)
) -> list[schemas.JourneyOut]:
    """Flights and trains with booking, passenger and hit counts (no personal data)."""
    return views.journeys(session, mode=mode)


@router.get("/bookings/{booking_id}")
def get_booking(
    request: Request, booking_id: RowId, session: DbSession, principal: Principal = require(*PIU)
) -> schemas.BookingOut:
    """A booking: clear before six months, art. 12(2) fields masked after (audited)."""
    view = masking.booking_view(session, node_of(request), principal, booking_id)
    return schemas.BookingOut.model_validate(view)


@router.post("/bookings/{booking_id}/case")
def link_case(
    request: Request,
    booking_id: RowId,
    body: schemas.CaseIn,
    session: DbSession,
    principal: Principal = require(*PIU),
) -> schemas.CaseOut:
    """Record the objective ground that keeps the booking past six months, until its review."""
    row = grounds.link_case(
        session, node_of(request), principal, booking_id, body.case_ref,
        ground=body.ground or "", review_on=body.review_on, hit_id=body.hit_id,
        judicial_reference=body.judicial_reference,
        investigation_number=body.investigation_number, approver=body.approver,
        approver_agency=body.approver_agency,
    )  # fmt: skip
    return schemas.CaseOut(
        booking_id=row.id, case_ref=row.case_ref or "", ground=row.retention_ground
    )


@router.get("/hits")
def list_hits(
    request: Request,
    session: DbSession,
    status: str = "pending",
    principal: Principal = require(*PIU),
) -> list[schemas.HitOut]:
    """The review queue (``status`` pending, confirmed or dismissed) with explanations."""
    views_ = review.queue(session, node_of(request), principal, status=status)
    return [schemas.HitOut(**asdict(v)) for v in views_]


@router.post("/hits/{hit_id}/decision")
async def decide_hit(
    request: Request,
    hit_id: RowId,
    body: schemas.DecisionIn,
    principal: Principal = require(*PIU),
) -> schemas.DecisionOut:
    """Confirm or dismiss a hit; a confirmed hit on another node's alert is pushed to it."""
    view, pushed = await exchange.decide(
        node_of(request), client_of(request.app), principal, hit_id,
        confirm=body.decision == "confirm", reason=body.reason,
    )  # fmt: skip
    return schemas.DecisionOut(**view, pushed=pushed.model_dump(mode="json") if pushed else None)


def _criterion_out(row: Any) -> schemas.CriterionOut:
    return schemas.CriterionOut.model_validate(row, from_attributes=True)


@router.get("/criteria")
def list_criteria(
    session: DbSession, principal: Principal = require(*OVERSIGHT)
) -> list[schemas.CriterionOut]:
    """The newest version of every pre-determined criterion."""
    return [_criterion_out(r) for r in criteria.listing(session)]


@router.post("/criteria")
def save_criterion(
    request: Request,
    body: schemas.CriterionIn,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> schemas.CriterionOut:
    """Validate and store a new version of a criterion (refused on forbidden attributes)."""
    row = criteria.save_audited(session, node_of(request), principal, **body.model_dump())
    return _criterion_out(row)


def _scope_out(row: ScopeDecision, node: Node) -> schemas.ScopeOut:
    now = node.clock.now()
    return schemas.ScopeOut(
        id=row.id,
        kind=row.kind,
        targets=json.loads(row.targets),
        justification=row.justification,
        authority=row.authority,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        created_by=row.created_by,
        active=row.starts_at <= now < row.ends_at,
    )


@router.get("/scope")
def list_scope(
    request: Request, session: DbSession, principal: Principal = require(*OVERSIGHT)
) -> list[schemas.ScopeOut]:
    """Rail scope decisions and threat periods, with their end dates."""
    return [_scope_out(r, node_of(request)) for r in scope.decisions(session)]


@router.post("/scope")
def create_scope(
    request: Request,
    body: schemas.ScopeIn,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> schemas.ScopeOut:
    """Record a scope decision (routes, stations or a threat period, limited in time)."""
    node = node_of(request)
    row = scope.decide_scope(
        session, author=principal.name, now=node.clock.now(), **body.model_dump()
    )
    node.audit(
        session,
        audit.Actor(principal.name, principal.agency),
        action="write",
        object_type="pnr.scope",
        object_id=str(row.id),
        purpose="scope of intra-EU rail data collection",
        legal_basis=rules.BASIS_SCOPE,
        details={"kind": row.kind, "authority": row.authority, "ends": row.ends_at.isoformat()},
    )
    return _scope_out(row, node)


def _reperso_out(row: Repersonalisation) -> schemas.RepersonalisationOut:
    return schemas.RepersonalisationOut.model_validate(row, from_attributes=True)


@router.post("/repersonalisations")
def request_repersonalisation(
    request: Request,
    body: schemas.RepersonalisationIn,
    session: DbSession,
    principal: Principal = require(*PIU),
) -> schemas.RepersonalisationOut:
    """Ask to see a masked booking for a case; a judicial authority decides."""
    row = masking.request_repersonalisation(
        session, node_of(request), principal, body.booking_id,
        grounds=body.grounds, case_ref=body.case_ref,
    )  # fmt: skip
    return _reperso_out(row)


@router.get("/repersonalisations")
def list_repersonalisations(
    session: DbSession, principal: Principal = require("judicial", "analyst", "supervisor", "dpo")
) -> list[schemas.RepersonalisationOut]:
    """Re-personalisation requests, newest first."""
    return [_reperso_out(r) for r in masking.requests(session)]


@router.post("/repersonalisations/{request_id}/decision")
def decide_repersonalisation(
    request: Request,
    request_id: RowId,
    body: schemas.RepersonalisationDecisionIn,
    session: DbSession,
    principal: Principal = require("judicial"),
) -> schemas.RepersonalisationOut:
    """Approve or refuse (a judicial authority of another agency than the requester's PIU)."""
    row = masking.decide_repersonalisation(
        session, node_of(request), principal, request_id,
        approve=body.decision == "approve", reason=body.reason, basis=body.basis,
    )  # fmt: skip
    return _reperso_out(row)


@router.get("/repersonalisations/{request_id}/booking")
def unmasked_booking(
    request: Request, request_id: RowId, session: DbSession, principal: Principal = require(*PIU)
) -> schemas.BookingOut:
    """The masked booking in clear under an approved request (audited)."""
    view = masking.unmasked_view(session, node_of(request), principal, request_id)
    return schemas.BookingOut.model_validate(view)


@router.get("/quarantine")
def list_quarantine(
    request: Request, session: DbSession, principal: Principal = require("analyst", "dpo")
) -> list[schemas.QuarantineOut]:
    """Raw input that could not be read, with file, segment and reason (audited read)."""
    rows = views.quarantine(session, node_of(request), principal)
    return [schemas.QuarantineOut.model_validate(r, from_attributes=True) for r in rows]


@router.get("/statistics")
def statistics(
    session: DbSession, principal: Principal = require(*OVERSIGHT)
) -> schemas.StatisticsOut:
    """Pushes, bookings, passengers, hits, refusals and deletions counted."""
    return schemas.StatisticsOut(**views.statistics(session))


@router.post("/requests")
async def reasoned_request(
    request: Request, body: schemas.ReasonedRequestIn, principal: Principal = require(*PIU)
) -> QueryOut:
    """Ask partner PIUs for a booking: reasoned request, or emergency request."""
    return await exchange.reasoned_request(
        node_of(request), client_of(request.app), principal, peers=body.peers,
        query=body.query, case_ref=body.case_ref, grounds=body.grounds,
        emergency=body.emergency,
    )  # fmt: skip


@router.get("/results")
def received_results(
    session: DbSession, principal: Principal = require(*PIU)
) -> list[schemas.ReceivedResultOut]:
    """Confirmed hits other PIUs pushed to this node."""
    return [schemas.ReceivedResultOut.model_validate(r) for r in exchange.received_results(session)]
