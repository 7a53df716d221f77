"""Keys shared by two FIUs for the Bloom-filter encodings, and their rotation.

A key file is a small JSON document: a random 256-bit secret, the key's identifier (derived
from the secret, so a filter names the key it needs without revealing it) and when it was made.
Rotating means generating a new key, sending it to the partner FIU out of band, and rebuilding
the filter with it: a filter built with an older key matches nothing encoded with the new one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from passerelle.errors import MalformedInput, UsageError

KEY_BYTES = 32
FORMAT = "passerelle-financing-key/1"


@dataclass(frozen=True)
class Key:
    secret: bytes
    created: str

    @property
    def key_id(self) -> str:
        """Sixteen hex digits naming the key; they reveal nothing of the secret."""
        return hmac.new(self.secret, b"key-id", hashlib.sha256).hexdigest()[:16]


def generate(now: datetime) -> Key:
    return Key(secrets.token_bytes(KEY_BYTES), now.isoformat(timespec="seconds"))


def dumps(key: Key) -> str:
    body = {
        "format": FORMAT,
        "key_id": key.key_id,
        "created": key.created,
        "secret": base64.b64encode(key.secret).decode("ascii"),
    }
    return json.dumps(body, indent=2) + "\n"


def write(key: Key, path: Path) -> None:
    """Write the key readable by its owner only (it is a secret shared with one partner)."""
    if path.exists():
        raise UsageError(f"{path} exists: a key is never overwritten (rotate to a new file)")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(dumps(key))


def loads(text: str, source: str = "key") -> Key:
    try:
        body = json.loads(text)
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ValueError("not a Passerelle financing key file")
        secret = base64.b64decode(str(body["secret"]), validate=True)
        if len(secret) != KEY_BYTES:
            raise ValueError(f"the secret must hold {KEY_BYTES} bytes")
        key = Key(secret, str(body.get("created", "")))
        if body.get("key_id") != key.key_id:
            raise ValueError("key_id does not match the secret (damaged file)")
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedInput(f"{source}: {exc}", field="key") from None
    return key


def read(path: Path) -> Key:
    try:
        return loads(path.read_text(encoding="utf-8"), str(path))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise MalformedInput(f"{path}: not a key file", field="key") from None
