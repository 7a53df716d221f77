"""Field encryption for masked personal data (AES-256-GCM with a per-node key).

Masked fields are stored only encrypted; reading them back needs an approved
re-personalisation, which the domain services check before calling :meth:`FieldCipher.decrypt`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from passerelle.errors import IntegrityError


class FieldCipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("field key must be 32 bytes")
        self._aead = AESGCM(key)
        # A separate key for keyed hashes, derived so it never doubles as the encryption key.
        self._mac_key = hmac.new(key, b"passerelle keyed hash v1", hashlib.sha256).digest()

    @classmethod
    def from_key_file(cls, path: Path) -> FieldCipher:
        """Load the node's field key, creating it (mode 0600) on first use."""
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.parent.chmod(0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(AESGCM.generate_key(bit_length=256))
        path.chmod(0o600)
        return cls(path.read_bytes())

    def encrypt(self, clear: str, context: str) -> str:
        """Encrypt ``clear``; ``context`` (e.g. table and row id) is bound to the ciphertext."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, clear.encode(), context.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def keyed_hash(self, text: str, purpose: str) -> str:
        """HMAC-SHA-256 of ``text`` under this node's key, for ``purpose``: equal inputs give
        equal hashes on this node only, and nobody without the key can test a guess."""
        message = f"{purpose}\x00{text}".encode()
        return hmac.new(self._mac_key, message, hashlib.sha256).hexdigest()

    def decrypt(self, token: str, context: str) -> str:
        raw = base64.urlsafe_b64decode(token.encode())
        try:
            return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except Exception as exc:  # cryptography raises InvalidTag
            raise IntegrityError(
                "encrypted field cannot be decrypted (altered or wrong key)"
            ) from exc
