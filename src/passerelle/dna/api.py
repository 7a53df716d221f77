"""REST API of the DNA domain under ``/api/v1/dna``. Thin: the store and exchange modules do
the work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from passerelle.bounds import RowId
from passerelle.dna import csvio, schemas
from passerelle.dna.model import MatchRecord, StoredProfile
from passerelle.dna.service import exchange, store
from passerelle.errors import MalformedInput
from passerelle.federation import client_of
from passerelle.kit.web import DbSession, node_of
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/api/v1/dna", tags=["dna"])
LAB = ("analyst", "supervisor")
OVERSIGHT = ("analyst", "supervisor", "dpo")


def json_rows(data: schemas.ImportIn) -> Iterator[tuple[int, dict[str, str]]]:
    """Long-form rows of a JSON import; the line number is the profile's position (from 1)."""
    for position, p in enumerate(data.profiles, 1):
        common = {
            "profile_id": p.profile_id,
            "sample_type": str(p.sample_type or data.sample_type or ""),
            "kit": p.kit or data.kit or "",
            "laboratory": p.laboratory or data.laboratory or "",
            "single_source": "true" if p.single_source else "false",
            "person_status": p.person_status or "",
            "minor": "true" if p.minor else "false",
            "listed_offence": "true" if p.listed_offence else "false",
            "registered_on": p.registered_on.isoformat() if p.registered_on else "",
            "final_decision_on": p.final_decision_on.isoformat() if p.final_decision_on else "",
        }
        for locus, alleles in p.loci.items():
            row = {**common, "locus": locus}
            row.update({f"allele_{i}": a for i, a in enumerate(alleles, 1)})
            yield position, row


def report_out(outcome: store.StoreOutcome) -> JSONResponse:
    body = schemas.ImportReportOut(**outcome.to_dict())
    status = 201 if outcome.report.profiles else 422
    return JSONResponse(body.model_dump(mode="json"), status_code=status)


@router.post("/profiles", status_code=201, response_model=schemas.ImportReportOut)
async def import_profiles(
    request: Request,
    sample_type: str | None = None,
    laboratory: str | None = None,
    kit: str | None = None,
    principal: Principal = require(*LAB),
) -> JSONResponse:
    """Import profiles as JSON (:class:`schemas.ImportIn`) or as a long-form CSV body
    (``content-type: text/csv``; ``sample_type``, ``laboratory``, ``kit`` as query
    parameters). 201 with the validation report when something was stored, 422 when nothing
    was importable."""
    node = node_of(request)
    body = await request.body()
    if not body:
        raise MalformedInput("the request body is empty")
    access = store.access_for(principal, node)
    if request.headers.get("content-type", "").startswith("text/csv"):
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MalformedInput("the CSV is not UTF-8") from exc
        rows: Any = store.with_defaults(
            csvio.read_rows(text), sample_type=sample_type, laboratory=laboratory, kit=kit
        )
    else:
        try:
            data = schemas.ImportIn.model_validate_json(body)
        except ValidationError as exc:
            raise MalformedInput(f"not a profile import: {exc.errors()[0]['msg']}") from exc
        rows = json_rows(data)

    def store_rows() -> store.StoreOutcome:
        with node.session() as session:
            return store.store_profiles(session, node, access, rows)

    return report_out(await run_in_threadpool(store_rows))


