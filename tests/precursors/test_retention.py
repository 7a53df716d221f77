"""Records are kept 18 months (art. 8(4)), then deleted by the retention framework."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from passerelle.node import Node
from passerelle.precursors.model import Licence, Report, Transaction, Watched
from passerelle.precursors.schemas import LicenceIn, WatchedIn
from passerelle.precursors.service import check, registers
from passerelle.privacy import FrozenClock, retention
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


def test_expired_licences_and_old_watched_persons_leave_the_registers(
    node: Node, clock: FrozenClock
) -> None:
    now = clock.now()
    with node.session() as session:
        for number, until in (
            ("BE-OLD", now + timedelta(days=10)),
            ("BE-NEW", now + timedelta(days=900)),
        ):
            registers.add_licence(
                session,
                LicenceIn(
                    country="BE",
                    number=number,
                    family_name="Claes",
                    substances=["7722-84-1"],
                    max_concentration=35.0,
                    valid_from=now - timedelta(days=1),
                    valid_until=until,
                ),
            )
        registers.add_watched(
            session, node, principal(), WatchedIn(family_name="Martens", reason="test")
        )
        version = registers.watch_version(session)

    def left() -> tuple[list[str], int]:
        with node.session() as session:
            numbers = sorted(session.scalars(select(Licence.number)))
            return numbers, session.scalar(select(func.count(Watched.id))) or 0

    clock.advance(timedelta(days=10 + 547))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert left() == (["BE-NEW", "BE-OLD"], 1)
    clock.advance(timedelta(days=2))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert left() == (["BE-NEW"], 1)
    clock.advance(timedelta(days=3 * 365 - 557))
    retention.run(node.db.session, node.retention, node=node.code, now=clock.now())
    assert left() == (["BE-NEW"], 0)
    with node.session() as session:
        assert registers.watch_version(session) == version + 1  # screening indices rebuild
