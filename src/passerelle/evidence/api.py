"""REST API of the evidence domain under /api/v1/evidence. Issuing authorities (judicial,
analyst) issue and follow orders; a provider's addressee (token role ``provider``) receives,
acknowledges and answers them, and runs the NAT lookup inside identification orders.
Routes are thin: the rules are in ``service``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import httpx
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.bounds import Count, RowId
from passerelle.evidence import export
from passerelle.evidence.schemas import (
    AnswerOut,
    DataAnswerIn,
    ImpossibilityIn,
    NatLookupIn,
    OrderIn,
    OrderOut,
    ProviderIn,
    ProviderOut,
    RefuseIn,
    ValidateIn,
)
from passerelle.evidence.service import answers, directory, exchange, orders
from passerelle.kit.web import DbSession, node_of
from passerelle.privacy import Principal, require

router = APIRouter(prefix="/api/v1/evidence", tags=["evidence"])
ISSUERS = ("judicial", "analyst")
READERS = ("judicial", "analyst", "supervisor")
PROVIDER = ("provider",)


def _out(session: Any, request: Request, order: Any) -> OrderOut:
    return answers.to_out(session, order, node_of(request).clock.now())


@router.get("/providers")
def list_providers(
    session: DbSession, country: str = "", q: str = "",
    principal: Principal = require(*READERS, "admin"),
) -> list[ProviderOut]:  # fmt: skip
    """The directory of providers' establishments and legal representatives."""
    return [directory.to_out(p) for p in directory.list_providers(session, country, q)]


@router.post("/providers", status_code=201)
def add_provider(
    request: Request, body: ProviderIn, session: DbSession,
    principal: Principal = require("admin", "supervisor"),
) -> dict[str, Any]:  # fmt: skip
    """Register an addressee; its API token (role provider) is returned once."""
    node = node_of(request)
    row, token = directory.add_provider(session, node, body)
    node.audit_admin(session, principal.actor, "evidence.provider", row.code, "add")
    return {**directory.to_out(row).model_dump(), "token": token}


