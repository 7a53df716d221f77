"""CAP messages between crisis-centre nodes, as federation domain message types.

Three types are registered with their legal basis and default sharing policy:

- ``crisis.alert``: an Alert, Update or Cancel that names nobody; carries no personal data and
  goes ``automatic`` (the bilateral arrangement makes the exchange between centres routine);
- ``crisis.alert_named``: the same when the message names people (victims, missing persons);
  carries personal data and goes by ``approval`` of a supervisor;
- ``crisis.ack``: a CAP Ack; no personal data, ``automatic``.

The CAP document travels as its exact XML with an Ed25519 signature of its bytes by the sending
node (so a stored message stays verifiable after the envelope is gone). The receiving handler
runs inside the inbox transaction: it verifies that signature, validates the document against
the XSD, and stores it (or quarantines it with the schema error) in the same commit as the
message, so the federation's acknowledgement means "stored". An Ack closes the recipient it
answers on the sending node.
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle import federation
from passerelle.crisis import cap, rules
from passerelle.crisis.model import CapMessage, Recipient
from passerelle.crisis.service import acks, issue, store
from passerelle.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from passerelle.federation import node_key, peers
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal

ALERT = "crisis.alert"
ALERT_NAMED = "crisis.alert_named"
ACK = "crisis.ack"


class CapPayload(BaseModel):
    """What a crisis message carries: the CAP document and the sender node's signature."""

    model_config = ConfigDict(extra="forbid")

    identifier: str = Field(min_length=1, max_length=200)
    sender: str = Field(min_length=1, max_length=200)
    msg_type: str = Field(max_length=8)
    cap: str = Field(min_length=1, max_length=rules.MAX_CAP_BYTES)
    signature: str = Field(min_length=1, max_length=100)


def _reference(payload: BaseModel) -> str:
    return payload.identifier if isinstance(payload, CapPayload) else ""


def _held(session: Session, references: Sequence[str]) -> Collection[str]:
    """Identifiers among ``references`` whose message this node still stores."""
    if not references:
        return []
    return set(
        session.scalars(select(CapMessage.identifier).where(CapMessage.identifier.in_(references)))
    )


def sign(node: Node, raw: bytes) -> str:
    return base64.b64encode(node_key(node).sign(raw)).decode()


def _verify(session: Session, peer: str, raw: bytes, signature: str) -> None:
    key = peers.public_key(session, peer)
    if key is None:
        raise ValidationFailed(f"{peer} is not a registered peer")
    try:
        key.verify(base64.b64decode(signature, validate=True), raw)
    except (InvalidSignature, ValueError) as exc:
        raise ValidationFailed(
            "the CAP document's signature does not match the sending node's key"
        ) from exc


def _receive(session: Session, node: Node, received: federation.Received) -> Mapping[str, Any]:
    payload = received.payload
    assert isinstance(payload, CapPayload)
    raw = payload.cap.encode()
    _verify(session, received.sender, raw, payload.signature)
    source = f"peer:{received.sender}"
    try:
        msg = cap.parse(raw)
    except (cap.CapInvalid, PayloadTooLarge) as exc:
        error = exc if isinstance(exc, cap.CapInvalid) else cap.CapInvalid(exc.message)
        q = store.quarantine(session, node, raw, error, source=source)
        return {"cap_status": "quarantined", "quarantine": q.id, "reason": error.message}
    expected = ("Ack",) if received.envelope.type == ACK else ("Alert", "Update", "Cancel")
    if msg.msg_type not in expected or (msg.sender, msg.identifier) != (
        payload.sender,
        payload.identifier,
    ):
        raise ValidationFailed(
            f"a {received.envelope.type} message cannot carry CAP {msg.msg_type} "
            f"{msg.identifier} from {msg.sender}"
        )
    try:
        row = store.store(
            session,
            node,
            raw,
            origin=source,
            created_by=source,
            names_people=received.envelope.type == ALERT_NAMED,
            signature=payload.signature,
            parsed=msg,
        )
    except Conflict as exc:  # the same CAP message sent again in a new envelope
        return {"cap_status": "duplicate", "cap_message": str(exc.details.get("message_id"))}
    if row.msg_type == "Ack":
        acks.apply_ack(session, node, row, received.sender)
    return {"cap_status": "stored", "cap_message": row.id}


def register_types() -> None:
    """Declare the crisis message types to federation (idempotent)."""
    retention = federation.BodyRetention(
        keep_for=rules.MESSAGE_RETENTION,
        source=rules.RETENTION_SOURCE,
        description="A crisis message body lives as long as the CAP message it carries.",
        held=_held,
    )
    common: dict[str, Any] = {
        "legal_basis": rules.LEGAL_BASIS[:200],
        "source": rules.LEGAL_SOURCE,
        "reference": _reference,
        "replace": True,
    }
    federation.register_message_type(
        ALERT,
        CapPayload,
        _receive,
        description="A CAP 1.2 Alert, Update or Cancel between crisis centres (names nobody).",
        carries_personal_data=False,
        default_policy="automatic",
        retention=retention,
        received=N_("crisis alert received"),
        **common,
    )
    federation.register_message_type(
        ALERT_NAMED,
        CapPayload,
        _receive,
        description="A CAP 1.2 Alert, Update or Cancel that names people (victims, missing).",
        carries_personal_data=True,
        default_policy="approval",
        retention=federation.BodyRetention(
            keep_for=rules.PERSONAL_MESSAGE_RETENTION,
            source=rules.RETENTION_SOURCE,
            description="A crisis message naming people: six months at most.",
            held=_held,
        ),
        received=N_("crisis alert received"),
        **common,
    )
    federation.register_message_type(
        ACK,
        CapPayload,
        _receive,
        description="A CAP 1.2 Ack of a crisis message.",
        carries_personal_data=False,
        default_policy="automatic",
        retention=retention,
        received=N_("crisis ack received"),
        **common,
    )


