"""Run the pattern detector over this node's purchases and the peers' notices, record each new
pattern once and file its report to the contact point (art. 9)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.node import Node
from passerelle.precursors import rules
from passerelle.precursors.model import Notice, Pattern, Report, Transaction
from passerelle.precursors.service.common import new_reference, regime, trace
from passerelle.privacy import Principal

if TYPE_CHECKING:  # DuckDB and Arrow load when detection runs, not when a node starts
    from passerelle.precursors.service import patterns


def rows(session: Session, since: datetime, until: datetime) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for t in session.scalars(
        select(Transaction).where(
            Transaction.occurred_at >= since,
            Transaction.occurred_at <= until,
            Transaction.annex != "",
            Transaction.decision != "refused",
        )
    ):
        out.append(
            (
                t.reference,
                t.country,
                t.seller,
                t.occurred_at,
                t.family_name,
                t.given_names,
                t.date_of_birth,
                t.document_number,
                t.identity_key,
                t.cas,
                t.quantity_kg,
                t.account,
                t.delivery_key,
            )
        )
    for n in session.scalars(
        select(Notice).where(Notice.occurred_at >= since, Notice.occurred_at <= until)
    ):
        out.append(
            (
                n.reference,
                n.country,
                f"{n.sender}:{n.seller_name}",
                n.occurred_at,
                n.family_name,
                n.given_names,
                n.date_of_birth,
                n.document_number,
                n.identity_key,
                n.cas,
                n.quantity_kg,
                "",
                "",
            )
        )
    return out


def _channel(session: Session, local: list[dict[str, object]]) -> str:
    """Online when one of this node's purchases in the pattern was made online (art. 19)."""
    refs = [str(m["ref"]) for m in local]
    channels = set(
        session.scalars(select(Transaction.channel).where(Transaction.reference.in_(refs)))
    )
    return "online" if "online" in channels else "offline"


def record(session: Session, node: Node, found: patterns.Found, actor: str) -> Pattern | None:
    """Store a pattern and its report, unless the same pattern was recorded before."""
    exists = session.scalars(
        select(Pattern).where(Pattern.kind == found.kind, Pattern.signature == found.signature)
    ).first()
    if exists is not None:
        return None
    now = node.clock.now()
    row = Pattern(
        id=str(uuid.uuid4()),
        kind=found.kind,
        signature=found.signature,
        detected_at=now,
        countries=found.countries,
        members=list(found.members),
        summary=found.summary,
    )
    session.add(row)
    local = [m for m in found.members if m["country"] == node.code]
    first = min(datetime.fromisoformat(str(m["at"])) for m in found.members)
    session.add(
        Report(
            id=str(uuid.uuid4()),
            reference=new_reference("STR", node),
            kind="suspicious",
            channel=_channel(session, local),
            seller=str(local[0]["seller"]) if local else "",
            pattern_id=row.id,
            occurred_at=max(first, now - rules.REPORT_DEADLINE),
            filed_at=now,
            due_at=max(first, now - rules.REPORT_DEADLINE) + rules.REPORT_DEADLINE,
            contact_point=regime(node, node.code).contact_point,
            indicators=["unusual_quantity"],
            summary=f"Pattern ({found.kind}): {found.summary}",
            filed_by=actor,
        )
    )
    session.flush()
    return row


def run(
    session: Session, node: Node, principal: Principal, *, since: datetime, until: datetime
) -> list[Pattern]:
    from passerelle.precursors.service import patterns

    found = patterns.detect(patterns.table(rows(session, since, until)))
    new = [p for f in found if (p := record(session, node, f, principal.name)) is not None]
    trace(
        session,
        node,
        principal,
        "read",
        "precursors.transaction",
        "*",
        outcome=f"{len(new)} new patterns",
        details={"since": since.isoformat(), "until": until.isoformat()},
    )
    return new


def search(
    session: Session, node: Node, principal: Principal, *, kind: str = "", limit: int = 200
) -> list[Pattern]:
    stmt = select(Pattern).order_by(Pattern.detected_at.desc()).limit(limit)
    if kind:
        stmt = stmt.where(Pattern.kind == kind)
    found = list(session.scalars(stmt))
    trace(session, node, principal, "read", "precursors.pattern", "*", details={"kind": kind})
    return found


def get(session: Session, node: Node, principal: Principal, pattern_id: str) -> Pattern:
    from passerelle.errors import NotFound

    row = session.get(Pattern, pattern_id)
    if row is None:
        raise NotFound(f"no pattern {pattern_id!r}")
    trace(session, node, principal, "read", "precursors.pattern", pattern_id)
    return row
