"""The one inbox: verify, refuse with a typed error and an audit entry, or process exactly once.

Order of checks: signature (401: none, unknown key, altered body, bad signature, date outside
the skew), envelope (400), sender and recipient (403), message id seen before (409, with the
reply that was sent the first time so the sender can finish its side).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError as DbIntegrityError
from sqlalchemy.orm import Session

from passerelle.errors import PasserelleError, PermissionDenied, Replay
from passerelle.federation import dispatch, peers, rules, signatures
from passerelle.federation import envelope as env
from passerelle.federation.schemas import Envelope
from passerelle.federation.transport import node_key
from passerelle.node import Node
from passerelle.privacy import audit


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _refuse(node: Node, error: PasserelleError, *, keyid: str, message_id: str = "-") -> None:
    with node.session() as session:
        node.audit(
            session,
            audit.Actor(f"peer:{keyid or '?'}", keyid or "unknown"),
            action="refuse",
            object_type="federation.message",
            object_id=message_id,
            purpose="node-to-node exchange",
            legal_basis="federation protocol (RFC 9421)",
            outcome="denied",
            details={"status": error.status, "error": error.code, "reason": error.message},
        )


def _signed(node: Node, status: int, body: bytes) -> Reply:
    headers = signatures.signed_headers(
        node_key(node), keyid=node.code, body=body, now=node.clock.now(), status=status
    )
    headers["content-type"] = "application/json"
    return Reply(status, body, headers)


def _replay(node: Node, message: Envelope, stored_reply: str | None) -> Reply:
    error = Replay(f"message {message.id} was already received; it is not processed twice")
    _refuse(node, error, keyid=message.sender, message_id=message.id)
    body: dict[str, Any] = error.to_dict()
    if stored_reply:
        body["details"] = {"reply": json.loads(stored_reply)}
    return _signed(node, error.status, json.dumps(body).encode())


def receive(node: Node, *, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
    """Handle one posted message. Raises typed errors for refusals (after auditing them).

    The signature is checked before any transaction opens (the peer's key comes from a
    short-lived cache), so verification never holds the database's write lock.
    """
    keyid = signatures.claimed_keyid(headers.get("signature-input", ""))
    try:
        key = peers.cached_public_key(node, keyid) if keyid else None
        verified = signatures.verify(
            signatures.Message(headers=headers, method=method, path=path),
            body=body,
            components=rules.REQUEST_COMPONENTS,
            key_for=lambda kid: key if kid == keyid else None,
            now=node.clock.now(),
        )
        message = env.decode(body)
        if message.sender != verified.keyid:
            raise PermissionDenied(
                f"signed by {verified.keyid} but claims to come from {message.sender}"
            )
        if message.recipient != node.code:
            raise PermissionDenied(
                f"message addressed to {message.recipient}, this node is {node.code}"
            )
        replayed, reply = process(node, message, body.decode())
    except PasserelleError as exc:
        _refuse(node, exc, keyid=keyid)
        raise
    if replayed:
        return _replay(node, message, reply)
    return _signed(node, 200, (reply or "").encode())


def _process(session: Session, node: Node, message: Envelope, raw: str) -> tuple[bool, str | None]:
    previous = dispatch.seen(session, message.id)
    if previous is not None:
        return True, previous.reply
    row = dispatch.record_incoming(session, node, message, raw)
    reply = dispatch.handle(session, node, message)
    row.reply = env.encode(reply)
    dispatch.record_reply_sent(session, node, reply)
    session.flush()
    return False, row.reply


def _stored_reply(node: Node, message_id: str) -> str | None:
    # The same message arrived twice at once; the other delivery won the race.
    with node.session() as session:
        row = dispatch.seen(session, message_id)
        return row.reply if row else None


def process(node: Node, message: Envelope, raw: str) -> tuple[bool, str | None]:
    """Record and handle an already authenticated message exactly once.

    Returns ``(False, reply)`` the first time, ``(True, reply sent the first time)`` after.
    """
    try:
        with node.session() as session:
            return _process(session, node, message, raw)
    except DbIntegrityError:
        return True, _stored_reply(node, message.id)
