"""Orders go five years after closure, NAT logs one year after their hour."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from passerelle.evidence.model import Order
from passerelle.evidence.nat import parse
from passerelle.evidence.nat.store import NatStore
from passerelle.evidence.schemas import ImpossibilityIn
from passerelle.evidence.service import answers, orders
from passerelle.node import Node
from passerelle.privacy import FrozenClock, retention
from tests.evidence.conftest import add_provider, order_in, principal, provider_principal
from tests.evidence.nat.test_store import CSV


def test_closed_orders_go_after_five_years(node: Node, clock: FrozenClock) -> None:
    add_provider(node)
    with node.session() as session:
        ref = orders.issue(session, node, principal(), order_in()).reference
        answers.answer_impossible(
            session,
            node,
            provider_principal(),
            ref,
            ImpossibilityIn(reason="data_not_held", explanation="none"),
        )

    def count() -> int:
        with node.session() as session:
            return session.scalar(select(func.count(Order.id))) or 0

    clock.advance(timedelta(days=5 * 365))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert count() == 1
    clock.advance(timedelta(days=2))
    outcomes = retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert count() == 0
    assert {o.data_class: o.deleted for o in outcomes}["evidence.order"] == 1


def test_nat_log_hours_go_after_a_year(node: Node, clock: FrozenClock) -> None:
    store = NatStore(node.settings.data_dir / "nat")
    store.write(parse.read_csv(CSV).table)  # sessions of 2026-12-03 10:00 UTC
    hours = lambda: sorted(p.name for p in (store.root / "log").iterdir())  # noqa: E731
    assert hours() == ["hour=2026120310"]
    clock.set(clock.now().replace(year=2027, month=12, day=3, hour=10, minute=30))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert hours() == ["hour=2026120310"]
    clock.advance(timedelta(hours=1))
    outcomes = retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert hours() == []
    assert {o.data_class: o.deleted for o in outcomes}["evidence.nat_log"] == 2
