"""Storing CAP messages: validate, parse, file under their incident thread, or quarantine.

Every message is stored as the exact XML that passed the official schema. A document that does
not pass is kept raw in quarantine with the schema error and its line, never lost. Reads go
through :func:`access` so each one is audited.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, or_, select
from sqlalchemy.orm import Session

from passerelle.crisis import cap, rules
from passerelle.crisis.model import CapMessage, Quarantine
from passerelle.errors import Conflict, NotFound
from passerelle.node import Node
from passerelle.privacy import Access, Principal


def access(principal: Principal, node: Node) -> Access:
    return Access(principal, node.code, rules.PURPOSE, rules.LEGAL_BASIS)


def _areas(msg: cap.CapMessage) -> list[dict[str, Any]]:
    info = msg.first_info
    if info is None:
        return []
    return [
        {
            "desc": a.desc,
            "polygons": [[list(p) for p in poly] for poly in a.polygons],
            "circles": [list(c) for c in a.circles],
        }
        for a in info.areas
    ]


def _expires(msg: cap.CapMessage) -> datetime | None:
    ends = [i.expires for i in msg.infos if i.expires is not None]
    return max(ends) if ends else None


def referenced(session: Session, refs: list[cap.Reference]) -> list[CapMessage]:
    """The stored messages ``refs`` name (sender and identifier; CAP 1.2 §3.2.1)."""
    if not refs:
        return []
    wanted = or_(
        *((CapMessage.sender == r.sender) & (CapMessage.identifier == r.identifier) for r in refs)
    )
    return list(session.scalars(select(CapMessage).where(wanted)))


def thread_of(session: Session, msg: cap.CapMessage) -> str:
    """The incident a message belongs to: its own identifier for an Alert, else the thread of
    the first earlier message it refers to that this node knows."""
    if msg.msg_type == "Alert" or not msg.references:
        return msg.identifier
    known = referenced(session, msg.references)
    return known[0].thread if known else msg.references[0].identifier


def _values(
    session: Session,
    node: Node,
    raw: bytes,
    msg: cap.CapMessage,
    *,
    origin: str,
    created_by: str,
    names_people: bool,
    signature: str | None,
) -> dict[str, Any]:
    info = msg.first_info
    return {
        "id": str(uuid.uuid4()),
        "identifier": msg.identifier,
        "sender": msg.sender,
        "sent": msg.sent,
        "status": msg.status,
        "msg_type": msg.msg_type,
        "scope": msg.scope,
        "thread": thread_of(session, msg),
        "origin": origin[:300],
        "headline": (info.headline if info else msg.note)[:300],
        "headlines": {
            i.language.split("-")[0].lower(): i.headline[:300] for i in reversed(msg.infos)
        },
        "event": (info.event if info else "")[:200],
        "severity": info.severity if info else "",
        "urgency": info.urgency if info else "",
        "languages": [i.language for i in msg.infos],
        "areas": _areas(msg),
        "references": [str(r) for r in msg.references],
        "expires": _expires(msg),
        "names_people": names_people,
        "xml": raw.decode("utf-8"),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "signature": signature,
        "received_at": node.clock.now(),
        "created_by": created_by[:120],
    }


def store(
    session: Session,
    node: Node,
    raw: bytes,
    *,
    origin: str,
    created_by: str,
    names_people: bool = False,
    signature: str | None = None,
    parsed: cap.CapMessage | None = None,
) -> CapMessage:
    """Validate and store one CAP document; :class:`cap.CapInvalid` if it is not CAP 1.2,
    :class:`Conflict` if this sender's identifier is already stored."""
    msg = parsed or cap.parse(raw)
    existing = session.scalars(
        select(CapMessage.id).where(
            CapMessage.sender == msg.sender, CapMessage.identifier == msg.identifier
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"message {msg.identifier} from {msg.sender} is already stored", message_id=existing
        )
    values = _values(
        session,
        node,
        raw,
        msg,
        origin=origin,
        created_by=created_by,
        names_people=names_people,
        signature=signature,
    )
    row = CapMessage(**values)
    session.add(row)
    session.flush()
    return row


def store_many(
    session: Session,
    node: Node,
    docs: list[tuple[bytes, cap.CapMessage]],
    *,
    origin: str,
    created_by: str,
) -> dict[int, str]:
    """Store already validated documents in one statement (a feed's batch): position in
    ``docs`` -> stored id. Documents whose sender and identifier are already stored, or repeated
    in the batch, are left out."""
    if not docs:
        return {}
    identifiers = list({m.identifier for _, m in docs})
    known = {
        (sender, identifier)
        for sender, identifier in session.execute(
            select(CapMessage.sender, CapMessage.identifier).where(
                CapMessage.identifier.in_(identifiers)
            )
        )
    }
    rows, stored = [], {}
    for n, (raw, msg) in enumerate(docs):
        key = (msg.sender, msg.identifier)
        if key in known:
            continue
        known.add(key)
        values = _values(
            session,
            node,
            raw,
            msg,
            origin=origin,
            created_by=created_by,
            names_people=False,
            signature=None,
        )
        rows.append(values)
        stored[n] = values["id"]
    if rows:
        session.execute(insert(CapMessage), rows)
    return stored


def quarantine(
    session: Session, node: Node, raw: bytes, error: cap.CapInvalid, *, source: str
) -> Quarantine:
    """Keep a refused document raw, with the exact reason and line."""
    row = Quarantine(
        id=str(uuid.uuid4()),
        source=source[:300],
        received_at=node.clock.now(),
        reason=error.message,
        line=error.line,
        raw=raw,
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, node: Node, principal: Principal, message_id: str) -> CapMessage:
    """One message; the read is audited."""
    row = session.get(CapMessage, message_id)
    if row is None:
        raise NotFound(f"no crisis message {message_id}")
    access(principal, node).trace(session, "read", "crisis.message", row.id, now=node.clock.now())
    return row


def search(
    session: Session,
    node: Node,
    principal: Principal,
    *,
    text: str = "",
    msg_type: str = "",
    thread: str = "",
    limit: int = 200,
) -> list[CapMessage]:
    """Messages newest first, by words of the headline, event or identifier (audited)."""
    conditions: list[ColumnElement[bool]] = []
    if text.strip():
        like = f"%{text.strip().lower()}%"
        conditions.append(
            func.lower(CapMessage.headline).like(like)
            | func.lower(CapMessage.event).like(like)
            | func.lower(CapMessage.identifier).like(like)
        )
    if msg_type:
        conditions.append(CapMessage.msg_type == msg_type)
    if thread:
        conditions.append(CapMessage.thread == thread)
    rows = list(
        session.scalars(
            select(CapMessage)
            .where(*conditions)
            .order_by(CapMessage.sent.desc(), CapMessage.received_at.desc())
            .limit(limit)
        )
    )
    access(principal, node).trace(
        session,
        "read",
        "crisis.message",
        "*",
        now=node.clock.now(),
        details={"search": text[:100], "msg_type": msg_type, "results": len(rows)},
    )
    return rows


def quarantined(
    session: Session, node: Node, principal: Principal, *, limit: int = 200
) -> list[Quarantine]:
    rows = list(
        session.scalars(select(Quarantine).order_by(Quarantine.received_at.desc()).limit(limit))
    )
    access(principal, node).trace(session, "read", "crisis.quarantine", "*", now=node.clock.now())
    return rows


def quarantined_one(
    session: Session, node: Node, principal: Principal, entry_id: str
) -> Quarantine:
    row = session.get(Quarantine, entry_id)
    if row is None:
        raise NotFound(f"no quarantined crisis document {entry_id}")
    access(principal, node).trace(
        session, "read", "crisis.quarantine", row.id, now=node.clock.now()
    )
    return row
