"""The node's Ed25519 key pair: generated once, private key kept mode 0600 in the data directory.

Public keys travel as the base64 of their 32 raw bytes, short enough to paste into
``passerelle peers add``.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.settings import Settings

PRIVATE_KEY_FILE = "federation-ed25519.pem"


def key_path(settings: Settings) -> Path:
    return settings.keys_dir / PRIVATE_KEY_FILE


def generate(settings: Settings, *, force: bool = False) -> Ed25519PrivateKey:
    """Create the node's key pair; refuses to replace an existing one unless ``force``."""
    path = key_path(settings)
    if path.exists() and not force:
        raise Conflict(f"a key pair already exists in {path}; use --force to replace it")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.replace(tmp, path)
    return key


def load(settings: Settings) -> Ed25519PrivateKey:
    """The node's private key; a missing key is a clear error, never a silent new identity."""
    path = key_path(settings)
    if not path.exists():
        raise NotFound(f"no key pair in {path}; run `passerelle keys generate` first")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValidationFailed(f"{path} is not an Ed25519 private key")
    return key


def ensure(settings: Settings) -> Ed25519PrivateKey:
    """Load the key pair, generating it on first use."""
    return load(settings) if key_path(settings).exists() else generate(settings)


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Base64 of the raw 32-byte public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def parse_public(text: str) -> Ed25519PublicKey:
    """Parse a public key given as base64 raw bytes; a clear error otherwise."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed("the public key is not valid base64") from exc
    if len(raw) != 32:
        raise ValidationFailed("an Ed25519 public key is 32 bytes (44 base64 characters)")
    return Ed25519PublicKey.from_public_bytes(raw)
