"""Reports to the national contact point (art. 9): filed automatically when a check decides
``report`` or a pattern is found, or by a seller (disappearance, theft); each is due 24 hours
after the event, and the contact point acknowledges it. Art. 19 statistics."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound
from passerelle.node import Node
from passerelle.precursors import rules
from passerelle.precursors.model import Report, Seller, Transaction
from passerelle.precursors.schemas import ReportIn, ReportOut
from passerelle.precursors.service.common import new_reference, regime, trace
from passerelle.privacy import Principal


def _new(
    node: Node,
    *,
    kind: str,
    channel: str,
    seller: str,
    country: str,
    occurred_at: datetime,
    summary: str,
    indicators: list[str],
    filed_by: str,
    transaction_id: str | None = None,
    pattern_id: str | None = None,
) -> Report:
    return Report(
        id=str(uuid.uuid4()),
        reference=new_reference("STR", node),
        kind=kind,
        channel=channel,
        seller=seller,
        transaction_id=transaction_id,
        pattern_id=pattern_id,
        occurred_at=occurred_at,
        filed_at=node.clock.now(),
        due_at=occurred_at + rules.REPORT_DEADLINE,
        contact_point=regime(node, country).contact_point,
        indicators=indicators,
        summary=summary[:4000],
        filed_by=filed_by,
    )


def file_for_transaction(
    session: Session, node: Node, principal: Principal, t: Transaction, details: list[str]
) -> Report:
    lines = [
        f"{t.product} ({t.cas}, {t.concentration:g} %), {t.quantity_kg:g} kg, "
        f"{t.payment_method} {t.payment_amount:g} EUR, {t.delivery_method}",
        *(rules.INDICATORS[i] for i in t.indicators),
        *details,
    ]
    report = _new(
        node,
        kind="suspicious",
        channel=t.channel,
        seller=t.seller,
        country=t.country,
        occurred_at=t.occurred_at,
        summary="\n".join(lines),
        indicators=list(t.indicators),
        filed_by=principal.name,
        transaction_id=t.id,
    )
    session.add(report)
    session.flush()
    return report


def file_by_seller(
    session: Session, node: Node, principal: Principal, seller: Seller, data: ReportIn
) -> Report:
    unknown = [i for i in data.indicators if i not in rules.INDICATORS]
    if unknown:
        from passerelle.errors import ValidationFailed

        raise ValidationFailed(f"unknown art. 9 indicators {unknown}", field="indicators")
    transaction_id = None
    if data.transaction:
        t = session.scalars(
            select(Transaction).where(
                Transaction.reference == data.transaction, Transaction.seller == seller.code
            )
        ).first()
        if t is None:
            raise NotFound(f"no transaction {data.transaction!r} of this seller")
        transaction_id = t.id
    report = _new(
        node,
        kind=data.kind,
        channel=seller.channel,
        seller=seller.code,
        country=seller.country,
        occurred_at=data.occurred_at.astimezone(UTC),
        summary=data.summary,
        indicators=sorted(set(data.indicators)),
        filed_by=principal.name,
        transaction_id=transaction_id,
    )
    session.add(report)
    session.flush()
    trace(session, node, principal, "write", "precursors.report", report.reference)
    return report


def to_out(session: Session, r: Report) -> ReportOut:
    ref = None
    if r.transaction_id:
        t = session.get(Transaction, r.transaction_id)
        ref = t.reference if t else None
    return ReportOut(
        id=r.id,
        reference=r.reference,
        kind=r.kind,
        channel=r.channel,
        seller=r.seller,
        occurred_at=r.occurred_at,
        filed_at=r.filed_at,
        due_at=r.due_at,
        on_time=r.filed_at <= r.due_at,
        contact_point=r.contact_point,
        summary=r.summary,
        indicators=r.indicators,
        transaction=ref,
        acknowledged_at=r.acknowledged_at,
    )


def search(
    session: Session,
    node: Node,
    principal: Principal,
    *,
    text: str = "",
    status: str = "",
    limit: int = 200,
) -> list[Report]:
    stmt = select(Report).order_by(Report.filed_at.desc()).limit(limit)
    if status == "open":
        stmt = stmt.where(Report.acknowledged_at.is_(None))
    elif status == "acknowledged":
        stmt = stmt.where(Report.acknowledged_at.is_not(None))
    if text:
        like = f"%{text.strip()}%"
        stmt = stmt.where(
            Report.reference.ilike(like) | Report.summary.ilike(like) | Report.seller.ilike(like)
        )
    rows = list(session.scalars(stmt))
    trace(session, node, principal, "read", "precursors.report", "*", details={"q": text})
    return rows


def get(session: Session, node: Node, principal: Principal, reference: str) -> Report:
    r = session.scalars(select(Report).where(Report.reference == reference)).first()
    if r is None:
        raise NotFound(f"no report {reference!r}")
    trace(session, node, principal, "read", "precursors.report", reference)
    return r


def acknowledge(session: Session, node: Node, principal: Principal, reference: str) -> Report:
    r = get(session, node, principal, reference)
    if r.acknowledged_at is not None:
        raise Conflict(f"report {reference} was acknowledged by {r.acknowledged_by}")
    r.acknowledged_at = node.clock.now()
    r.acknowledged_by = principal.name
    trace(session, node, principal, "write", "precursors.report", reference, outcome="ack")
    return r


def overdue(session: Session, now: datetime) -> list[Report]:
    """Reports not yet acknowledged by the contact point whose 24-hour deadline has passed."""
    return list(
        session.scalars(
            select(Report)
            .where(Report.acknowledged_at.is_(None), Report.due_at < now)
            .order_by(Report.due_at)
        )
    )


def statistics(session: Session, year: int) -> dict[str, dict[str, int]]:
    """Art. 19: reports by kind and checks by decision, split online/offline, for one year."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    out: dict[str, dict[str, int]] = {"online": Counter(), "offline": Counter()}
    for kind, channel, n in session.execute(
        select(Report.kind, Report.channel, func.count())
        .where(Report.occurred_at >= start, Report.occurred_at < end)
        .group_by(Report.kind, Report.channel)
    ):
        out.setdefault(channel, Counter())[f"reports_{kind}"] += int(n)
    for decision, channel, n in session.execute(
        select(Transaction.decision, Transaction.channel, func.count())
        .where(Transaction.occurred_at >= start, Transaction.occurred_at < end)
        .group_by(Transaction.decision, Transaction.channel)
    ):
        out.setdefault(channel, Counter())[f"checks_{decision}"] += int(n)
    keys = [f"reports_{k}" for k in rules.REPORT_KINDS] + [f"checks_{d}" for d in rules.DECISIONS]
    return {ch: {k: int(out.get(ch, {}).get(k, 0)) for k in keys} for ch in rules.CHANNELS}
