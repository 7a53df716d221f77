"""Where received messages go: one handler per message type, registered by its concept module.

A handler runs inside the transaction that records the message as received, so the message and
its effects commit together or not at all. It returns the reply to send back (or None for a
bare acknowledgement).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from passerelle.errors import PermissionDenied, ValidationFailed
from passerelle.federation import bodies
from passerelle.federation import envelope as env
from passerelle.federation.model import Message
from passerelle.federation.schemas import Envelope
from passerelle.node import Node
from passerelle.privacy import audit

Handler = Callable[[Session, Node, Envelope], Envelope | None]
_HANDLERS: dict[str, Handler] = {}
#: Domain message types (``messages.register_message_type``), kept apart from the protocol's.
_DOMAIN: dict[str, Handler] = {}


def handler(message_type: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[message_type] = fn
        return fn

    return register


def peer_actor(message: Envelope) -> audit.Actor:
    """Audit actor for acts a peer causes on this node."""
    return audit.Actor(f"peer:{message.sender}", message.sender)


def ack(node: Node, message: Envelope, **payload: object) -> Envelope:
    return env.make(
        node,
        recipient=message.sender,
        type="ack",
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        case_ref=message.case_ref,
        in_reply_to=message.id,
        payload=dict(payload),
    )


def seen(session: Session, peer: str, message_id: str) -> Message | None:
    """The message ``peer`` sent with this id, if it was received already.

    Keyed by (signer, message id): another peer reusing the id is a different message, and
    never gets the reply that was sent to the first one.
    """
    return (
        session.query(Message)
        .filter_by(peer=peer, message_id=message_id, direction="in")
        .one_or_none()
    )


def record_incoming(session: Session, node: Node, message: Envelope, raw: str) -> Message:
    row = Message(
        message_id=message.id,
        direction="in",
        peer=message.sender,
        type=message.type,
        case_ref=message.case_ref,
        created_at=node.clock.now(),
        status="received",
        attempts=1,
    )
    bodies.seal(node.cipher, row, raw)
    session.add(row)
    session.flush()
    return row


def record_reply_sent(session: Session, node: Node, reply: Envelope) -> None:
    """Keep the reply in the message history as an outgoing message delivered in the response."""
    now = node.clock.now()
    row = Message(
        message_id=reply.id,
        direction="out",
        peer=reply.recipient,
        type=reply.type,
        case_ref=reply.case_ref,
        created_at=now,
        status="delivered",
        attempts=1,
        delivered_at=now,
    )
    bodies.seal(node.cipher, row, env.encode(reply))
    session.add(row)


def handle(session: Session, node: Node, message: Envelope) -> Envelope:
    """Run the handler of ``message``'s type; always returns a reply (an ack by default).

    The reply answers ``message`` (``in_reply_to``) even if the handler did not say so: the
    sender accepts only a reply bound to the message it delivered (see :func:`handle_reply`).
    """
    fn = _HANDLERS.get(message.type) or _DOMAIN.get(message.type)
    if fn is None:
        raise ValidationFailed(f"this node does not handle {message.type!r} messages")
    reply = fn(session, node, message) or ack(node, message)
    if reply.in_reply_to is None:
        reply = reply.model_copy(update={"in_reply_to": message.id})
    return reply


def _check_reply(session: Session, node: Node, reply: Envelope, signer: str, answers: str) -> None:
    """A reply is bound to the peer that signed it and to the message it answers."""
    if reply.sender != signer:
        raise PermissionDenied(f"reply signed by {signer} but claims to come from {reply.sender}")
    if reply.recipient != node.code:
        raise PermissionDenied(f"reply addressed to {reply.recipient}, this node is {node.code}")
    if reply.in_reply_to != answers:
        raise PermissionDenied(
            f"the reply of {signer} does not answer the message {answers} it was given"
        )
    check_answers_ours(session, reply)


def check_answers_ours(session: Session, message: Envelope) -> None:
    """A message that answers another (``in_reply_to``) must answer one this node sent to its
    sender: a peer cannot act on the exchange of this node with another peer."""
    if message.in_reply_to is None:
        return
    sent = (
        session.query(Message)
        .filter_by(peer=message.sender, message_id=message.in_reply_to, direction="out")
        .one_or_none()
    )
    if sent is None:
        raise PermissionDenied(
            f"this node sent no message {message.in_reply_to} to {message.sender}"
        )


def handle_reply(
    session: Session, node: Node, raw: bytes, *, signer: str, answers: str
) -> Envelope | None:
    """Process the reply ``signer`` returned to our message ``answers``, exactly once.

    The reply's sender must be the peer whose signature covered it, its recipient this node,
    and it must answer the message this node sent to that peer; otherwise it is refused
    (:class:`PermissionDenied`) before anything is recorded.
    """
    reply = env.decode(raw)
    _check_reply(session, node, reply, signer, answers)
    if seen(session, signer, reply.id) is not None:
        return reply
    record_incoming(session, node, reply, raw.decode())
    fn = _HANDLERS.get(reply.type)
    if fn is not None:
        fn(session, node, reply)
    return reply
