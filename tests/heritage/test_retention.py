"""Checks leave after five years, recovered objects ten years after recovery; stolen objects
stay while sought."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from passerelle.heritage.model import Check, CulturalObject, Exchange, Photo
from passerelle.heritage.service import check, registry
from passerelle.node import Node
from passerelle.privacy import FrozenClock, retention
from tests.heritage.conftest import obj, principal, stolen


def _count(node: Node, table: type) -> int:
    with node.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_checks_and_recovered_objects_leave_on_time(node: Node, clock: FrozenClock) -> None:
    kept = stolen(node, 1)
    found = stolen(node, 2)
    with node.session() as session:
        check.check(session, node, principal(), obj())
        registry.set_status(
            session, node, principal(), registry.get(session, found.reference), "recovered"
        )
    clock.advance(timedelta(days=5 * 365 + 1))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert _count(node, Check) == 0
    assert _count(node, CulturalObject) == 2
    clock.advance(timedelta(days=5 * 365))
    outcomes = retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert {o.data_class: o.deleted for o in outcomes}["heritage.recovered"] == 1
    with node.session() as session:
        assert [o.reference for o in session.scalars(select(CulturalObject))] == [kept.reference]
        assert session.scalar(select(func.count()).select_from(Photo)) == 1


def test_screening_exchanges_leave_after_a_year(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        session.add(
            Exchange(
                id="x1",
                direction="received",
                peer="BE",
                request_ref="CHK-BE-1",
                at=clock.now(),
                hit=False,
            )
        )
    clock.advance(timedelta(days=364))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert _count(node, Exchange) == 1
    clock.advance(timedelta(days=2))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert _count(node, Exchange) == 0
