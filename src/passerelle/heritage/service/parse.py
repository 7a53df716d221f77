"""Readers of the domain's inputs: the object JSON of a check or a registration. Every failure
is a typed error naming the field and the reason (malformed JSON, wrong types, impossible
dates such as 2024-02-30 or a provenance link ending before it starts, oversize input);
nothing raises anything else. Callers quarantine what is refused (:mod:`.quarantine`)."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from passerelle.errors import MalformedInput, PayloadTooLarge, ValidationFailed
from passerelle.heritage.schemas import CheckIn, ObjectIn

MAX_OBJECT_BYTES = 1024 * 1024
M = TypeVar("M", bound=BaseModel)


def _field(error: Any) -> str:
    return ".".join(str(p) for p in error["loc"]) or "object"


def object_json(raw: bytes) -> CheckIn:
    """An object (with its provenance and offer) from JSON bytes."""
    return _read(raw, CheckIn)


def registration_json(raw: bytes) -> ObjectIn:
    """An object to register (Object ID and provenance, no offer) from JSON bytes."""
    return _read(raw, ObjectIn)


def _read(raw: bytes, model: type[M]) -> M:
    if len(raw) > MAX_OBJECT_BYTES:
        raise PayloadTooLarge(
            f"object: {len(raw)} bytes, at most {MAX_OBJECT_BYTES}", field="object"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: a number
        # of more than 4,300 digits (int conversion limit), besides JSONDecodeError
        raise MalformedInput(f"object: not JSON ({exc})", field="object") from None
    if not isinstance(data, dict):
        raise ValidationFailed("object: a JSON object is expected", field="object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _field(first)
        raise ValidationFailed(
            f"{field}: {first['msg']}",
            field=field,
            problems=[{"field": _field(e), "reason": e["msg"]} for e in exc.errors()[:20]],
        ) from None
