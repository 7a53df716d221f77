"""Domain message types: what a domain says to a peer, beside the protocol's queries.

A domain registers each kind of message it exchanges (an alert, a hit report, a PNR result …)
with :func:`register_message_type`: a pydantic schema for its payload, a handler, whether it
carries personal data, under which legal basis, and how long its body may be kept.

Receiving: the inbox records the message and runs the handler in **one transaction**, with the
session, the node and the verified sender (:class:`Received`). The handler's writes commit or
roll back with the message, so the acknowledgement the sender gets means "stored". A handler
refuses a message by raising a typed error (``ValidationFailed``): nothing is stored and the
sender's outbox parks the message as refused with the reason (HTTP 422).

Sending goes through the sharing policy of the type and the peer (``sharing.send``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.federation import bodies, dispatch, outbox, rules
from passerelle.federation import envelope as env
from passerelle.federation.model import Message
from passerelle.federation.schemas import TYPE_PATTERN, Envelope, Evaluation, Handling
from passerelle.node import Node
from passerelle.privacy import audit


@dataclass(frozen=True)
class Received:
    """A domain message as its handler sees it: validated payload, verified sender."""

    envelope: Envelope
    payload: BaseModel

    @property
    def sender(self) -> str:
        """The node that signed the message (the inbox refused any other claim)."""
        return self.envelope.sender

    @property
    def message_id(self) -> str:
        return self.envelope.id


#: ``handler(session, node, received)``: store what the message says; may return fields for
#: the acknowledgement. Raising a typed error refuses the message (nothing is stored).
Handler = Callable[[Session, Node, Received], Mapping[str, Any] | None]
#: ``held(session, references)``: the references (among those given) whose data this node
#: still holds; bodies about the others are erased at the next retention run.
Held = Callable[[Session, Sequence[str]], Collection[str]]
#: ``dates(payload)``: when the data a body carries must be masked and erased, when the
#: message states it (a PNR result carries its booking's masking and deletion dates).
Dates = Callable[[Mapping[str, Any]], tuple[datetime | None, datetime | None]]
Mask = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class BodyRetention:
    """How long a message body may be kept: never longer than ``keep_for``, and no longer than
    the data it carries (``held``, ``dates``); ``mask`` gives the masked payload."""

    keep_for: timedelta
    source: str
    description: str = ""
    held: Held | None = None
    dates: Dates | None = None
    mask: Mask | None = None


@dataclass(frozen=True)
class MessageType:
    name: str
    schema: type[BaseModel]
    handler: Handler
    description: str
    carries_personal_data: bool
    legal_basis: str
    source: str
    retention: BodyRetention
    default_policy: str
    received: str
    reference: Callable[[BaseModel], str] | None
    optional_fields: tuple[str, ...]
    handling: str

    def validate(self, payload: Mapping[str, Any]) -> BaseModel:
        try:
            return self.schema.model_validate(dict(payload))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
            )
            raise ValidationFailed(f"not a valid {self.name} message: {problems}") from exc

    def reference_of(self, payload: BaseModel) -> str:
        return self.reference(payload)[:200] if self.reference else ""


_TYPES: dict[str, MessageType] = {}


def register_message_type(
    name: str,
    schema: type[BaseModel],
    handler: Handler,
    *,
    description: str,
    carries_personal_data: bool,
    legal_basis: str,
    source: str,
    retention: BodyRetention,
    default_policy: str = "approval",
    received: str = "",
    reference: Callable[[BaseModel], str] | None = None,
    optional_fields: Sequence[str] = (),
    handling: str = "H0",
    replace: bool = False,
) -> MessageType:
    """Declare a domain message type; this node then accepts it from its peers.

    ``default_policy`` is the policy an admin applies with ``sharing defaults``; until then a
    type carrying personal data is ``never`` sent to a peer. ``received`` is the audit action
    of a received message, naming what happened (``"alert received"``). ``optional_fields``
    are top-level payload fields (or ``object.field``) a supervisor may withhold when
    approving a message.
    """
    if name in rules.PROTOCOL_TYPES:
        raise Conflict(f"{name!r} is a protocol message type")
    if name in _TYPES and not replace:
        raise Conflict(f"the message type {name!r} is already registered")
    if default_policy not in rules.POLICIES:
        raise ValidationFailed(f"unknown policy {default_policy!r}")
    if handling not in rules.HANDLING_CODES or handling == rules.HANDLING_WITH_TEXT:
        raise ValidationFailed(f"{handling!r} cannot be a message type's handling code")
    if len(name) > 32 or not re.fullmatch(TYPE_PATTERN, name):
        raise ValidationFailed(f"{name!r} is not a message type name (a.b_c, 32 characters)")
    mtype = MessageType(
        name=name,
        schema=schema,
        handler=handler,
        description=description,
        carries_personal_data=carries_personal_data,
        legal_basis=legal_basis,
        source=source,
        retention=retention,
        default_policy=default_policy,
        received=audit.declare_action(received or f"{name} received"),
        reference=reference,
        optional_fields=tuple(optional_fields),
        handling=handling,
    )
    _TYPES[name] = mtype
    dispatch._DOMAIN[name] = _handle
    return mtype


def unregister_message_type(name: str) -> None:
    _TYPES.pop(name, None)
    dispatch._DOMAIN.pop(name, None)


def get_type(name: str) -> MessageType:
    try:
        return _TYPES[name]
    except KeyError:
        raise NotFound(f"no message type {name!r} on this node") from None


def message_types() -> list[MessageType]:
    return [_TYPES[n] for n in sorted(_TYPES)]


def _stamp(node: Node, row: Message, mtype: MessageType, message: Envelope) -> None:
    """Envelope metadata of a domain message: its reference, the dates its body must be
    masked and erased, and its masked form sealed beside it."""
    payload = mtype.validate(message.payload)
    row.reference = mtype.reference_of(payload) or None
    retention = mtype.retention
    if retention.dates is not None:
        row.body_mask_at, row.body_delete_at = retention.dates(message.payload)
    if retention.mask is not None:
        masked = message.model_copy(update={"payload": retention.mask(dict(message.payload))})
        bodies.seal_masked(node.cipher, row, env.encode(masked))


def _handle(session: Session, node: Node, message: Envelope) -> Envelope:
    """Inbox side: validate, stamp the envelope row, run the handler, audit, acknowledge."""
    mtype = get_type(message.type)
    payload = mtype.validate(message.payload)
    if mtype.carries_personal_data and message.handling is None:
        raise ValidationFailed(
            f"a {mtype.name} message carries personal data: it needs a handling code"
        )
    row = session.scalars(
        select(Message).where(Message.message_id == message.id, Message.direction == "in")
    ).one()
    _stamp(node, row, mtype, message)
    extra = mtype.handler(session, node, Received(message, payload)) or {}
    node.audit(
        session,
        dispatch.peer_actor(message),
        action=mtype.received,
        object_type=mtype.name,
        object_id=row.reference or message.id,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        outcome="stored",
        details={"from": message.sender, "message": message.id, "case": message.case_ref},
    )
    return dispatch.ack(node, message, stored=True, **extra)


def enqueue(
    session: Session,
    node: Node,
    mtype: MessageType,
    *,
    message_id: str,
    peer: str,
    payload: BaseModel,
    case_ref: str,
    purpose: str,
    legal_basis: str,
    handling: Handling | None = None,
    evaluation: Evaluation | None = None,
) -> Message:
    """Write the message in the outbox (same transaction as the caller's act)."""
    message = env.make(
        node,
        recipient=peer,
        type=mtype.name,
        purpose=purpose,
        legal_basis=legal_basis,
        case_ref=case_ref[:100],
        payload=payload.model_dump(mode="json"),
        handling=handling or Handling(code=mtype.handling),
        evaluation=evaluation,
    ).model_copy(update={"id": message_id})
    row = outbox.enqueue(session, message, now=node.clock.now(), cipher=node.cipher)
    _stamp(node, row, mtype, message)
    return row
