"""Quarantine of input the domain cannot accept: malformed object JSON, wrong types, impossible
dates, refused photographs (unreadable, oversize, decompression bombs). The raw bytes are kept
(cut to ``rules.QUARANTINE_RAW_KEPT``) with the exact reason and field, for 30 days; the
caller then raises the typed error, so the user sees the same reason. Reading the quarantine is
audited: a refused object JSON may name a seller or an owner."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound, PasserelleError
from passerelle.heritage import rules
from passerelle.heritage.model import Quarantine
from passerelle.heritage.service.common import trace
from passerelle.node import Node
from passerelle.privacy import Principal

T = TypeVar("T")


def keep(session: Session, node: Node, source: str, raw: bytes, exc: PasserelleError) -> Quarantine:
    """Store ``raw`` with the reason of ``exc`` in the caller's transaction."""
    row = Quarantine(
        id=str(uuid.uuid4()),
        source=source[:300],
        field=str(exc.details.get("field", ""))[:200],
        reason=exc.message,
        raw=raw[: rules.QUARANTINE_RAW_KEPT],
        size=len(raw),
        received_at=node.clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def guarded(node: Node, source: str, raw: bytes, read: Callable[[bytes], T]) -> T:
    """``read(raw)``; on a typed error the input is quarantined (its own transaction, so the
    refusal that follows cannot roll it back) and the error raised again."""
    try:
        return read(raw)
    except PasserelleError as exc:
        with node.session() as session:
            keep(session, node, source, raw, exc)
        raise


def items(session: Session, node: Node, principal: Principal, limit: int = 100) -> list[Quarantine]:
    """Quarantined input, newest first (audited read)."""
    rows = list(
        session.scalars(select(Quarantine).order_by(Quarantine.received_at.desc()).limit(limit))
    )
    trace(
        session, node, principal, "read", "heritage.quarantine", "list",
        details={"items": len(rows)},
    )  # fmt: skip
    return rows


def item(session: Session, node: Node, principal: Principal, item_id: str) -> Quarantine:
    """One quarantined input with its raw bytes (audited read)."""
    row = session.get(Quarantine, item_id)
    if row is None:
        raise NotFound(f"quarantine item {item_id} not found", field="id")
    trace(session, node, principal, "read", "heritage.quarantine", item_id)
    return row


def refused_images(node: Node, source: str, images: Sequence[bytes], exc: PasserelleError) -> None:
    """When ``exc`` names a photograph (``image`` or ``image[i]``), quarantine it."""
    field = str(exc.details.get("field", ""))
    match = re.fullmatch(r"image(?:\[(\d+)\])?", field)
    if match is None or not images:
        return
    n = int(match.group(1) or 0)
    if n < len(images):
        with node.session() as session:
            keep(session, node, f"{source} {field}", images[n], exc)
