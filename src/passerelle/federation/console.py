"""Console pages of federation under /exchange: queries and answers, follow-up requests awaiting
a decision, message history per case, peer status. Thin: parse the form, call the service."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
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
from passerelle.kit import confirm, flash, forms, labels, listkit
from passerelle.kit.i18n import N_, gettext
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/exchange", include_in_schema=False)
READERS = ("analyst", "supervisor")


M = TypeVar("M", bound=BaseModel)


def _build(model: type[M], data: dict[str, Any]) -> M:
    """Validate a console form into an API shape; problems become a typed 422."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        errors = [
            {**e, "loc": (_FORM_FIELDS.get(".".join(str(p) for p in e["loc"]), "form"),)}
            for e in exc.errors()
        ]
        raise forms.FormInvalid(forms.problems_from_pydantic(errors)) from exc


#: Where each API field of a decision comes from in the console form.
_FORM_FIELDS = {
    "fields": "field",
    "handling.code": "handling_code",
    "handling.text": "handling_text",
    "handling": "handling_text",
    "evaluation.source": "source",
    "evaluation.information": "information",
    "reason": "reason",
}


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
    return flash.redirect(f"/exchange/queries/{result.id}", "Query sent.")


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
    return flash.redirect(f"/exchange/requests/{out.id}?direction=out", "Follow-up request sent.")


@router.get("/requests")
def requests_page(
    request: Request, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    node = node_of(request)
    lq = listkit.ListQuery.of(request, "direction")
    direction = lq.get("direction") if lq.get("direction") in ("in", "out") else None
    rows = [
        r
        for r in followups.listing(session, node, direction=direction)
        if listkit.text_matches(lq.q, r.peer, r.kind, r.case_ref, r.purpose, r.status)
    ]
    rows.sort(key=lambda r: r.direction != "in")  # received first: they wait for us
    directions = [(d, label) for d, label in labels.options("direction") if d in ("in", "out")]
    return render(
        request,
        "federation/requests.html",
        {
            "page": listkit.paginate(rows, lq),
            "query": lq,
            "filters": [("direction", N_("Direction"), directions)],
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
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    # Checked before asking: a refused choice is shown at once, not after confirming.
    data = _build(
        ApproveIn,
        {
            "fields": field or [],
            "handling": {"code": handling_code, "text": handling_text or None},
            "evaluation": {"source": source, "information": information},
        },
    )
    back = f"/exchange/requests/{request_id}?direction=in"
    asked = confirm.step(
        request,
        title=gettext("Approve and send the answer?"),
        consequence=gettext(
            "The fields you ticked (%(count)s) are sent at once to the requesting country, "
            "with the handling code and evaluation you chose. This cannot be undone."
        )
        % {"count": len(field or [])},
        button=gettext("Approve and send"),
        cancel=back,
        confirmed=confirmed,
    )
    if asked is not None:
        return asked
    await service.decide(node_of(request), client_of(request.app), principal, request_id, data)
    return flash.redirect(
        back, "Request approved; the answer is on its way to the requesting country."
    )


@router.post("/requests/{request_id}/refuse")
async def refuse(
    request: Request,
    request_id: str,
    reason: Annotated[str, Form()],
    confirmed: Annotated[str, Form()] = "",
    principal: Principal = require("supervisor"),
) -> Response:
    back = f"/exchange/requests/{request_id}?direction=in"
    asked = confirm.step(
        request,
        title=gettext("Refuse this request?"),
        consequence=gettext(
            "The requesting country is told that the request is refused, with your reason. "
            "This cannot be undone."
        ),
        button=gettext("Refuse the request"),
        cancel=back,
        confirmed=confirmed,
        reason=reason,
        reason_required=True,
    )
    if asked is not None:
        return asked
    await service.decide(
        node_of(request),
        client_of(request.app),
        principal,
        request_id,
        _build(RefuseIn, {"reason": reason}),
    )
    return flash.redirect(back, "Request refused; the requesting country will be told.")


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
