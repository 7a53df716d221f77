"""Retention of every evidence record class, registered with the privacy framework: orders
with their answers and files, and the NAT-log partitions of the node's store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from passerelle.evidence import rules
from passerelle.evidence.model import Answer, AnswerFile, Order
from passerelle.privacy import RetentionRule


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _orders(session: Session, cutoff: datetime) -> int:
    """Orders closed (or, never closed, issued) before the cutoff, with answers and files."""
    old = select(Order.id).where(
        or_(Order.closed_at < cutoff, (Order.closed_at.is_(None)) & (Order.issued_at < cutoff))
    )
    ids = list(session.scalars(old))
    if not ids:
        return 0
    answers = select(Answer.id).where(Answer.order_id.in_(ids))
    session.execute(delete(AnswerFile).where(AnswerFile.answer_id.in_(answers)))
    session.execute(delete(Answer).where(Answer.order_id.in_(ids)))
    return _count(session.execute(delete(Order).where(Order.id.in_(ids))))


def _nat(store_dir: Path):  # type: ignore[no-untyped-def]
    def purge(session: Session, cutoff: datetime) -> int:
        from passerelle.evidence.nat.store import NatStore

        return NatStore(store_dir).purge(int(cutoff.timestamp() * 1000))

    return purge


def retention_rules(store_dir: Path) -> list[RetentionRule]:
    return [
        RetentionRule(
            "evidence.order",
            "European production and preservation orders, with the providers' answers and "
            "their files, are deleted five years after they were closed.",
            rules.ORDER_RETENTION_SOURCE,
            delete_after=rules.ORDER_RETENTION,
            delete=_orders,
        ),
        RetentionRule(
            "evidence.nat_log",
            "NAT session records (hour partitions of the NAT-log store) are deleted one year "
            "after the hour they started in.",
            rules.NAT_LOG_RETENTION_SOURCE,
            delete_after=rules.NAT_LOG_RETENTION,
            delete=_nat(store_dir),
        ),
    ]
