"""Signed node-to-node GET requests, for content too large to travel in a message (a domain's
file transfer, e.g. JIT evidence): the requesting node signs ``@method``, ``@path``, ``date``
and the digest of the empty body with its Ed25519 key (RFC 9421, as the inbox does); the
serving node verifies the signature against the peer's registered key.
"""

from __future__ import annotations

from typing import Any

from passerelle.federation import keys, peers, rules, signatures, tls
from passerelle.federation.transport import node_key
from passerelle.node import Node
from passerelle.settings import Settings


def signed_get_headers(node: Node, path: str) -> dict[str, str]:
    """Headers of a GET on ``path`` signed by this node (``keyid`` = its code)."""
    return signatures.signed_headers(
        node_key(node), keyid=node.code, body=b"", now=node.clock.now(), method="GET", path=path
    )


def verify_get(node: Node, *, method: str, path: str, headers: dict[str, str]) -> str:
    """The registered peer that signed this request; ``SignatureInvalid`` otherwise."""
    keyid = signatures.claimed_keyid(headers.get("signature-input", ""))
    key = peers.cached_public_key(node, keyid) if keyid else None
    verified = signatures.verify(
        signatures.Message(headers=headers, method=method, path=path),
        body=b"",
        components=rules.REQUEST_COMPONENTS,
        key_for=lambda kid: key if kid == keyid else None,
        now=node.clock.now(),
    )
    return verified.keyid


def public_key_text(node: Node, session: Any, code: str) -> str | None:
    """The base64 public key of ``code``: this node's own, or the registered peer's."""
    if code == node.code:
        return keys.public_text(node_key(node))
    public = peers.public_key(session, code)
    return keys.public_text(public) if public is not None else None


def client_options(settings: Settings) -> dict[str, Any]:
    """``httpx`` client arguments for reaching peers (TLS verification, client cert)."""
    return tls.client_options(settings)
