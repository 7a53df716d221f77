"""REST API of the crisis domain under /api/v1/crisis. Routes are thin: parse, call a service,
shape the answer. Acts that tell peers commit first, then federation delivers at once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.crisis import cap
from passerelle.crisis.model import CapMessage
from passerelle.crisis.schemas import (
    CapIn,
    MessageOut,
    QuarantineOut,
    RecipientOut,
    SendIn,
    ValidationOut,
)
from passerelle.crisis.service import acks, exchange, feeds, issue, situation, store
from passerelle.errors import PayloadTooLarge
from passerelle.kit.web import DbSession, node_of
from passerelle.node import Node
from passerelle.privacy import Principal, require

USERS = ("analyst", "supervisor")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the escalation job while the server runs."""
    node: Node = app.state.node
    interval = node.settings.crisis_escalation_poll_seconds
    task = asyncio.create_task(acks.scheduler(node, interval)) if interval > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


router = APIRouter(prefix="/api/v1/crisis", tags=["crisis"], lifespan=lifespan)


def recipient_out(session: Session, message_id: str) -> list[RecipientOut]:
    return [
        RecipientOut(
            peer=r.peer,
            status=exchange.delivery_status(session, r),
            sent_at=r.sent_at,
            ack_due_at=r.ack_due_at,
            acked_at=r.acked_at,
            escalated_at=r.escalated_at,
            escalation_level=r.escalation_level,
            detail=exchange.delivery_detail(session, r),
        )
        for r in acks.recipients(session, message_id)
    ]


def to_out(session: Session, row: CapMessage, *, with_xml: bool = False) -> MessageOut:
    return MessageOut(
        id=row.id,
        identifier=row.identifier,
        sender=row.sender,
        sent=row.sent,
        status=row.status,
        msg_type=row.msg_type,
        scope=row.scope,
        thread=row.thread,
        origin=row.origin,
        headline=row.headline,
        event=row.event,
        severity=row.severity,
        languages=row.languages,
        names_people=row.names_people,
        recipients=recipient_out(session, row.id),
        xml=row.xml if with_xml else None,
    )


async def _in_session(node: Node, fn: Any) -> Any:
    def run() -> Any:
        with node.session() as session:
            return fn(session)

    return await run_in_threadpool(run)


@router.post("/validate")
async def validate(request: Request, principal: Principal = require(*USERS)) -> ValidationOut:
    """Check a CAP document (the request body) against the official CAP 1.2 schema."""
    try:
        cap.validate(await request.body())
    except (cap.CapInvalid, PayloadTooLarge) as exc:
        return ValidationOut(valid=False, reason=exc.message, line=exc.details.get("line"))
    return ValidationOut(valid=True)


@router.post("/messages", status_code=201)
async def create_message(
    request: Request, body: CapIn, principal: Principal = require(*USERS)
) -> MessageOut:
    """Compose an Alert, Update or Cancel (validated against the schema; not sent yet)."""
    node = node_of(request)
    out: MessageOut = await _in_session(
        node, lambda s: to_out(s, issue.create(s, node, principal, body), with_xml=True)
    )
    return out


@router.get("/messages")
def list_messages(
    request: Request,
    session: DbSession,
    q: str = "",
    msg_type: str = "",
    thread: str = "",
    principal: Principal = require(*USERS),
) -> list[MessageOut]:
    """Messages newest first (the timeline), by words, CAP message type or incident thread."""
    rows = store.search(
        session, node_of(request), principal, text=q, msg_type=msg_type, thread=thread
    )
    return [to_out(session, r) for r in rows]


@router.get("/messages/{message_id}")
def get_message(
    request: Request, message_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> MessageOut:
    """One message with its CAP XML and, for messages sent from here, each recipient's
    delivery and acknowledgement."""
    return to_out(
        session, store.get(session, node_of(request), principal, message_id), with_xml=True
    )


@router.get("/messages/{message_id}/cap")
def get_cap(
    request: Request, message_id: str, session: DbSession, principal: Principal = require(*USERS)
) -> Response:
    """The message's CAP 1.2 document, exactly as validated and stored."""
    row = store.get(session, node_of(request), principal, message_id)
    return Response(row.xml.encode(), media_type="application/cap+xml")


@router.post("/messages/{message_id}/send")
async def send_message(
    request: Request, message_id: str, body: SendIn, principal: Principal = require(*USERS)
) -> list[RecipientOut]:
    """Send a stored message to peer crisis centres; each recipient then owes an Ack."""
    node = node_of(request)
    await exchange.send_now(
        node, principal, message_id, [p.upper() for p in body.peers], client=_client(request)
    )
    out: list[RecipientOut] = await _in_session(node, lambda s: recipient_out(s, message_id))
    return out


@router.post("/messages/{message_id}/ack")
async def acknowledge(
    request: Request, message_id: str, principal: Principal = require(*USERS)
) -> dict[str, str]:
    """Acknowledge a message received from a peer: a CAP Ack sent back to it."""
    result = await exchange.acknowledge_now(
        node_of(request), principal, message_id, client=_client(request)
    )
    return {"ack_id": result.ack_id, "peer": result.peer, "status": result.status}


@router.post("/import")
async def import_document(
    request: Request, source: str = "api", principal: Principal = require(*USERS)
) -> list[dict[str, str]]:
    """Import a CAP document or an Atom feed of them (the request body); malformed documents
    are quarantined with the schema error."""
    node = node_of(request)
    raw = await request.body()

    def run(session: Session) -> list[feeds.Outcome]:
        return feeds.import_bytes(session, node, raw, source=source[:200], by=principal.name)[0]

    outcomes: list[feeds.Outcome] = await _in_session(node, run)
    return [o.__dict__ for o in outcomes]


@router.post("/feeds")
async def fetch_feed(
    request: Request, url: str, principal: Principal = require(*USERS)
) -> list[dict[str, str]]:
    """Fetch an external CAP feed (a CAP document or an Atom feed) and import it."""
    node = node_of(request)
    outcomes = await run_in_threadpool(feeds.fetch_url, node, principal, url)
    return [o.__dict__ for o in outcomes]


@router.get("/situation")
def situation_geojson(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> dict[str, Any]:
    """Active incidents' areas as GeoJSON (polygons; circles as points with radius_km)."""
    return situation.geojson(session, node_of(request), principal)


@router.get("/quarantine")
def list_quarantine(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> list[QuarantineOut]:
    """Documents refused as not valid CAP 1.2, with the exact reason and line."""
    rows = store.quarantined(session, node_of(request), principal)
    return [
        QuarantineOut(
            id=q.id, source=q.source, received_at=q.received_at, reason=q.reason, line=q.line
        )
        for q in rows
    ]


@router.get("/escalations")
def list_escalations(
    request: Request, session: DbSession, principal: Principal = require(*USERS)
) -> list[dict[str, Any]]:
    """Open escalations: messages a peer has not acknowledged in time."""
    node = node_of(request)
    rows = acks.open_escalations(session)
    store.access(principal, node).trace(
        session, "read", "crisis.escalation", "*", now=node.clock.now()
    )
    return [
        {
            "message_id": e.message_id,
            "peer": e.peer,
            "level": e.level,
            "due_at": e.due_at.isoformat(),
            "fired_at": e.fired_at.isoformat(),
            "headline": m.headline,
        }
        for e, m in rows
    ]


def _client(request: Request) -> Any:
    return exchange.client_of(request.app)
