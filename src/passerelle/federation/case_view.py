"""An exchange case as a reader sees it: its messages in order, with their content as far as
the reader's role allows. Analysts and supervisors read the content (each read audited); a DPO
sees who exchanged what and when, the body's hash, not the data; an erased body says so."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound
from passerelle.federation import bodies
from passerelle.federation.model import Message
from passerelle.node import Node
from passerelle.privacy import Access, Principal

__all__ = ["CONTENT_ROLES", "CaseMessage", "case_messages"]

#: Roles that read a message's content on the case page.
CONTENT_ROLES = ("analyst", "supervisor")


@dataclass(frozen=True)
class CaseMessage:
    row: Message
    #: ``shown``, ``withheld`` (role), ``erased`` (retention) or ``unreadable``.
    content_state: str
    content: list[tuple[str, str]] = field(default_factory=list)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out: list[tuple[str, str]] = []
        for key, item in value.items():
            out += _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return [(prefix, ", ".join(str(v) for v in value))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _flatten(v, f"{prefix}[{i + 1}]")]
    return [(prefix, "" if value is None else str(value))]


def _content(node: Node, row: Message) -> tuple[str, list[tuple[str, str]]]:
    try:
        raw = bodies.open_body(node.cipher, row)
    except NotFound:
        return "erased", []
    try:
        body = json.loads(raw)
    except ValueError:
        return "unreadable", []
    payload = body.get("payload", body) if isinstance(body, dict) else body
    return "shown", _flatten(payload)[:200]


def case_messages(
    session: Session, node: Node, principal: Principal, case_ref: str
) -> list[CaseMessage]:
    rows = list(
        session.scalars(
            select(Message)
            .where(Message.case_ref == case_ref)
            .order_by(Message.created_at, Message.id)
        )
    )
    reads = principal.has_any(CONTENT_ROLES)
    out = []
    for row in rows:
        if not reads:
            out.append(CaseMessage(row, "withheld"))
            continue
        state, content = _content(node, row)
        out.append(CaseMessage(row, state, content))
    access = Access(principal, node.code, "exchange case file", "Prüm Decision 2008/615/JHA")
    access.trace(
        session,
        "read",
        "federation.message",
        case_ref[:100],
        now=node.clock.now(),
        details={"messages": len(rows), "content": reads},
    )
    return out
