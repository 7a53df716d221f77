"""Federation's operations, in one place for routes, CLI and other packages.

The concept modules hold the logic (``queries``, ``followups``, ``outbox``, ``delivery``,
``inbox``, ``peers``, ``keys``); this module composes them into the acts a user performs: an
act commits first (with its outbox message and audit entry), then delivery is attempted at
once, bounded by the per-peer timeout, and left to the worker if the peer does not answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.federation import approvals, delivery, followups, outbox, peers
from passerelle.federation.model import Message, Peer
from passerelle.federation.queries import get_query, recent_queries, send_query
from passerelle.federation.schemas import (
    ApproveIn,
    DeliveryState,
    FollowupIn,
    FollowupOut,
    MessageApproveIn,
    MessageOut,
    OutgoingOut,
    PeerOut,
    RefuseIn,
)
from passerelle.node import Node
from passerelle.privacy import Principal, audit

T = TypeVar("T")

__all__ = [
    "case_history",
    "decide",
    "decide_message",
    "deliver_messages",
    "get_query",
    "peer_status",
    "recent_queries",
    "request_followup",
    "send_query",
]


async def _in_session(node: Node, fn: Callable[[Session], T]) -> T:
    def run() -> T:
        with node.session() as session:
            return fn(session)

    return await run_in_threadpool(run)


async def request_followup(
    node: Node, client: httpx.AsyncClient, principal: Principal, data: FollowupIn
) -> FollowupOut:
    """Send a follow-up request after a HIT; it stays queued if the peer is unreachable."""
    request_id, row_id = await _in_session(
        node, lambda s: followups.request(s, node, principal, data)
    )
    await delivery.deliver(node, client, [row_id])
    return await _in_session(node, lambda s: followups.get(s, node, principal, request_id, "out"))


async def decide(
    node: Node,
    client: httpx.AsyncClient,
    principal: Principal,
    request_id: str,
    decision: ApproveIn | RefuseIn,
) -> FollowupOut:
    """Approve or refuse an incoming request and send the signed answer back."""

    def act(session: Session) -> int:
        if isinstance(decision, ApproveIn):
            return followups.approve(session, node, principal, request_id, decision)
        return followups.refuse(session, node, principal, request_id, decision)

    row_id = await _in_session(node, act)
    await delivery.deliver(node, client, [row_id])
    return await _in_session(node, lambda s: followups.get(s, node, principal, request_id, "in"))


async def deliver_messages(
    node: Node, client: httpx.AsyncClient, message_ids: list[str]
) -> list[DeliveryState]:
    """Try once, now, to deliver messages sent with ``send_message`` (those in the outbox);
    the worker retries the others. Returns where each stands afterwards."""

    def rows(session: Session) -> list[int]:
        if not message_ids:
            return []
        return list(
            session.scalars(
                select(Message.id).where(
                    Message.message_id.in_(message_ids),
                    Message.direction == "out",
                    Message.status == "pending",
                )
            )
        )

    row_ids = await _in_session(node, rows)
    if row_ids:
        await delivery.deliver(node, client, row_ids)
    return await _in_session(node, lambda s: [approvals.state(s, m) for m in message_ids])


async def decide_message(
    node: Node,
    client: httpx.AsyncClient,
    principal: Principal,
    message_id: str,
    decision: MessageApproveIn | RefuseIn,
) -> OutgoingOut:
    """A supervisor approves (and the message leaves at once) or refuses a domain message."""
    actor = audit.Actor(principal.name, principal.agency)

    def act(session: Session) -> None:
        if isinstance(decision, MessageApproveIn):
            approvals.approve(session, node, actor, message_id, decision)
        else:
            approvals.refuse(session, node, actor, message_id, decision)

    await _in_session(node, act)
    await deliver_messages(node, client, [message_id])
    return await _in_session(node, lambda s: approvals.read(s, node, actor, message_id))


def _message_out(row: Message) -> MessageOut:
    return MessageOut(
        id=row.message_id,
        direction=row.direction,
        peer=row.peer,
        type=row.type,
        case_ref=row.case_ref,
        created_at=row.created_at,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
    )


def case_history(session: Session, case_ref: str) -> list[MessageOut]:
    """Every message sent or received for a case, oldest first (metadata, no payloads)."""
    rows = session.scalars(
        select(Message).where(Message.case_ref == case_ref).order_by(Message.created_at, Message.id)
    )
    return [_message_out(r) for r in rows]


def outbox_messages(session: Session, *, include_delivered: bool = False) -> list[MessageOut]:
    return [_message_out(r) for r in outbox.listing(session, include_delivered=include_delivered)]


def peer_status(session: Session) -> list[PeerOut]:
    counts = peers.pending_counts(session)
    return [_peer_out(p, counts.get(p.code, 0)) for p in peers.all_peers(session)]


def _peer_out(peer: Peer, pending: int) -> PeerOut:
    return PeerOut(
        code=peer.code,
        url=peer.url,
        public_key=peer.public_key,
        last_ok_at=peer.last_ok_at,
        last_error=peer.last_error
        if peer.last_error_at and (not peer.last_ok_at or peer.last_error_at > peer.last_ok_at)
        else None,
        last_error_at=peer.last_error_at,
        pending_messages=pending,
    )


def search_cases(session: Session, text: str, *, limit: int = 50) -> list[str]:
    """Case references with federation messages, newest first, optionally filtered."""
    conditions = [Message.case_ref.contains(text, autoescape=True)] if text else []
    rows = session.execute(
        select(Message.case_ref)
        .where(Message.case_ref != "", *conditions)
        .group_by(Message.case_ref)
        .order_by(func.max(Message.created_at).desc())
        .limit(limit)
    )
    return [r[0] for r in rows]
