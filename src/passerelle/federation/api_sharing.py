"""Routes of sharing policies, of domain messages under a supervisor's approval, and of
messages refused from peers (quarantine)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request

from passerelle.bounds import RowId
from passerelle.federation import approvals, policies, quarantine, service
from passerelle.federation.api import client_of
from passerelle.federation.schemas import (
    MessageApproveIn,
    OutgoingOut,
    PolicyIn,
    PolicyOut,
    QuarantinedOut,
    RefuseIn,
)
from passerelle.kit.web import DbSession, node_of
from passerelle.privacy import Principal, audit, require

router = APIRouter(prefix="/api/v1/federation", tags=["federation"])
quarantine_router = APIRouter(prefix="/api/v1/federation", tags=["federation"])


def actor(principal: Principal) -> audit.Actor:
    return audit.Actor(principal.name, principal.agency)


@router.get("/sharing")
def list_policies(
    session: DbSession, principal: Principal = require("admin", "supervisor", "dpo")
) -> list[PolicyOut]:
    """The policy of every message type towards every peer, with its legal basis and source."""
    return policies.listing(session)


@router.put("/sharing/{message_type}/{peer}")
def set_policy(
    request: Request,
    message_type: str,
    peer: str,
    data: PolicyIn,
    session: DbSession,
    principal: Principal = require("admin"),
) -> PolicyOut:
    """Change one policy, with its reason (audited)."""
    return policies.set_policy(
        session,
        node_of(request),
        actor(principal),
        message_type,
        peer.upper(),
        data.policy,
        data.reason,
    )


@router.get("/approvals")
def list_approvals(
    session: DbSession,
    status: Literal["awaiting", "approved", "refused", "never"] | None = None,
    principal: Principal = require("supervisor"),
) -> list[OutgoingOut]:
    """Outgoing messages under approval, decided, or stopped by policy (no payloads)."""
    return approvals.listing(session, status=status)


@router.get("/approvals/{message_id}")
def read_approval(
    request: Request,
    message_id: str,
    session: DbSession,
    principal: Principal = require("supervisor"),
) -> OutgoingOut:
    """One message with its draft payload (reading it is audited)."""
    return approvals.read(session, node_of(request), actor(principal), message_id)


@router.post("/approvals/{message_id}/approve")
async def approve_message(
    request: Request,
    message_id: str,
    data: MessageApproveIn,
    principal: Principal = require("supervisor"),
) -> OutgoingOut:
    """Send the message with the chosen optional fields, handling and evaluation codes."""
    return await service.decide_message(
        node_of(request), client_of(request.app), principal, message_id, data
    )


@router.post("/approvals/{message_id}/refuse")
async def refuse_message(
    request: Request,
    message_id: str,
    data: RefuseIn,
    principal: Principal = require("supervisor"),
) -> OutgoingOut:
    """Refuse to send the message, with the reason."""
    return await service.decide_message(
        node_of(request), client_of(request.app), principal, message_id, data
    )


@quarantine_router.get("/quarantine")
def list_quarantine(
    session: DbSession,
    peer: str | None = None,
    principal: Principal = require("admin", "dpo"),
) -> list[QuarantinedOut]:
    """Messages of verified peers refused while processed, with the exact reason (no content)."""
    return quarantine.listing(session, peer=peer)


@quarantine_router.get("/quarantine/{item_id}")
def read_quarantined(
    request: Request,
    item_id: RowId,
    session: DbSession,
    principal: Principal = require("admin", "dpo"),
) -> QuarantinedOut:
    """One refused message with its raw content (reading it is audited)."""
    return quarantine.read(session, node_of(request), actor(principal), item_id)
