"""TLS between nodes: the client this node posts to peers with, and mutual TLS on the inbox.

* Outgoing: the HTTP client verifies a peer's HTTPS certificate against ``PASSERELLE_TLS_CA``
  (or the system's store) and presents this node's certificate (``PASSERELLE_TLS_CERT`` and
  ``PASSERELLE_TLS_KEY``) so that a peer running mutual TLS accepts it.
* Incoming: when ``PASSERELLE_TLS_CLIENT_CA`` is set (``serve --tls-client-ca``), a message to
  the inbox must come over a TLS connection whose client certificate is the one pinned for the
  signing peer in the peer registry (``peers add … --tls-cert-sha256`` or ``--tls-cert``),
  beside its signing key. Anything else is refused before the message is read.
"""

from __future__ import annotations

import hashlib
import re
import ssl
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy.orm import Session

from passerelle.errors import PermissionDenied, ValidationFailed
from passerelle.federation.model import Peer
from passerelle.node import Node
from passerelle.settings import Settings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEYID = re.compile(r'keyid="([A-Za-z0-9_-]{1,32})"')


def fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate, lower-case hex (what ``--tls-cert-sha256`` takes)."""
    return hashlib.sha256(der).hexdigest()


def fingerprint_of_file(path: Path) -> str:
    """The SHA-256 fingerprint of the PEM (or DER) certificate in ``path``."""
    data = path.read_bytes()
    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as exc:
        raise ValidationFailed(f"{path} is not a PEM or DER certificate") from exc
    return fingerprint(cert.public_bytes(Encoding.DER))


def check_pin(value: str) -> str:
    """A pin as given on the command line: 64 hex digits, colons allowed (``AB:CD:…``)."""
    pin = value.replace(":", "").strip().lower()
    if not _SHA256.match(pin):
        raise ValidationFailed("a certificate pin is the SHA-256 of the certificate: 64 hex digits")
    return pin


def client_options(settings: Settings) -> dict[str, Any]:
    """``httpx`` client arguments for posting to peers: verification and this node's cert."""
    if not (settings.tls_ca or settings.tls_cert):
        return {}
    context = ssl.create_default_context(cafile=settings.tls_ca or None)
    if settings.tls_cert:
        context.load_cert_chain(settings.tls_cert, settings.tls_key or None)
    return {"verify": context}


def mutual_tls(settings: Settings) -> bool:
    """True when the inbox requires a pinned client certificate."""
    return bool(settings.tls_client_ca)


def check_client(node: Node, der: bytes | None, headers: dict[str, str]) -> None:
    """Refuse an inbox request whose TLS client certificate is not the signing peer's pin."""
    if der is None:
        raise PermissionDenied(
            "this node requires mutual TLS on its inbox: present your node's client certificate"
        )
    match = _KEYID.search(headers.get("signature-input", ""))
    if match is None:
        raise PermissionDenied("the message is not signed by a node")
    with node.session() as session:
        pinned = _pin(session, match.group(1).upper())
    if pinned is None or pinned != fingerprint(der):
        raise PermissionDenied("the client certificate is not the one pinned for the signing node")


def _pin(session: Session, code: str) -> str | None:
    peer = session.get(Peer, code)
    return peer.tls_cert_sha256 if peer is not None else None


def peer_certificate(state: Any) -> bytes | None:
    """The client certificate (DER) the connection presented, if any (see ``web.tls``)."""
    der = getattr(state, "tls_peer_cert", None)
    return der if isinstance(der, bytes) else None
