"""Alerts' messages between nodes, as federation message types of their own.

Each concept module registers the type it owns (``sharing``: ``alerts.alert`` and
``alerts.withdrawal``; ``hits``: ``alerts.hit_report`` and ``alerts.hit_answer``; ``criteria``:
``alerts.catalogue``; ``notices``: ``alerts.release_notice``) with :func:`register`. A message
is sent inside the transaction of the act that causes it, under the sharing policy of its type
and peer (:func:`send`); delivery is attempted once the act has committed (:func:`deliver`).
On the receiving node the type's handler stores the message in federation's inbox
transaction, with the verified sender, so the acknowledgement means "stored".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.alerts import rules
from passerelle.node import Node
from passerelle.privacy import Principal, audit

T = TypeVar("T")

LEGAL_BASIS = "Regulation (EU) 2018/1862 arts. 8 and 37; joint declaration FR-BE 11 June 2018"

#: Delivery of an alerts message as shown to users: federation's state → (label, detail).
_LABELS = {
    "delivered": "delivered",
    "queued": "queued",
    "awaiting": "awaiting",  # a supervisor approves it first
    "refused": "not approved",
    "never": "not shared",
    "failed": "refused",
}


def register(
    name: str,
    schema: type[BaseModel],
    handler: federation.messages.Handler,
    *,
    description: str,
    personal: bool,
    received: str,
    reference: Callable[[Any], str],
    retention: federation.BodyRetention,
    default_policy: str,
    legal_basis: str = LEGAL_BASIS,
    source: str = rules.SIS,
    optional_fields: Sequence[str] = (),
) -> None:
    """Register one alerts message type with federation (idempotent)."""
    federation.register_message_type(
        name,
        schema,
        handler,
        description=description,
        carries_personal_data=personal,
        legal_basis=legal_basis,
        source=source,
        retention=retention,
        default_policy=default_policy,
        received=received,
        reference=reference,
        optional_fields=optional_fields,
        replace=True,
    )


def actor(principal: Principal) -> audit.Actor:
    return audit.Actor(principal.name, principal.agency)


def peer_codes(session: Session) -> list[str]:
    return [p.code for p in federation.peer_status(session)]


def send(
    session: Session,
    node: Node,
    principal: Principal,
    message_type: str,
    *,
    peers: Sequence[str],
    payload: BaseModel,
    case_ref: str,
    purpose: str,
) -> list[federation.DeliveryState]:
    """Send one message to each of ``peers`` (registered ones) as its policy says."""
    known = set(peer_codes(session))
    return [
        federation.send_message(
            session,
            node,
            actor(principal),
            message_type,
            peer=peer,
            payload=payload,
            case_ref=case_ref,
            purpose=purpose,
            legal_basis=LEGAL_BASIS,
        )
        for peer in peers
        if peer in known and peer != node.code
    ]


async def deliver(
    node: Node, client: httpx.AsyncClient, states: Sequence[federation.DeliveryState]
) -> dict[str, str]:
    """Try to deliver now what :func:`send` queued; returns the delivery label per peer."""
    done = await federation.deliver_messages(node, client, [s.message_id for s in states])
    return {s.peer: outcome(s)[0] for s in done}


def outcome(state: federation.DeliveryState) -> tuple[str, str]:
    """(label, detail) of a message's delivery, for users."""
    return _LABELS.get(state.status, state.status), state.detail


def client_of(app: Any) -> httpx.AsyncClient:
    """The app's HTTP client for peers (shared with federation when it created one)."""
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        client = httpx.AsyncClient()
        app.state.federation_client = client
    return client


async def run_in_session(node: Node, fn: Callable[[Session], T]) -> T:
    """Run ``fn`` in its own committed transaction, off the event loop (for async routes that
    commit an act before delivering its messages)."""

    def run() -> T:
        with node.session() as session:
            return fn(session)

    return await run_in_threadpool(run)
