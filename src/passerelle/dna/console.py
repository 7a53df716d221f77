"""Console pages of the DNA domain under /dna. Thin: parse the form, call the store or the
exchange module, render a template."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from passerelle.bounds import RowId
from passerelle.dna import console_matches, csvio, rules
from passerelle.dna.service import exchange, store
from passerelle.dna.stats import Method
from passerelle.errors import MalformedInput
from passerelle.federation import client_of, recent_queries
from passerelle.kit import flash
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/dna", include_in_schema=False)
LAB = ("analyst", "supervisor")
OVERSIGHT = ("analyst", "supervisor", "dpo")


def _common() -> dict[str, object]:
    return {
        "sample_types": [s.value for s in rules.SampleType],
        "stringencies": [s.value for s in rules.Stringency],
        "quality_names": store.QUALITY_NAMES,
    }


@router.get("")
def matches_page(
    request: Request, session: DbSession, principal: Principal = require(*OVERSIGHT)
) -> Response:
    """Recorded matches: search, ``scope`` and ``status`` filters, pages, ``format=csv``."""
    listed = console_matches.matches(request, session, principal)
    if isinstance(listed, Response):
        return listed
    return render(request, "dna/matches.html", {**_common(), **listed})


@router.post("/matches/{match_id}/review")
def review_page(
    request: Request,
    match_id: RowId,
    session: DbSession,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    principal: Principal = require(*LAB),
) -> Response:
    node = node_of(request)
    store.review_match(session, node, store.access_for(principal, node), match_id, decision, note)
    return flash.redirect("/dna", "Match review recorded.")


@router.post("/import")
async def import_page(
    request: Request,
    file: UploadFile | None = None,
    csv_text: Annotated[str, Form()] = "",
    sample_type: Annotated[str, Form()] = "",
    laboratory: Annotated[str, Form()] = "",
    kit: Annotated[str, Form()] = "",
    principal: Principal = require(*LAB),
) -> Response:
    node = node_of(request)
    data = await file.read() if file is not None and file.filename else b""
    try:
        text = data.decode("utf-8-sig") if data else csv_text
    except UnicodeDecodeError as exc:
        raise MalformedInput("the CSV is not UTF-8") from exc
    if not text.strip():
        raise MalformedInput("choose a CSV file or paste its content")
    rows = store.with_defaults(
        csvio.read_rows(text), sample_type=sample_type, laboratory=laboratory, kit=kit
    )

    def store_rows() -> store.StoreOutcome:
        with node.session() as session:
            return store.store_profiles(session, node, store.access_for(principal, node), rows)

    outcome = await run_in_threadpool(store_rows)
    status = 200 if outcome.report.profiles else 422
    return render(request, "dna/report.html", {"outcome": outcome}, status=status)


@router.post("/search")
def search_page(
    request: Request,
    session: DbSession,
    profile_id: Annotated[str, Form()],
    stringency: Annotated[str, Form()] = "",
    principal: Principal = require(*LAB),
) -> Response:
    node = node_of(request)
    access = store.access_for(principal, node)
    query = store.query_profile(session, node, access, profile_id.strip(), None)
    hits = store.national_search(
        session,
        node,
        access,
        query,
        method=Method.NRC2_41,
        stringency=rules.Stringency(stringency) if stringency else None,
    )
    return render(
        request, "dna/results.html", {**_common(), "query": query.profile_id, "hits": hits}
    )


@router.get("/cross-border")
def cross_border_page(
    request: Request, session: DbSession, principal: Principal = require(*LAB)
) -> Response:
    searches = [q for q in recent_queries(session) if q.kind == exchange.KIND]
    results = [exchange.result_of(session, q.id) for q in searches[:20]]
    return render(request, "dna/cross_border.html", {**_common(), "results": results})


@router.post("/cross-border")
async def cross_border_send(
    request: Request,
    profile_id: Annotated[str, Form()],
    case_ref: Annotated[str, Form()],
    peer: Annotated[str, Form()] = "",
    principal: Principal = require(*LAB),
) -> Response:
    result = await exchange.cross_border(
        node_of(request),
        client_of(request.app),
        principal,
        profile_ref=profile_id.strip(),
        peers=[peer.strip().upper()] if peer.strip() else None,
        case_ref=case_ref.strip(),
    )
    return render(request, "dna/cross_border.html", {**_common(), "results": [result]})


__all__ = ["router"]
