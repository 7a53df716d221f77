"""Sending domain messages under their sharing policy, and the supervisor's decision.

:func:`send` is called by a domain inside the transaction of its act. By the policy of the
message type towards the peer, the message is written to the outbox (``automatic``), kept
encrypted for a supervisor of this node (``approval``), or stopped (``never``). A supervisor
approves a message as a follow-up answer is approved: choosing the optional fields to send,
with a Europol handling code and a 4×4 evaluation code; or refuses it with a reason. Each step
is audited; :func:`state` says where a message stands, from the outbox itself.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.federation import bodies, messages, policies
from passerelle.federation.model import Message, Outgoing
from passerelle.federation.schemas import (
    DeliveryState,
    Handling,
    MessageApproveIn,
    OutgoingOut,
    RefuseIn,
)
from passerelle.node import Node
from passerelle.privacy import audit


def _context(message_id: str) -> str:
    return f"federation_outgoing:{message_id}"


def _trace(
    session: Session,
    node: Node,
    actor: audit.Actor,
    action: str,
    row: Outgoing,
    outcome: str,
    **details: Any,
) -> None:
    node.audit(
        session,
        actor,
        action=action,
        object_type=row.message_type,
        object_id=row.reference or row.message_id,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        outcome=outcome,
        details={"peer": row.peer, "message": row.message_id, "case": row.case_ref, **details},
    )


def send(
    session: Session,
    node: Node,
    actor: audit.Actor,
    message_type: str,
    *,
    peer: str,
    payload: BaseModel | dict[str, Any],
    case_ref: str,
    purpose: str,
    legal_basis: str | None = None,
) -> DeliveryState:
    """Send one domain message to ``peer`` as its policy says; returns where it stands."""
    mtype = messages.get_type(message_type)
    data = mtype.validate(
        payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    )
    policy = policies.effective(session, mtype, peer)
    message_id = str(uuid.uuid4())
    row = Outgoing(
        message_id=message_id,
        message_type=mtype.name,
        peer=peer,
        reference=mtype.reference_of(data),
        case_ref=case_ref[:100],
        purpose=purpose,
        legal_basis=legal_basis or mtype.legal_basis,
        requested_by=actor.name,
        requested_at=node.clock.now(),
        fields="[]",
    )
    if policy == "automatic":
        messages.enqueue(
            session,
            node,
            mtype,
            message_id=message_id,
            peer=peer,
            payload=data,
            case_ref=row.case_ref,
            purpose=purpose,
            legal_basis=row.legal_basis,
        )
        _trace(session, node, actor, "disclose", row, "sent", policy=policy)
        return DeliveryState(message_id=message_id, peer=peer, status="queued")
    if policy == "approval":
        row.status = "awaiting"
        row.body = bodies.seal_text(
            node.cipher, _context(message_id), json.dumps(data.model_dump(mode="json"))
        )
        session.add(row)
        _trace(session, node, actor, "write", row, "awaiting approval", policy=policy)
        return DeliveryState(message_id=message_id, peer=peer, status="awaiting")
    row.status = "never"
    session.add(row)
    _trace(session, node, actor, "refuse", row, "never", policy=policy)
    return DeliveryState(
        message_id=message_id, peer=peer, status="never", detail=f"policy never towards {peer}"
    )


def _get(session: Session, message_id: str) -> Outgoing:
    row = session.get(Outgoing, message_id)
    if row is None:
        raise NotFound(f"no outgoing message {message_id} under approval")
    return row


def _out(row: Outgoing, payload: dict[str, Any] | None = None) -> OutgoingOut:
    try:
        optional = list(messages.get_type(row.message_type).optional_fields)
    except NotFound:
        optional = []
    return OutgoingOut(
        id=row.message_id,
        message_type=row.message_type,
        peer=row.peer,
        reference=row.reference,
        case_ref=row.case_ref,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        status=row.status,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reason=row.reason,
        fields=json.loads(row.fields),
        optional_fields=optional,
        handling=Handling(code=row.handling_code, text=row.handling_text)
        if row.handling_code
        else None,
        evaluation=row.evaluation,
        payload=payload,
    )


def listing(session: Session, *, status: str | None = None, limit: int = 200) -> list[OutgoingOut]:
    """Messages under approval (no payloads: listing reads no personal data)."""
    conditions = [Outgoing.status == status] if status else []
    rows = session.scalars(
        select(Outgoing).where(*conditions).order_by(Outgoing.requested_at.desc()).limit(limit)
    )
    return [_out(r) for r in rows]


def _payload(node: Node, row: Outgoing) -> dict[str, Any]:
    if row.body is None:
        raise Conflict(f"message {row.message_id} is {row.status}; its draft is no longer kept")
    data: dict[str, Any] = json.loads(
        bodies.open_text(node.cipher, _context(row.message_id), row.body)
    )
    return data


def read(session: Session, node: Node, actor: audit.Actor, message_id: str) -> OutgoingOut:
    """One message with its draft payload, for the deciding supervisor (audited ``read``)."""
    row = _get(session, message_id)
    payload = _payload(node, row) if row.body is not None else None
    if payload is not None:
        _trace(session, node, actor, "read", row, "ok", reading="draft")
    return _out(row, payload)


def _withhold(payload: dict[str, Any], path: str) -> None:
    head, _, rest = path.partition(".")
    if rest:
        inner = payload.get(head)
        if isinstance(inner, dict):
            inner.pop(rest, None)
    else:
        payload.pop(head, None)


def approve(
    session: Session, node: Node, actor: audit.Actor, message_id: str, data: MessageApproveIn
) -> int:
    """Send the message with the chosen optional fields and codes; returns its outbox row."""
    row = _get(session, message_id)
    if row.status != "awaiting":
        raise Conflict(f"message {message_id} is already {row.status}")
    mtype = messages.get_type(row.message_type)
    unknown = sorted(set(data.fields) - set(mtype.optional_fields))
    if unknown:
        raise ValidationFailed(
            f"not an optional field of {mtype.name}: {', '.join(unknown)}; "
            f"optional: {', '.join(mtype.optional_fields) or 'none'}"
        )
    payload = _payload(node, row)
    for path in mtype.optional_fields:
        if path not in data.fields:
            _withhold(payload, path)
    checked = mtype.validate(payload)
    out = messages.enqueue(
        session,
        node,
        mtype,
        message_id=row.message_id,
        peer=row.peer,
        payload=checked,
        case_ref=row.case_ref,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        handling=data.handling,
        evaluation=data.evaluation,
    )
    row.status, row.decided_by, row.decided_at = "approved", actor.name, node.clock.now()
    row.fields = json.dumps(sorted(data.fields))
    row.handling_code, row.handling_text = data.handling.code, data.handling.text
    row.evaluation, row.body = str(data.evaluation), None  # the outbox holds it now
    _trace(
        session,
        node,
        actor,
        "disclose",
        row,
        "approved",
        fields=sorted(data.fields),
        handling=data.handling.code,
        evaluation=str(data.evaluation),
    )
    return out.id


def refuse(
    session: Session, node: Node, actor: audit.Actor, message_id: str, data: RefuseIn
) -> None:
    """Refuse to send the message, with the reason; its draft is erased."""
    row = _get(session, message_id)
    if row.status != "awaiting":
        raise Conflict(f"message {message_id} is already {row.status}")
    row.status, row.decided_by, row.decided_at = "refused", actor.name, node.clock.now()
    row.reason, row.body = data.reason, None
    _trace(session, node, actor, "refuse", row, "refused", reason=data.reason)


def state(session: Session, message_id: str) -> DeliveryState:
    """Where a message sent with :func:`send` stands: from the outbox once it is there."""
    sent = session.scalars(
        select(Message).where(Message.message_id == message_id, Message.direction == "out")
    ).first()
    if sent is not None:
        if sent.status == "delivered":
            return DeliveryState(message_id=message_id, peer=sent.peer, status="delivered")
        status = "failed" if sent.status == "failed" else "queued"
        return DeliveryState(
            message_id=message_id, peer=sent.peer, status=status, detail=sent.last_error or ""
        )
    row = _get(session, message_id)
    detail = row.reason or ("awaiting a supervisor's approval" if row.status == "awaiting" else "")
    return DeliveryState(
        message_id=message_id,
        peer=row.peer,
        status=row.status,
        detail=detail,
    )


def sent_about(session: Session, message_type: str, reference: str) -> list[DeliveryState]:
    """Every message of ``message_type`` about ``reference`` this node sent or tried to send
    (stopped, under approval, queued, delivered), oldest first."""
    ids = [
        *session.scalars(
            select(Outgoing.message_id)
            .where(Outgoing.message_type == message_type, Outgoing.reference == reference)
            .order_by(Outgoing.requested_at)
        ),
        *session.scalars(
            select(Message.message_id)
            .where(
                Message.type == message_type,
                Message.reference == reference,
                Message.direction == "out",
            )
            .order_by(Message.id)
        ),
    ]
    return [state(session, i) for i in dict.fromkeys(ids)]
