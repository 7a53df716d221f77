"""The append-only, hash-chained audit log.

Every entry stores the SHA-256 of its own canonical content together with the previous entry's
hash, so changing, removing or inserting any row breaks the chain at that row. ``verify`` walks
the chain and names the first broken entry.

Entries join the chain when their transaction commits. ``record`` queues the entry on the
session; just before the commit (a ``before_commit`` hook) the queued entries are linked, in the
order they were recorded, after the chain's head. The head row is therefore locked only for the
last moment of each transaction instead of from the first audited act to the commit, so
concurrent requests serialise on it for microseconds rather than for a whole request (on SQLite
an audit-only transaction, such as a screening, takes the write lock only at its commit). A
transaction that rolls back drops its queued entries with everything else it did. Reads of the
log (any ORM query of ``AuditEntry``) first link the entries the session has queued, so a
session sees its own entries.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, bindparam, delete, event, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from passerelle.errors import ValidationFailed
from passerelle.privacy.model import AuditEntry, AuditHead
from passerelle.privacy.rules import (
    AUDIT_ACTION_MAX_CHARS,
    AUDIT_ACTIONS,
    LEGACY_AUDIT_ACTIONS,
    RECEIVED_ACTION_PATTERN,
)

GENESIS = "0" * 64
#: ``session.info`` key of the entries recorded in the session's transaction, not yet linked.
PENDING_KEY = "passerelle_audit_pending"


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, a machine token or the node itself."""

    name: str
    agency: str


SYSTEM = Actor("system", "node")

_RECEIVED = re.compile(RECEIVED_ACTION_PATTERN)
#: Actions declared by the message types this node receives ("alert received", …).
_NAMED: set[str] = set()


def declare_action(name: str) -> str:
    """Declare an action naming what a received message did (``"alert received"``).

    The hash of an entry covers its action as it always did, so entries written before an
    action was declared (``receive``) still verify.
    """
    if len(name) > AUDIT_ACTION_MAX_CHARS or not _RECEIVED.match(name):
        raise ValidationFailed(
            f'{name!r} is not a received-message action ("… received", '
            f"{AUDIT_ACTION_MAX_CHARS} characters at most)"
        )
    _NAMED.add(name)
    return name


def actions() -> list[str]:
    """Every action an entry may carry: the fixed ones, the declared ones, the legacy ones."""
    return [*AUDIT_ACTIONS, *sorted(_NAMED), *LEGACY_AUDIT_ACTIONS]


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "ts": entry.ts.isoformat(),
        "node": entry.node,
        "actor": entry.actor,
        "agency": entry.agency,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "purpose": entry.purpose,
        "legal_basis": entry.legal_basis,
        "outcome": entry.outcome,
        "details": entry.details,
    }


def _head(session: Session) -> AuditHead:
    locked = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.scalars(locked).first()
    if head is None:
        # Two first writers may race on PostgreSQL: insert the head unless another did, then
        # lock whichever row won.
        dialect = session.get_bind().dialect.name
        upsert = pg_insert if dialect == "postgresql" else sqlite_insert
        row = {"id": 1, "last_seq": 0, "last_hash": GENESIS, "anchor_seq": 0}
        session.execute(
            upsert(AuditHead).values(**row, anchor_hash=GENESIS).on_conflict_do_nothing()
        )
        head = session.scalars(locked.execution_options(populate_existing=True)).one()
    return head


def record(
    session: Session,
    *,
    node: str,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    purpose: str,
    legal_basis: str,
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
    now: datetime,
) -> None:
    """Record one entry in the caller's transaction: it joins the chain when that transaction
    commits (and is dropped if it rolls back), so the trace commits with the act itself."""
    if action not in AUDIT_ACTIONS and action not in _NAMED:
        raise ValidationFailed(f"unknown audit action {action!r}")
    pending: list[dict[str, Any]] = session.info.setdefault(PENDING_KEY, [])
    pending.append(
        {
            "ts": now,
            "node": node,
            "actor": actor.name,
            "agency": actor.agency,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "purpose": purpose,
            "legal_basis": legal_basis,
            "outcome": outcome,
            "details": json.dumps(details or {}, sort_keys=True, ensure_ascii=False),
        }
    )


def link_pending(session: Session) -> int:
    """Link the entries queued in ``session`` after the chain's head, in recording order.

    Called just before every commit; the head row stays locked until that commit."""
    pending: list[dict[str, Any]] | None = session.info.pop(PENDING_KEY, None)
    if not pending:
        return 0
    seq, last_hash = _locked_head(session)
    rows = []
    for fields in pending:
        seq += 1
        content = {**fields, "seq": seq, "ts": fields["ts"].isoformat()}
        digest = _digest(last_hash, content)
        rows.append({**fields, "seq": seq, "prev_hash": last_hash, "hash": digest})
        last_hash = digest
    # No unit of work: this runs before every commit that audits something, and the ORM's
    # flush of an entry and of the head cost more than the SQL. On PostgreSQL the entries and
    # the head's advance are one statement (a data-modifying WITH), one round trip fewer.
    if session.get_bind().dialect.name == "postgresql":
        params = {f"{name}_{i}": value for i, row in enumerate(rows) for name, value in row.items()}
        session.execute(
            _link_statement(len(rows)), {**params, "new_seq": seq, "new_hash": last_hash}
        )
    else:
        session.execute(insert(AuditEntry), rows)
        session.execute(_ADVANCE, {"new_seq": seq, "new_hash": last_hash})
    return len(pending)


