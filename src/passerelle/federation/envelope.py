"""Building, encoding and decoding envelopes."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError

from passerelle.errors import MalformedInput
from passerelle.federation.schemas import Envelope, Evaluation, Handling
from passerelle.node import Node


def make(
    node: Node,
    *,
    recipient: str,
    type: str,
    purpose: str,
    legal_basis: str,
    case_ref: str = "",
    payload: dict[str, Any] | None = None,
    in_reply_to: str | None = None,
    handling: Handling | None = None,
    evaluation: Evaluation | None = None,
) -> Envelope:
    """A new envelope from this node, stamped with a fresh message id and the node's clock."""
    return Envelope(
        id=str(uuid.uuid4()),
        sender=node.code,
        recipient=recipient,
        created_at=node.clock.now(),
        type=type,
        purpose=purpose,
        legal_basis=legal_basis,
        case_ref=case_ref,
        in_reply_to=in_reply_to,
        handling=handling,
        evaluation=evaluation,
        payload=payload or {},
    )


def encode(envelope: Envelope) -> str:
    return envelope.model_dump_json()


def decode(raw: str | bytes) -> Envelope:
    try:
        return Envelope.model_validate_json(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise MalformedInput(f"not a valid federation envelope: {problems}") from exc
