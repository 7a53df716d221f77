"""Alerts shared with every peer, as SIS shares them with every member: each node screens
against the alerts of all, and a hit is reported to the issuing node."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Alert
from passerelle.alerts.service import exchange, register
from passerelle.alerts.service.hooks import run_in_session
from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.privacy.accounts import Principal

PURPOSE = "sharing of SIS-style alerts"


async def share(
    node: Node, client: httpx.AsyncClient, principal: Principal, alert_id: str
) -> dict[str, str]:
    """Send the alert's current state (or its withdrawal) to every peer; delivery per peer."""

    def load(session: Session) -> tuple[dict[str, Any], str]:
        alert = register.get(session, alert_id)
        return {"alert": register.payload_of(alert)}, alert.reference

    payload, case = await run_in_session(node, load)
    result = await exchange.send(
        node,
        client,
        principal,
        kind="alerts.alert",
        payload=payload,
        peers=None,
        case_ref=case,
        purpose=PURPOSE,
    )
    if result is None:
        return {}
    return {a.peer: exchange.outcome(result, a.peer)[0] for a in result.answers}


@exchange.receiver("alerts.alert", "A person alert issued by the sending node (or its update).")
def _receive(payload: Mapping[str, Any], node: Node) -> tuple[str, Any]:
    sender = exchange.sender(payload)
    data = payload.get("alert")
    if not isinstance(data, dict):
        raise ValidationFailed("the alert is missing")
    if str(data.get("issuing_node", "")).upper() != sender or sender == node.code:
        raise ValidationFailed("a node shares only the alerts it issued")
    if not str(data.get("reference", "")).startswith(f"{sender}-"):
        raise ValidationFailed("an alert's reference starts with its issuing node's code")
    if data.get("category") not in rules.CATEGORIES:
        raise ValidationFailed(f"unknown alert category {data.get('category')!r}")
    incoming = register.from_payload(data)

    def write(session: Session) -> None:
        existing = session.get(Alert, incoming.id)
        if existing is not None and existing.issuing_node != sender:
            return  # never let a peer overwrite another node's alert
        row = session.merge(incoming)
        session.flush()
        node.audit(
            session,
            register.peer_actor(sender),
            action="write",
            object_type="alert",
            object_id=row.id,
            purpose=PURPOSE,
            legal_basis=register.LEGAL_BASIS,
            details={"from": sender, "status": row.status},
        )
        if row.status == "active":
            register.publish_after_commit(session, node, row)
        else:
            register.withdraw_after_commit(session, node.state, row.id)

    return incoming.id, write
