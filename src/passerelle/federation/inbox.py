"""The one inbox: verify, refuse with a typed error and an audit entry, or process exactly once.

Order of checks: header sizes (400, before anything is parsed or logged), signature (401: none,
altered body, unknown key or bad signature — answered alike, so a caller cannot probe which
node codes are registered —, date outside the skew), envelope (400), sender and recipient
(403: both must match the signer and this node), message id seen before from that signer (409,
with the reply that was sent the first time so the sender can finish its side). Refusals are
audited through ``refusals``, bounded in size and rate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError as DbIntegrityError
from sqlalchemy.orm import Session

from passerelle.errors import (
    PasserelleError,
    PermissionDenied,
    Replay,
    SignatureInvalid,
    UsageError,
)
from passerelle.federation import dispatch, peers, quarantine, refusals, rules, signatures
from passerelle.federation import envelope as env
from passerelle.federation.schemas import Envelope
from passerelle.federation.transport import node_key
from passerelle.node import Node

#: Headers the inbox reads; each is bounded by ``rules.SIGNED_HEADER_MAX_CHARS``.
SIGNED_HEADERS = ("signature-input", "signature", "content-digest", "date")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _signed(node: Node, status: int, body: bytes) -> Reply:
    headers = signatures.signed_headers(
        node_key(node), keyid=node.code, body=body, now=node.clock.now(), status=status
    )
    headers["content-type"] = "application/json"
    return Reply(status, body, headers)


def _replay(node: Node, message: Envelope, stored_reply: str | None, source: str) -> Reply:
    error = Replay(f"message {message.id} was already received; it is not processed twice")
    refusals.record(node, error, source=source, signer=message.sender, message_id=message.id)
    body: dict[str, Any] = error.to_dict()
    if stored_reply:
        body["details"] = {"reply": json.loads(stored_reply)}
    return _signed(node, error.status, json.dumps(body).encode())


def _check_sizes(headers: dict[str, str]) -> None:
    """Refuse oversized headers before anything in them is parsed or logged."""
    for name in SIGNED_HEADERS:
        if len(headers.get(name, "")) > rules.SIGNED_HEADER_MAX_CHARS:
            raise UsageError(
                f"the {name} header exceeds {rules.SIGNED_HEADER_MAX_CHARS} characters"
            )
    total = sum(len(k) + len(v) for k, v in headers.items())
    if total > rules.HEADERS_MAX_BYTES:
        raise UsageError(f"the request headers exceed {rules.HEADERS_MAX_BYTES} bytes")


def _verify(node: Node, *, method: str, path: str, headers: dict[str, str], body: bytes) -> str:
    """The verified signer; an unknown key and a bad signature give the same answer."""
    keyid = refusals.loggable_keyid(signatures.claimed_keyid(headers.get("signature-input", "")))
    key = peers.cached_public_key(node, keyid) if keyid else None
    try:
        verified = signatures.verify(
            signatures.Message(headers=headers, method=method, path=path),
            body=body,
            components=rules.REQUEST_COMPONENTS,
            key_for=lambda kid: key if kid == keyid else None,
            now=node.clock.now(),
        )
    except signatures.KeyMismatch as exc:
        raise _NotVerified(exc.message) from exc
    return verified.keyid


class _NotVerified(SignatureInvalid):
    """Answered as :data:`signatures.NOT_VERIFIED`; the exact reason goes to the audit log."""

    def __init__(self, reason: str) -> None:
        super().__init__(signatures.NOT_VERIFIED)
        self.reason = reason


def receive(
    node: Node,
    *,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    source: str = "unknown",
) -> Reply:
    """Handle one posted message. Raises typed errors for refusals (after auditing them).

    The signature is checked before any transaction opens (the peer's key comes from a
    short-lived cache), so verification never holds the database's write lock. ``source`` is
    the caller's address, which the audit of refusals is rate-limited by.
    """
    signer, message_id = "", "-"
    try:
        _check_sizes(headers)
        signer = _verify(node, method=method, path=path, headers=headers, body=body)
        message = env.decode(body)
        message_id = message.id
        if message.sender != signer:
            raise PermissionDenied(f"signed by {signer} but claims to come from {message.sender}")
        if message.recipient != node.code:
            raise PermissionDenied(
                f"message addressed to {message.recipient}, this node is {node.code}"
            )
        try:
            replayed, reply = process(node, message, body.decode())
        except PasserelleError as exc:
            if quarantine.keeps(exc):  # verified, addressed here, refused for good: kept raw
                quarantine.keep(node, message, body.decode(errors="replace"), exc)
            raise
    except PasserelleError as exc:
        logged: PasserelleError = exc
        if isinstance(exc, _NotVerified):
            logged = SignatureInvalid(exc.reason)
        claimed = signatures.claimed_keyid(
            headers.get("signature-input", "")[: rules.SIGNED_HEADER_MAX_CHARS]
        )
        refusals.record(
            node,
            logged,
            source=source,
            signer=signer,
            claimed_keyid=claimed,
            message_id=message_id,
        )
        raise
    if replayed:
        return _replay(node, message, reply, source)
    return _signed(node, 200, (reply or "").encode())


def _process(session: Session, node: Node, message: Envelope, raw: str) -> tuple[bool, str | None]:
    previous = dispatch.seen(session, message.sender, message.id)
    if previous is not None:
        return True, previous.reply
    dispatch.check_answers_ours(session, message)
    row = dispatch.record_incoming(session, node, message, raw)
    reply = dispatch.handle(session, node, message)
    row.reply = env.encode(reply)
    dispatch.record_reply_sent(session, node, reply)
    session.flush()
    return False, row.reply


def _stored_reply(node: Node, peer: str, message_id: str) -> str | None:
    # The same message arrived twice at once; the other delivery won the race.
    with node.session() as session:
        row = dispatch.seen(session, peer, message_id)
        return row.reply if row else None


def process(node: Node, message: Envelope, raw: str) -> tuple[bool, str | None]:
    """Record and handle an already authenticated message exactly once.

    Returns ``(False, reply)`` the first time, ``(True, reply sent the first time)`` after.
    """
    try:
        with node.session() as session:
            return _process(session, node, message, raw)
    except DbIntegrityError:
        return True, _stored_reply(node, message.sender, message.id)
