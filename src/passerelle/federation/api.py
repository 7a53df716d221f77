"""Routes: the signed inbox every peer posts to, and the REST API under /api/v1/federation.

The inbox authenticates by RFC 9421 signature instead of a role; every other route declares its
roles with ``require``. Sending routes are async: they commit the act, then wait for the peers
up to the per-peer timeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from passerelle.federation import delivery, followups, inbox, kinds, outbox, rules, service, tls
from passerelle.federation.schemas import (
    ApproveIn,
    FollowupIn,
    FollowupOut,
    MessageOut,
    PeerOut,
    QueryIn,
    QueryOut,
    RefuseIn,
)
from passerelle.kit.web import DbSession, node_of
from passerelle.node import Node
from passerelle.privacy import Principal, require

READERS = ("analyst", "supervisor")


def client_of(app: FastAPI) -> httpx.AsyncClient:
    """The app's HTTP client for peers (created on first use if the lifespan did not run)."""
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        # The per-peer timeout is enforced around each delivery; httpx's own (5 s by default)
        # must not cut it short.
        node: Node = app.state.node
        client = httpx.AsyncClient(
            timeout=node.settings.federation_timeout_seconds + 5,
            **tls.client_options(node.settings),
        )
        app.state.federation_client = client
    return client


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Keep one HTTP client for the server's life and run the outbox delivery worker."""
    node: Node = app.state.node
    client = client_of(app)
    try:
        if getattr(app.state, "federation_worker", True):
            async with delivery.worker(node, client):
                yield
        else:
            yield
    finally:
        await client.aclose()
        app.state.federation_client = None


inbox_router = APIRouter(tags=["federation"], lifespan=lifespan)
router = APIRouter(prefix="/api/v1/federation", tags=["federation"])


@inbox_router.post(rules.INBOX_PATH, include_in_schema=True, summary="Federation inbox")
async def receive(request: Request) -> Response:
    """Every node-to-node message. Authenticated by its RFC 9421 signature, not by a role."""
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    node = node_of(request)
    if tls.mutual_tls(node.settings):
        await run_in_threadpool(
            tls.check_client, node, tls.peer_certificate(request.state), headers
        )
    reply = await run_in_threadpool(
        inbox.receive,
        node_of(request),
        method=request.method,
        path=request.url.path,
        headers=headers,
        body=body,
        source=request.client.host if request.client else "unknown",
    )
    return Response(reply.body, status_code=reply.status, headers=reply.headers)


@router.get("/peers")
def list_peers(
    session: DbSession, principal: Principal = require("admin", *READERS)
) -> list[PeerOut]:
    """Partner nodes and their status (last success, last error, undelivered messages)."""
    return service.peer_status(session)


@router.get("/kinds")
def list_kinds(principal: Principal = require("admin", *READERS)) -> list[dict[str, str]]:
    """The message kinds this node answers, each with the legal basis it travels under."""
    return [
        {"kind": k.name, "description": k.description, "legal_basis": k.legal_basis}
        for k in (kinds.get_kind(name) for name in kinds.registered_kinds())
    ]


@router.post("/queries")
async def create_query(
    request: Request, data: QueryIn, principal: Principal = require("analyst")
) -> QueryOut:
    """Ask one or all peers; answers HIT + opaque reference or NO HIT; partial if a peer is late."""
    return await service.send_query(node_of(request), client_of(request.app), principal, data)


@router.get("/queries")
def list_queries(session: DbSession, principal: Principal = require(*READERS)) -> list[QueryOut]:
    return service.recent_queries(session)


@router.get("/queries/{query_id}")
def read_query(
    query_id: str, session: DbSession, principal: Principal = require(*READERS)
) -> QueryOut:
    return service.get_query(session, query_id)


@router.post("/followups")
async def create_followup(
    request: Request, data: FollowupIn, principal: Principal = require("analyst")
) -> FollowupOut:
    """Ask the peer for the data behind a HIT, naming case, purpose and legal basis."""
    return await service.request_followup(node_of(request), client_of(request.app), principal, data)


@router.get("/followups")
def list_followups(
    request: Request,
    session: DbSession,
    direction: Literal["in", "out"] | None = None,
    status: str | None = None,
    principal: Principal = require(*READERS),
) -> list[FollowupOut]:
    return followups.listing(session, node_of(request), direction=direction, status=status)


@router.get("/followups/{request_id}")
def read_followup(
    request: Request,
    request_id: str,
    session: DbSession,
    direction: Literal["in", "out"] = "out",
    principal: Principal = require(*READERS),
) -> FollowupOut:
    """One request with any released data (reading it is audited)."""
    return followups.get(session, node_of(request), principal, request_id, direction)


@router.get("/followups/{request_id}/fields")
def releasable_fields(
    request: Request,
    request_id: str,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> dict[str, str]:
    """The data behind an incoming request's reference, for the deciding supervisor."""
    return followups.available_fields(session, node_of(request), principal, request_id)


@router.post("/followups/{request_id}/approve")
async def approve_followup(
    request: Request, request_id: str, data: ApproveIn, principal: Principal = require("supervisor")
) -> FollowupOut:
    """Release the chosen fields with a handling code and an evaluation code."""
    return await service.decide(
        node_of(request), client_of(request.app), principal, request_id, data
    )


@router.post("/followups/{request_id}/refuse")
async def refuse_followup(
    request: Request, request_id: str, data: RefuseIn, principal: Principal = require("supervisor")
) -> FollowupOut:
    return await service.decide(
        node_of(request), client_of(request.app), principal, request_id, data
    )


@router.get("/cases/{case_ref}/messages")
def case_messages(
    case_ref: str, session: DbSession, principal: Principal = require(*READERS, "dpo")
) -> list[MessageOut]:
    """Every message sent or received for a case (metadata only)."""
    return service.case_history(session, case_ref)


@router.get("/outbox")
def list_outbox(
    session: DbSession, include_delivered: bool = False, principal: Principal = require("admin")
) -> list[MessageOut]:
    return service.outbox_messages(session, include_delivered=include_delivered)


@router.post("/outbox/retry")
async def retry_outbox(request: Request, principal: Principal = require("admin")) -> dict[str, int]:
    """Make every waiting or failed message due now and attempt delivery once."""
    node = node_of(request)

    def reset() -> list[int]:
        with node.session() as session:
            return outbox.retry(session, now=node.clock.now())

    ids = await run_in_threadpool(reset)
    results = await delivery.deliver(node, client_of(request.app), ids)
    return {"retried": len(ids), "delivered": sum(1 for ok in results.values() if ok)}
