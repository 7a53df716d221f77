"""Posting a signed message to a peer's inbox and checking the signed reply.

The HTTP client is an ``httpx.AsyncClient`` handed in by the caller: the server keeps one for
its lifetime, tests give one whose transport routes to in-process ASGI apps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from passerelle.errors import PasserelleError
from passerelle.federation import keys, rules, signatures
from passerelle.node import Node


@cache
def _key_at(path: Path, _mtime: float) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def node_key(node: Node) -> Ed25519PrivateKey:
    """The node's private key, read once per key file version."""
    path = keys.key_path(node.settings)
    if not path.exists():
        keys.load(node.settings)  # raises the explanatory NotFound
    return _key_at(path, path.stat().st_mtime)


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery attempt."""

    delivered: bool
    reply: bytes | None = None  # the peer's reply envelope, signature verified
    error: str = ""
    permanent: bool = False  # the peer refused the message itself: retrying cannot help


def _last_values(headers: httpx.Headers) -> dict[str, str]:
    """One value per field, the last one: servers such as uvicorn prepend their own ``Date``
    to the one the signed response set, and only the application's value was signed."""
    return {name.lower(): headers.get_list(name)[-1] for name in headers}


def _reply_of(status: int, body: bytes) -> bytes | None:
    if status == 200:
        return body
    data = json.loads(body)
    reply = data.get("details", {}).get("reply")
    return json.dumps(reply).encode() if reply else None


async def post(
    node: Node,
    client: httpx.AsyncClient,
    *,
    peer_code: str,
    url: str,
    peer_key: Ed25519PublicKey,
    body: bytes,
) -> Outcome:
    """Sign and post ``body`` to ``url``'s inbox; verify the reply against ``peer_key``."""
    headers = signatures.signed_headers(
        node_key(node),
        keyid=node.code,
        body=body,
        now=node.clock.now(),
        method="POST",
        path=rules.INBOX_PATH,
    )
    headers["content-type"] = "application/json"
    try:
        response = await client.post(url + rules.INBOX_PATH, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Outcome(False, error=f"{peer_code} unreachable: {type(exc).__name__} {exc}"[:300])
    if response.status_code not in (200, 409):
        try:
            message = response.json().get("message", "")
        except ValueError:
            message = response.text[:200]
        return Outcome(
            False,
            error=f"{peer_code} answered {response.status_code}: {message}"[:300],
            permanent=response.status_code in (400, 413, 422),
        )
    try:
        signatures.verify(
            signatures.Message(
                headers=_last_values(response.headers),
                status=response.status_code,
            ),
            body=response.content,
            components=rules.RESPONSE_COMPONENTS,
            key_for=lambda kid: peer_key if kid == peer_code else None,
            now=node.clock.now(),
        )
        reply = _reply_of(response.status_code, response.content)
    except (PasserelleError, ValueError) as exc:
        message = exc.message if isinstance(exc, PasserelleError) else str(exc)
        return Outcome(False, error=f"{peer_code} reply rejected: {message}"[:300])
    return Outcome(True, reply=reply)
