"""The peer registry: partner nodes, their inbox URLs and public keys."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound, ValidationFailed
from passerelle.federation import keys, rules
from passerelle.federation.model import Message, Peer
from passerelle.node import Node


def _check_code(code: str) -> str:
    code = code.strip().upper()
    if not code or len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationFailed(f"{code!r} is not a node code (letters, digits, - and _)")
    return code


def add(
    session: Session,
    code: str,
    url: str,
    public_key: str,
    *,
    now: datetime,
    insecure_http: bool = False,
    tls_cert_sha256: str | None = None,
) -> Peer:
    """Register a peer, or update its URL and key when it is already known.

    The URL must be ``https://`` unless ``insecure_http`` (loopback tests, the demo);
    ``tls_cert_sha256`` pins the peer's TLS certificate for mutual TLS on the inbox.
    """
    code = _check_code(code)
    if not url.startswith(("http://", "https://")):
        raise ValidationFailed("the peer URL must start with http:// or https://")
    if url.startswith("http://") and not insecure_http:
        raise ValidationFailed(
            "the peer URL must use https:// (--insecure-http allows http:// for loopback tests "
            "and the demo)"
        )
    keys.parse_public(public_key)
    peer = session.get(Peer, code)
    if peer is None:
        peer = Peer(code=code, url=url.rstrip("/"), public_key=public_key.strip(), added_at=now)
        session.add(peer)
    else:
        peer.url, peer.public_key = url.rstrip("/"), public_key.strip()
    if tls_cert_sha256 is not None:
        peer.tls_cert_sha256 = tls_cert_sha256
    session.flush()
    forget_keys()
    return peer


def remove(session: Session, code: str) -> None:
    peer = session.get(Peer, code.upper())
    if peer is None:
        raise NotFound(f"no peer {code!r}")
    session.delete(peer)
    session.flush()
    forget_keys()


def get(session: Session, code: str) -> Peer:
    peer = session.get(Peer, code.upper())
    if peer is None:
        raise NotFound(f"no peer {code!r}; add it with `passerelle peers add`")
    return peer


def all_peers(session: Session) -> list[Peer]:
    return list(session.scalars(select(Peer).order_by(Peer.code)))


def public_key(session: Session, code: str) -> Ed25519PublicKey | None:
    """The key a signature with key id ``code`` must verify against, if ``code`` is a peer."""
    peer = session.get(Peer, code)
    return keys.parse_public(peer.public_key) if peer else None


_cache: OrderedDict[tuple[str, str], tuple[float, Ed25519PublicKey | None]] = OrderedDict()
_cache_lock = threading.Lock()


def cached_public_key(node: Node, code: str) -> Ed25519PublicKey | None:
    """:func:`public_key`, remembered for ``rules.PEER_KEY_CACHE_SECONDS``.

    At most ``rules.PEER_KEY_CACHE_SIZE`` entries are kept (least recently used dropped
    first), unknown codes included, so invented key ids cannot grow the cache.
    """
    slot = (node.db.url, code)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(slot)
        if hit is not None and now - hit[0] < rules.PEER_KEY_CACHE_SECONDS:
            _cache.move_to_end(slot)
            return hit[1]
    with node.session() as session:
        key = public_key(session, code)
    with _cache_lock:
        _cache[slot] = (now, key)
        _cache.move_to_end(slot)
        while len(_cache) > rules.PEER_KEY_CACHE_SIZE:
            _cache.popitem(last=False)
    return key


def cached_key_count() -> int:
    """How many peer keys the cache holds (for tests and diagnostics)."""
    return len(_cache)


def forget_keys() -> None:
    """Drop cached peer keys (after a change to the registry in this process)."""
    with _cache_lock:
        _cache.clear()


def pending_counts(session: Session) -> dict[str, int]:
    """Undelivered outgoing messages per peer."""
    rows = session.execute(
        select(Message.peer, func.count())
        .where(Message.direction == "out", Message.status.in_(("pending", "sending", "failed")))
        .group_by(Message.peer)
    )
    return {peer: int(count) for peer, count in rows}