_ENTRY_COLUMNS = [c.name for c in AuditEntry.__table__.columns]


@lru_cache(maxsize=16)
def _link_statement(count: int) -> TextClause:
    """``WITH linked AS (INSERT … count entries) UPDATE audit_head …`` (PostgreSQL), built once
    per number of entries. Plain text with typed parameters: SQLAlchemy's cache never keeps
    the compiled form of a multi-row ``INSERT … VALUES``, and compiling it in every
    check cost more than the round trip it saves."""
    table = AuditEntry.__table__
    names = ", ".join(_ENTRY_COLUMNS)
    rows = ", ".join(
        "(" + ", ".join(f":{name}_{i}" for name in _ENTRY_COLUMNS) + ")" for i in range(count)
    )
    # Only the model's own table and column names and numbered placeholders are spliced in.
    entries, head = AuditEntry.__tablename__, AuditHead.__tablename__
    sql = (
        f"WITH linked AS (INSERT INTO {entries} ({names}) VALUES {rows} RETURNING seq) "  # noqa: S608
        f"UPDATE {head} SET last_seq = :new_seq, last_hash = :new_hash "
        "WHERE id = 1"
    )
    params = [
        bindparam(f"{name}_{i}", type_=table.c[name].type)
        for i in range(count)
        for name in _ENTRY_COLUMNS
    ]
    return text(sql).bindparams(
        *params,
        bindparam("new_seq", type_=AuditHead.__table__.c.last_seq.type),
        bindparam("new_hash", type_=AuditHead.__table__.c.last_hash.type),
    )


#: The head's position, locked until the commit (built once: it runs before every commit).
_POSITION = select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)
_ADVANCE = (
    update(AuditHead)
    .where(AuditHead.id == 1)
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)


def _locked_head(session: Session) -> tuple[int, str]:
    """The chain head's last sequence number and hash, its row locked until the commit."""
    row = session.execute(_POSITION.with_for_update()).first()
    if row is None:
        _head(session)  # the first entry ever: create the head row (race-safe), locked
        row = session.execute(_POSITION.with_for_update()).one()
    return int(row[0]), str(row[1])


@event.listens_for(Session, "before_commit")
def _link_before_commit(session: Session) -> None:
    link_pending(session)


@event.listens_for(Session, "do_orm_execute")
def _link_before_reading_the_log(state: ORMExecuteState) -> None:
    # A query of the log sees the entries its own session recorded, as it would if they had
    # been written at once.
    if PENDING_KEY in state.session.info and any(m.class_ is AuditEntry for m in state.all_mappers):
        link_pending(state.session)


@event.listens_for(Session, "after_transaction_end")
def _drop_after_end(session: Session, transaction: SessionTransaction) -> None:
    # After a commit the queue is already empty; after a rollback (or a close without commit)
    # the entries go with the rest of the transaction.
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"audit chain ok: {self.checked} entries verified"
        return f"audit chain broken at entry {self.first_broken}: {self.reason}"


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Recompute the chain from its anchor and name the first entry that does not fit."""
    link_pending(session)
    head = session.get(AuditHead, 1)
    expected_prev = head.anchor_hash if head else GENESIS
    expected_seq = (head.anchor_seq if head else 0) + 1
    checked = 0
    last_seq = expected_seq - 1
    while True:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.seq > last_seq)
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, "entry missing from the chain")
            if entry.prev_hash != expected_prev:
                return VerifyResult(False, checked, entry.seq, "does not link to the entry before")
            if _digest(entry.prev_hash, _fields(entry)) != entry.hash:
                return VerifyResult(False, checked, entry.seq, "content does not match its hash")
            expected_prev = entry.hash
            expected_seq += 1
            checked += 1
        last_seq = rows[-1].seq
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        return VerifyResult(False, checked, expected_seq, "entries after this one were removed")
    return VerifyResult(True, checked)


def purge_before(session: Session, cutoff: datetime) -> int:
    """Delete entries older than ``cutoff`` (retention), anchoring the chain on the last one."""
    link_pending(session)
    last = session.scalars(
        select(AuditEntry).where(AuditEntry.ts < cutoff).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    if last is None:
        return 0
    head = _head(session)
    head.anchor_seq, head.anchor_hash = last.seq, last.hash
    result = session.execute(delete(AuditEntry).where(AuditEntry.seq <= last.seq))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    offset: int = 0


def search(session: Session, query: AuditQuery) -> tuple[list[AuditEntry], int]:
    """Entries matching ``query``, newest first, and the total count."""
    from sqlalchemy import func

    link_pending(session)

    conditions = []
    if query.actor:
        conditions.append(AuditEntry.actor == query.actor)
    if query.action:
        conditions.append(AuditEntry.action == query.action)
    if query.object_type:
        conditions.append(AuditEntry.object_type == query.object_type)
    if query.since:
        conditions.append(AuditEntry.ts >= query.since)
    if query.until:
        conditions.append(AuditEntry.ts < query.until)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
    rows = session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.seq.desc())
        .limit(max(1, min(query.limit, 500)))
        .offset(max(0, query.offset))
    ).all()
    return list(rows), int(total)
