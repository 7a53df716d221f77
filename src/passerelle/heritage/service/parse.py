"""Readers of the domain's inputs: the object JSON of a check or a registration. Every failure
is a typed error naming the field and the reason; nothing raises anything else."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from passerelle.errors import MalformedInput, PayloadTooLarge, ValidationFailed
from passerelle.heritage.schemas import CheckIn

MAX_OBJECT_BYTES = 1024 * 1024


def _field(error: Any) -> str:
    return ".".join(str(p) for p in error["loc"]) or "object"


def object_json(raw: bytes) -> CheckIn:
    """An object (with its provenance and offer) from JSON bytes."""
    if len(raw) > MAX_OBJECT_BYTES:
        raise PayloadTooLarge(
            f"object: {len(raw)} bytes, at most {MAX_OBJECT_BYTES}", field="object"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise MalformedInput(f"object: not JSON ({exc})", field="object") from None
    if not isinstance(data, dict):
        raise ValidationFailed("object: a JSON object is expected", field="object")
    try:
        return CheckIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _field(first)
        raise ValidationFailed(
            f"{field}: {first['msg']}",
            field=field,
            problems=[{"field": _field(e), "reason": e["msg"]} for e in exc.errors()[:20]],
        ) from None
