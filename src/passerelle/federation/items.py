"""The data released in a follow-up answer, at rest (``federation_request.items``).

Encrypted with the node's field key, bound to the request id and direction; rows stored before
encryption hold clear JSON and are read as such. Retention erases the values and keeps the field
names with their handling and evaluation codes (``retention.items_rules``).
"""

from __future__ import annotations

import json
from datetime import datetime

from passerelle.federation.model import FollowupRequest
from passerelle.federation.schemas import Item
from passerelle.privacy import FieldCipher


def _items_context(row: FollowupRequest) -> str:
    return f"federation_request:{row.direction}:{row.request_id}"


def seal_items(cipher: FieldCipher, row: FollowupRequest, items: list[Item]) -> None:
    """Store released items encrypted with the node's field key, bound to the request."""
    row.items = cipher.encrypt(json.dumps([i.model_dump() for i in items]), _items_context(row))


def open_items(cipher: FieldCipher, row: FollowupRequest) -> list[Item]:
    """The released items of ``row`` (rows written before encryption hold clear JSON)."""
    raw = row.items if row.items.lstrip().startswith("[") else None
    if raw is None:
        raw = cipher.decrypt(row.items, _items_context(row))
    return [Item.model_validate(i) for i in json.loads(raw)]


def erase_values(cipher: FieldCipher, row: FollowupRequest, now: datetime) -> None:
    """Erase the released values, keep the field names and their codes (retention)."""
    kept = [i.model_copy(update={"value": ""}) for i in open_items(cipher, row)]
    seal_items(cipher, row, kept)
    row.items_erased_at = now
