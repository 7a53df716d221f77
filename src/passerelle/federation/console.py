"""Console pages of federation under /exchange: queries and answers, follow-up requests awaiting
a decision, message history per case, peer status. Thin: parse the form, call the service."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.errors import ValidationFailed
from passerelle.federation import case_view, followups, kinds, peers, rules, service
from passerelle.federation.api import client_of
from passerelle.federation.schemas import (
    ApproveIn,
    FollowupIn,
    QueryIn,
    RefuseIn,
)
from passerelle.privacy.access import require
from passerelle.privacy.accounts import Principal
from passerelle.web.console import render
from passerelle.web.deps import db, node_of

router = APIRouter(prefix="/exchange", include_in_schema=False)
DbSession = Annotated[Session, Depends(db, scope="function")]
READERS = ("analyst", "supervisor")


M = TypeVar("M", bound=BaseModel)


def _build(model: type[M], data: dict[str, Any]) -> M:
    """Validate a console form into an API shape; problems become a typed 422."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        summary = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise ValidationFailed(f"invalid form: {summary}") from exc


def _parse_fields(text: str) -> dict[str, str]:
    """``name=value`` lines, the query payload typed in the console."""
    payload: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise ValidationFailed(f"write one criterion per line as name=value, not {line!r}")
        payload[name.strip()] = value.strip()
    if not payload:
        raise ValidationFailed("a query needs at least one criterion")
    return payload


@router.get("")
def overview(
    request: Request, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    return render(
        request,
        "federation/overview.html",
        {
            "queries": service.recent_queries(session, limit=30),
            "peers": peers.all_peers(session),
            "kinds": sorted(set(kinds.registered_kinds()) | set(kinds.KNOWN_KINDS)),
        },
    )


@router.post("/queries")
async def create_query(
    request: Request,
    kind: Annotated[str, Form()],
    criteria: Annotated[str, Form()],
    case_ref: Annotated[str, Form()],
    purpose: Annotated[str, Form()],
    legal_basis: Annotated[str, Form()],
    peer: Annotated[list[str] | None, Form()] = None,
    principal: Principal = require("analyst"),
) -> Response:
    data = _build(
        QueryIn,
        {
            "kind": kind,
            "payload": _parse_fields(criteria),
            "peers": peer or None,
            "case_ref": case_ref,
            "purpose": purpose,
            "legal_basis": legal_basis,
        },
    )
    result = await service.send_query(node_of(request), client_of(request.app), principal, data)
    return RedirectResponse(f"/exchange/queries/{result.id}", status_code=303)


@router.get("/queries/{query_id}")
def query_page(
    request: Request, query_id: str, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    return render(request, "federation/query.html", {"query": service.get_query(session, query_id)})


@router.post("/followups")
async def create_followup(
    request: Request,
    query_id: Annotated[str, Form()],
    peer: Annotated[str, Form()],
    reference: Annotated[str, Form()],
    case_ref: Annotated[str, Form()],
    purpose: Annotated[str, Form()],
    legal_basis: Annotated[str, Form()],
    urgent: Annotated[bool, Form()] = False,
    indirect: Annotated[bool, Form()] = False,
    principal: Principal = require("analyst"),
) -> Response:
    data = _build(
        FollowupIn,
        {
            "query_id": query_id,
            "peer": peer,
            "reference": reference,
            "case_ref": case_ref,
            "purpose": purpose,
            "legal_basis": legal_basis,
            "urgent": urgent,
            "directly_accessible": not indirect,
        },
    )
    out = await service.request_followup(node_of(request), client_of(request.app), principal, data)
    return RedirectResponse(f"/exchange/requests/{out.id}?direction=out", status_code=303)


@router.get("/requests")
def requests_page(
    request: Request, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    node = node_of(request)
    return render(
        request,
        "federation/requests.html",
        {
            "incoming": followups.listing(session, node, direction="in"),
            "outgoing": followups.listing(session, node, direction="out"),
        },
    )


@router.get("/requests/{request_id}")
def request_page(
    request: Request,
    request_id: str,
    session: DbSession,
    direction: Literal["in", "out"] = "out",
    principal: Principal = require(*READERS),
) -> Response:
    node = node_of(request)
    item = followups.get(session, node, principal, request_id, direction)
    deciding = direction == "in" and item.status == "pending" and "supervisor" in principal.roles
    available = followups.available_fields(session, node, principal, request_id) if deciding else {}
    return render(
        request,
        "federation/request.html",
        {
            "item": item,
            "deciding": deciding,
            "available": available,
            "handling_codes": rules.HANDLING_CODES,
            "reliability": rules.SOURCE_RELIABILITY,
            "accuracy": rules.INFORMATION_ACCURACY,
        },
    )


@router.post("/requests/{request_id}/approve")
async def approve(
    request: Request,
    request_id: str,
    handling_code: Annotated[str, Form()],
    source: Annotated[str, Form()],
    information: Annotated[str, Form()],
    field: Annotated[list[str] | None, Form()] = None,
    handling_text: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    data = _build(
        ApproveIn,
        {
            "fields": field or [],
            "handling": {"code": handling_code, "text": handling_text or None},
            "evaluation": {"source": source, "information": information},
        },
    )
    await service.decide(node_of(request), client_of(request.app), principal, request_id, data)
    return RedirectResponse(f"/exchange/requests/{request_id}?direction=in", status_code=303)


@router.post("/requests/{request_id}/refuse")
async def refuse(
    request: Request,
    request_id: str,
    reason: Annotated[str, Form()],
    principal: Principal = require("supervisor"),
) -> Response:
    await service.decide(
        node_of(request),
        client_of(request.app),
        principal,
        request_id,
        _build(RefuseIn, {"reason": reason}),
    )
    return RedirectResponse(f"/exchange/requests/{request_id}?direction=in", status_code=303)


@router.get("/cases")
def cases_page(
    request: Request,
    session: DbSession,
    q: str = "",
    principal: Principal = require(*READERS, "dpo"),
) -> Response:
    return render(
        request, "federation/cases.html", {"cases": service.search_cases(session, q), "q": q}
    )


@router.get("/cases/{case_ref}")
def case_page(
    request: Request,
    case_ref: str,
    session: DbSession,
    principal: Principal = require(*READERS, "dpo"),
) -> Response:
    messages = case_view.case_messages(session, node_of(request), principal, case_ref)
    return render(request, "federation/case.html", {"case_ref": case_ref, "messages": messages})


@router.get("/peers")
async def peers_page(
    request: Request, principal: Principal = require("admin", *READERS)
) -> Response:
    node = node_of(request)

    def load() -> dict[str, object]:
        with node.session() as session:
            return {
                "peers": service.peer_status(session),
                "outbox": service.outbox_messages(session),
            }

    return render(request, "federation/peers.html", await run_in_threadpool(load))
