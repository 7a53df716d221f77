"""Records are kept 18 months (art. 8(4)), then deleted by the retention framework."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from passerelle.node import Node
from passerelle.precursors.model import Report, Transaction
from passerelle.precursors.service import check, registers
from passerelle.privacy import retention
from passerelle.privacy.clock import FrozenClock
from tests.precursors.conftest import add_seller, principal, sale


def test_transactions_go_after_18_months_and_reports_stay(node: Node, clock: FrozenClock) -> None:
    seller, _ = add_seller(node)
    with node.session() as session:
        check.check(
            session,
            node,
            principal(),
            registers.get_seller(session, seller.code),
            sale(indicators=["evasive"]),
        )

    def counts() -> tuple[int, int]:
        with node.session() as session:
            return (
                session.scalar(select(func.count(Transaction.id))) or 0,
                session.scalar(select(func.count(Report.id))) or 0,
            )

    clock.advance(timedelta(days=547))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert counts() == (1, 1)
    clock.advance(timedelta(days=2))
    outcomes = retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert counts() == (0, 1)
    assert {o.data_class: o.deleted for o in outcomes}["precursors.transaction"] == 1
    with node.session() as session:
        assert session.scalars(select(Report)).one().transaction_id is None
    clock.advance(timedelta(days=3 * 365))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert counts() == (0, 0)
