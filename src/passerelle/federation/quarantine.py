"""Refused messages of verified peers, kept raw with the exact reason (issue #15).

A message whose signature checked and that was addressed to this node can still be refused
while it is processed: a domain handler raises a typed error (``ValidationFailed``), or a
sharing policy refuses it. The processing transaction rolls back, the refusal is audited
(``refusals``) and the message is kept here, encrypted with the node's field key, with the
exact reason, so the admin and the data-protection officer can see what came and why it was
refused. Bounded per peer (``rules.QUARANTINE_PER_PEER``) and in size; erased after
``rules.QUARANTINE_RETENTION``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound, PasserelleError
from passerelle.federation import bodies, dispatch, rules
from passerelle.federation.model import Quarantined
from passerelle.federation.schemas import Envelope, QuarantinedOut
from passerelle.node import Node
from passerelle.privacy import audit

PURPOSE = "node-to-node exchange: refused message"


def _context(row_id: int) -> str:
    return f"federation_quarantine:{row_id}"


def keeps(error: PasserelleError) -> bool:
    """Whether ``error`` refuses the message for good (the peer will not send it again)."""
    return error.status in rules.QUARANTINE_STATUSES


def keep(node: Node, message: Envelope, raw: str, error: PasserelleError) -> int | None:
    """Keep a refused message (own transaction); returns its id, None when the peer's cap is
    reached (the refusal is then audited as not kept)."""
    with node.session() as session:
        held = session.scalar(
            select(func.count()).select_from(Quarantined).where(Quarantined.peer == message.sender)
        )
        actor = dispatch.peer_actor(message)
        if (held or 0) >= rules.QUARANTINE_PER_PEER:
            node.audit(
                session,
                actor,
                action="refuse",
                object_type="federation.quarantine",
                object_id=message.id,
                purpose=PURPOSE,
                legal_basis=message.legal_basis[:200],
                outcome="not kept: cap",
                details={"peer": message.sender, "type": message.type, "cap": held},
            )
            return None
        row = Quarantined(
            peer=message.sender,
            message_id=message.id,
            type=message.type[:32],
            error=error.code[:32],
            reason=error.message,
            raw="",
            raw_chars=len(raw),
            body_hash=bodies.digest(raw),
            received_at=node.clock.now(),
        )
        session.add(row)
        session.flush()
        row.raw = node.cipher.encrypt(raw[: rules.QUARANTINE_RAW_MAX_CHARS], _context(row.id))
        node.audit(
            session,
            actor,
            action="write",
            object_type="federation.quarantine",
            object_id=str(row.id),
            purpose=PURPOSE,
            legal_basis=message.legal_basis[:200],
            outcome="quarantined",
            details={"peer": message.sender, "message": message.id, "type": message.type},
        )
        return row.id


def _out(row: Quarantined, raw: str | None = None) -> QuarantinedOut:
    return QuarantinedOut(
        id=row.id,
        peer=row.peer,
        message_id=row.message_id,
        type=row.type,
        error=row.error,
        reason=row.reason,
        raw_chars=row.raw_chars,
        raw_truncated=row.raw_chars > rules.QUARANTINE_RAW_MAX_CHARS,
        body_hash=row.body_hash,
        received_at=row.received_at,
        raw=raw,
    )


def listing(session: Session, *, peer: str | None = None, limit: int = 200) -> list[QuarantinedOut]:
    """Refused messages, newest first, without their content (listing reads no personal data)."""
    conditions = [Quarantined.peer == peer.upper()] if peer else []
    rows = session.scalars(
        select(Quarantined).where(*conditions).order_by(Quarantined.id.desc()).limit(limit)
    )
    return [_out(r) for r in rows]


def read(session: Session, node: Node, actor: audit.Actor, item_id: int) -> QuarantinedOut:
    """One refused message with its raw content (the read is audited)."""
    row = session.get(Quarantined, item_id)
    if row is None:
        raise NotFound(f"no quarantined message {item_id}")
    raw = node.cipher.decrypt(row.raw, _context(row.id))
    node.audit(
        session,
        actor,
        action="read",
        object_type="federation.quarantine",
        object_id=str(row.id),
        purpose="review of a refused message",
        legal_basis=rules.QUARANTINE_SOURCE[:200],
        details={"peer": row.peer, "message": row.message_id},
    )
    return _out(row, raw)


def purge(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(Quarantined).where(Quarantined.received_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