# ---- sending ----------------------------------------------------------------------------------


def _payload(node: Node, row: CapMessage) -> CapPayload:
    raw = row.xml.encode()
    return CapPayload(
        identifier=row.identifier,
        sender=row.sender,
        msg_type=row.msg_type,
        cap=row.xml,
        signature=sign(node, raw),
    )


def adopt(session: Session, node: Node, principal: Principal, raw: bytes) -> CapMessage:
    """A CAP document written elsewhere, validated and stored here to be sent from this node
    (the stored copy when this sender's identifier is already here)."""
    msg = cap.parse(raw)
    existing = session.scalars(
        select(CapMessage).where(
            CapMessage.sender == msg.sender, CapMessage.identifier == msg.identifier
        )
    ).first()
    if existing is not None:
        return existing
    row = store.store(session, node, raw, origin="local", created_by=principal.name, parsed=msg)
    store.access(principal, node).trace(
        session, "write", "crisis.message", row.id, now=node.clock.now(), details={"file": True}
    )
    return row


def send(
    session: Session, node: Node, principal: Principal, message_id: str, targets: list[str]
) -> list[federation.DeliveryState]:
    """Send a message composed here to peers under each type's sharing policy; each peer it
    goes to owes an Ack by the deadline of the message's severity."""
    row = session.get(CapMessage, message_id)
    if row is None:
        raise NotFound(f"no crisis message {message_id}")
    if row.origin != "local" or row.msg_type == "Ack":
        raise ValidationFailed(
            "only an Alert, Update or Cancel issued on this node is sent from here", field="id"
        )
    known = {p.code for p in federation.peer_status(session)}
    unknown = [p for p in targets if p not in known]
    if unknown:
        raise ValidationFailed(f"unknown peer(s): {', '.join(unknown)}", field="peers")
    already = {r.peer for r in acks.recipients(session, row.id)}
    states = []
    for peer in dict.fromkeys(targets):
        if peer in already:
            raise Conflict(f"message {row.identifier} was already sent to {peer}")
        state = federation.send_message(
            session,
            node,
            principal.actor,
            ALERT_NAMED if row.names_people else ALERT,
            peer=peer,
            payload=_payload(node, row),
            case_ref=row.thread,
            purpose=rules.PURPOSE,
        )
        if state.status != "never":
            acks.add_recipient(session, node, row, peer, envelope_id=state.message_id)
        states.append(state)
    return states


def delivery_status(session: Session, recipient: Recipient) -> str:
    if recipient.acked_at is not None:
        return "acknowledged"
    return federation.message_state(session, recipient.envelope_id).status


def delivery_detail(session: Session, recipient: Recipient) -> str:
    return federation.message_state(session, recipient.envelope_id).detail or ""


def client_of(app: Any) -> httpx.AsyncClient:
    """The app's HTTP client for peers (shared with federation when it created one)."""
    client: httpx.AsyncClient | None = getattr(app.state, "federation_client", None)
    if client is None:
        client = httpx.AsyncClient()
        app.state.federation_client = client
    return client


@dataclass(frozen=True)
class Sent:
    peer: str
    status: str
    ack_due_at: datetime | None
    envelope_id: str


async def _deliver(
    node: Node, client: httpx.AsyncClient | None, ids: list[str]
) -> list[federation.DeliveryState]:
    if client is not None:
        return await federation.deliver_messages(node, client, ids)
    async with httpx.AsyncClient() as own:
        return await federation.deliver_messages(node, own, ids)


async def send_now(
    node: Node,
    principal: Principal,
    message_id: str,
    targets: list[str],
    *,
    client: httpx.AsyncClient | None = None,
) -> list[Sent]:
    """Send and try delivery at once (the federation worker retries what is left)."""

    def act() -> list[federation.DeliveryState]:
        with node.session() as session:
            return send(session, node, principal, message_id, targets)

    states = await run_in_threadpool(act)
    queued = [s.message_id for s in states if s.status == "queued"]
    delivered = {s.message_id: s for s in await _deliver(node, client, queued)} if queued else {}

    def due() -> dict[str, datetime]:
        with node.session() as session:
            return {r.peer: r.ack_due_at for r in acks.recipients(session, message_id)}

    deadlines = await run_in_threadpool(due)
    return [
        Sent(s.peer, delivered.get(s.message_id, s).status, deadlines.get(s.peer), s.message_id)
        for s in states
    ]


@dataclass(frozen=True)
class AckSent:
    ack_id: str
    peer: str
    status: str


async def acknowledge_now(
    node: Node,
    principal: Principal,
    message_id: str,
    *,
    note: str = "",
    client: httpx.AsyncClient | None = None,
) -> AckSent:
    """Write the CAP Ack of a received message and send it back to the node it came from."""

    def act() -> tuple[str, str, federation.DeliveryState]:
        with node.session() as session:
            ack = issue.acknowledge(session, node, principal, message_id, note=note)
            original = session.get(CapMessage, message_id)
            assert original is not None
            peer = issue.peer_of(original)
            state = federation.send_message(
                session,
                node,
                principal.actor,
                ACK,
                peer=peer,
                payload=_payload(node, ack),
                case_ref=original.thread,
                purpose=rules.PURPOSE,
            )
            return ack.id, peer, state

    ack_id, peer, state = await run_in_threadpool(act)
    if state.status == "queued":
        state = (await _deliver(node, client, [state.message_id]))[0]
    return AckSent(ack_id, peer, state.status)
