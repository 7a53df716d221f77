"""Message bodies at rest: encrypted with the node's field key, hashed for accountability.

A body is sealed with AES-256-GCM bound to its message id and direction, so a body cannot be
moved to another row. The SHA-256 of the exact bytes exchanged stays in the envelope when the
body is erased: both nodes can still show that they hold the same record of the exchange.
"""

from __future__ import annotations

import hashlib

from passerelle.errors import NotFound
from passerelle.federation.model import Message
from passerelle.privacy import FieldCipher


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _context(message_id: str, direction: str) -> str:
    return f"federation_message:{direction}:{message_id}"


def seal(cipher: FieldCipher, row: Message, raw: str) -> None:
    """Store ``raw`` encrypted in ``row`` (its message id and direction set) with its hash."""
    row.body = cipher.encrypt(raw, _context(row.message_id, row.direction))
    if row.body_hash is None:
        row.body_hash = digest(raw)


def seal_masked(cipher: FieldCipher, row: Message, raw: str) -> None:
    """Keep the masked form of the body beside it, for retention to swap in when due."""
    row.body_masked = cipher.encrypt(raw, _context(row.message_id, row.direction))


def open_body(cipher: FieldCipher, row: Message) -> str:
    """The clear body of ``row``; NotFound once retention erased it."""
    if row.body is None:
        raise NotFound(f"the body of message {row.message_id} was erased by retention")
    return cipher.decrypt(row.body, _context(row.message_id, row.direction))


def seal_text(cipher: FieldCipher, context: str, raw: str) -> str:
    return cipher.encrypt(raw, context)


def open_text(cipher: FieldCipher, context: str, token: str) -> str:
    return cipher.decrypt(token, context)