def profile_out(row: StoredProfile) -> schemas.ProfileOut:
    return schemas.ProfileOut(
        profile_id=row.national_reference,
        sample_type=row.sample_type,
        kit=row.kit,
        laboratory=row.laboratory,
        single_source=row.single_source,
        exchangeable=row.exchangeable,
        flags=row.flags,
        loci=row.loci,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


@router.get("/profiles/{profile_id}")
def get_profile(
    request: Request, profile_id: str, session: DbSession, principal: Principal = require(*LAB)
) -> schemas.ProfileOut:
    """One stored profile (audited read)."""
    node = node_of(request)
    row = store.get_profile(session, node, store.access_for(principal, node), profile_id)
    return profile_out(row)


@router.post("/search")
def search(
    request: Request,
    data: schemas.SearchIn,
    session: DbSession,
    principal: Principal = require(*LAB),
) -> schemas.SearchOut:
    """National search of a stored or inline profile: Prüm rules with quality and RMP, or a
    CODIS stringency (``stringency``: high, moderate, low). Each match is recorded."""
    node = node_of(request)
    access = store.access_for(principal, node)
    query = store.query_profile(session, node, access, data.profile_id, data.loci)
    hits = store.national_search(
        session,
        node,
        access,
        query,
        population=data.population,
        theta=data.theta,
        method=data.method,
        stringency=data.stringency,
    )
    return schemas.SearchOut(
        profile_id=query.profile_id,
        hits=[
            schemas.HitOut(
                match_id=h.match_id,
                matched_profile=h.matched_ref,
                rule=h.rule,
                matching_loci=h.matching_loci,
                mismatched_alleles=h.mismatched_alleles,
                quality=h.quality,
                quality_name=store.QUALITY_NAMES.get(h.quality or 0),
                rmp=h.rmp,
                needs_lab_confirmation=h.needs_lab_confirmation,
            )
            for h in hits
        ],
    )


def match_out(m: MatchRecord) -> schemas.MatchOut:
    return schemas.MatchOut(
        id=m.id,
        scope=m.scope,
        rule=m.rule,
        query_profile=m.query_ref,
        matched=m.matched_ref,
        peer=m.peer,
        query_id=m.query_id,
        matching_loci=m.matching_loci,
        mismatched_alleles=m.mismatched_alleles,
        quality=m.quality,
        quality_name=store.QUALITY_NAMES.get(m.quality or 0),
        rmp=m.rmp,
        needs_lab_confirmation=m.needs_lab_confirmation,
        status=m.status,
        created_at=m.created_at,
    )


@router.get("/matches")
def matches(
    request: Request,
    session: DbSession,
    scope: str | None = None,
    principal: Principal = require(*OVERSIGHT),
) -> list[schemas.MatchOut]:
    """Recorded matches, newest first (``scope``: national, out, in)."""
    node = node_of(request)
    rows = store.list_matches(session, node, store.access_for(principal, node), scope=scope)
    return [match_out(m) for m in rows]


@router.post("/matches/{match_id}/review")
def review(
    request: Request,
    match_id: RowId,
    data: schemas.ReviewIn,
    session: DbSession,
    principal: Principal = require(*LAB),
) -> schemas.MatchOut:
    """Confirm or reject a candidate match (a quality 3 or 4 match is confirmed only with a
    note citing the laboratory's confirmation)."""
    node = node_of(request)
    access = store.access_for(principal, node)
    return match_out(store.review_match(session, node, access, match_id, data.decision, data.note))


def cross_border_out(result: exchange.CrossBorderResult) -> schemas.CrossBorderOut:
    return schemas.CrossBorderOut(
        query_id=result.query_id,
        profile_id=result.profile_id,
        complete=result.complete,
        answers=[schemas.PeerAnswerOut(**vars(a)) for a in result.answers],
    )


@router.post("/cross-border")
async def cross_border(
    request: Request, data: schemas.CrossBorderIn, principal: Principal = require(*LAB)
) -> schemas.CrossBorderOut:
    """Search a stored profile against one or all peers: HIT / NO HIT with the quality class."""
    result = await exchange.cross_border(
        node_of(request),
        client_of(request.app),
        principal,
        profile_ref=data.profile_id,
        peers=data.peers,
        case_ref=data.case_ref,
        purpose=data.purpose,
    )
    return cross_border_out(result)


@router.get("/cross-border/{query_id}")
def cross_border_result(
    query_id: str, session: DbSession, principal: Principal = require(*LAB)
) -> schemas.CrossBorderOut:
    """A cross-border search with the answers received so far (late answers included)."""
    return cross_border_out(exchange.result_of(session, query_id))


__all__ = ["router"]