def client_of(app: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        client = httpx.AsyncClient()
        app.state.federation_client = client
    return client


@router.post("/orders", status_code=201)
async def issue_order(
    request: Request, body: OrderIn, principal: Principal = require(*ISSUERS)
) -> OrderOut:
    """Issue an EPOC or EPOC-PR; rules of art. 4, 5 and 8 are checked (422 with the field).
    A notified order's certificate goes to the enforcing state's node at once."""
    node = node_of(request)

    def run() -> tuple[OrderOut, list[str]]:
        with node.session() as session:
            order = orders.issue(session, node, principal, body)
            return _out(session, request, order), list(session.info.get(orders.OUTBOX_KEY, []))

    out, ids = await run_in_threadpool(run)
    if ids:
        await federation.deliver_messages(node, client_of(request.app), ids)
    return out


@router.get("/orders")
def list_orders(
    request: Request, session: DbSession, status: str = "", q: str = "", provider: str = "",
    limit: Annotated[Count, Query()] = 200, principal: Principal = require(*READERS),
) -> list[OrderOut]:  # fmt: skip
    """Orders, newest first, each with its urgency (audited read)."""
    rows = orders.search(session, node_of(request), principal, status=status, q=q,
                         provider=provider, limit=max(1, min(limit, 1000)))  # fmt: skip
    return [_out(session, request, o) for o in rows]


@router.get("/orders/{order_id}")
def get_order(
    request: Request, order_id: str, session: DbSession, principal: Principal = require(*READERS)
) -> OrderOut:
    """One order with its answers and file hashes (audited read)."""
    return _out(session, request, orders.get(session, node_of(request), principal, order_id))


@router.post("/orders/{order_id}/validate")
def validate_order(
    request: Request, order_id: str, body: ValidateIn, session: DbSession,
    principal: Principal = require("judicial"),
) -> OrderOut:  # fmt: skip
    """Validate an emergency order issued without prior validation (art. 4(5))."""
    node = node_of(request)
    return _out(session, request, orders.validate(session, node, principal, order_id, body))


@router.post("/orders/{order_id}/{act}")
def act_on_order(
    request: Request, order_id: str, act: Literal["extend", "confirm", "withdraw"],
    session: DbSession, principal: Principal = require(*ISSUERS),
) -> OrderOut:  # fmt: skip
    """``extend`` (Annex VI), ``confirm`` (Annex V) or ``withdraw`` an order."""
    operation = {"extend": orders.extend, "confirm": orders.confirm, "withdraw": orders.withdraw}
    order = operation[act](session, node_of(request), principal, order_id)
    return _out(session, request, order)


@router.get("/orders/{order_id}/export.json")
def export_json(
    request: Request, order_id: str, session: DbSession, principal: Principal = require(*READERS)
) -> Response:
    """The order with its answers as a JSON document (audited read)."""
    body = _out(session, request, orders.get(session, node_of(request), principal, order_id))
    return Response(
        export.as_json(body),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{body.reference}.json"'},
    )


@router.get("/orders/{order_id}/export.pdf")
def export_pdf(
    request: Request, order_id: str, session: DbSession,
    lang: Literal["fr", "nl", "en"] = "fr", principal: Principal = require(*READERS),
) -> Response:  # fmt: skip
    """The certificate as PDF in French, Dutch or English (audited read)."""
    body = _out(session, request, orders.get(session, node_of(request), principal, order_id))
    return Response(export.as_pdf(body, lang), media_type="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{body.reference}-{lang}.pdf"'})  # fmt: skip


@router.get("/orders/{order_id}/files/{file_id}")
def download_file(
    request: Request, order_id: str, file_id: RowId,
    session: DbSession, principal: Principal = require(*READERS),
) -> Response:  # fmt: skip
    """One file of the provider's answer, with its SHA-256 in a header (audited read)."""
    node = node_of(request)
    order = orders.get(session, node, principal, order_id)
    row = answers.read_file(session, node, principal, order, file_id)
    return Response(
        row.content,
        media_type=row.media_type,
        headers={
            "X-Content-SHA256": row.sha256,
            "Content-Disposition": f'attachment; filename="{row.name}"',
        },
    )


# -- provider side ------------------------------------------------------------------------


@router.get("/provider/orders")
def provider_inbox(
    request: Request, session: DbSession, principal: Principal = require(*PROVIDER)
) -> list[OrderOut]:
    """Orders addressed to the calling provider (audited read)."""
    rows = answers.inbox(session, node_of(request), principal)
    return [_out(session, request, o) for o in rows]


@router.post("/provider/orders/{order_id}/ack")
def provider_ack(
    request: Request, order_id: str, session: DbSession, principal: Principal = require(*PROVIDER)
) -> OrderOut:
    """Acknowledge receipt of an order."""
    return _out(session, request,
                answers.acknowledge(session, node_of(request), principal, order_id))  # fmt: skip


@router.post("/provider/orders/{order_id}/answer", status_code=201)
def provider_answer(
    request: Request, order_id: str, body: DataAnswerIn, session: DbSession,
    principal: Principal = require(*PROVIDER),
) -> AnswerOut:  # fmt: skip
    """Answer with data files (base64); each file's SHA-256 is computed on receipt."""
    node = node_of(request)
    answer = answers.answer_data(session, node, principal, order_id, body)
    order = answers.addressed(session, principal, order_id)
    return next(a for a in _out(session, request, order).answers if a.id == answer.id)


@router.post("/provider/orders/{order_id}/impossibility", status_code=201)
def provider_impossibility(
    request: Request, order_id: str, body: ImpossibilityIn, session: DbSession,
    principal: Principal = require(*PROVIDER),
) -> AnswerOut:  # fmt: skip
    """Annex III: the order cannot be executed, with the reason."""
    node = node_of(request)
    answer = answers.answer_impossible(session, node, principal, order_id, body)
    order = answers.addressed(session, principal, order_id)
    return next(a for a in _out(session, request, order).answers if a.id == answer.id)


@router.post("/provider/orders/{order_id}/nat-lookup")
def provider_nat_lookup(
    request: Request, order_id: str, body: NatLookupIn, session: DbSession,
    principal: Principal = require(*PROVIDER),
) -> dict[str, Any]:  # fmt: skip
    """Attribute (IP, port, time) from this node's NAT-log store inside an open
    identification order: the subscriber line and the evidence (mapping or log); audited."""
    return answers.nat_lookup(session, node_of(request), principal, order_id, body)


# -- enforcing state ----------------------------------------------------------------------


@router.get("/notifications")
def list_notifications(
    request: Request, session: DbSession, principal: Principal = require(*READERS)
) -> list[dict[str, Any]]:
    """Art. 8 notifications received from issuing states, with their review window."""
    rows = exchange.notifications(session, node_of(request), principal)
    now = node_of(request).clock.now()
    return [
        {
            "reference": n.reference,
            "sender": n.sender,
            "received_at": n.received_at,
            "review_until": n.review_until,
            "open": now <= n.review_until,
            "refusal_ground": n.refusal_ground,
            "certificate": n.certificate,
        }
        for n in rows
    ]


@router.post("/notifications/{reference}/refuse")
async def refuse_notification(
    request: Request, reference: str, body: RefuseIn, principal: Principal = require("judicial")
) -> dict[str, Any]:
    """Raise a ground for refusal (art. 12) within the review window; the issuing node is told."""
    node = node_of(request)

    def run() -> list[str]:
        with node.session() as session:
            return exchange.refuse(session, node, principal, reference, body.ground, body.reason)

    ids = await run_in_threadpool(run)
    states = await federation.deliver_messages(node, client_of(request.app), ids)
    return {"reference": reference, "ground": body.ground,
            "delivered": [s.status for s in states]}  # fmt: skip
