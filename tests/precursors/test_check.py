"""The transaction check against the catalogue, the licence register, the watched persons
and the customer's earlier purchases; the art. 8 record and the report with its deadline."""

from __future__ import annotations

import gc
from datetime import timedelta

import pytest
from sqlalchemy import select

from passerelle.node import Node
from passerelle.precursors.model import Report, Seller, Transaction
from passerelle.precursors.schemas import LicenceIn, WatchedIn
from passerelle.precursors.service import check, registers, reports
from passerelle.privacy import AuditEntry, FrozenClock
from tests.precursors.conftest import principal, sale

CLERK = principal("analyst", name="token:precursors-test")


def run(node: Node, seller: Seller, **changes: object) -> check.Outcome:
    with node.session() as session:
        outcome = check.check(
            session,
            node,
            CLERK,
            registers.get_seller(session, seller.code),
            sale(**changes),
        )
        session.expunge(outcome.transaction)
    return outcome


def licence(node: Node, **changes: object) -> None:
    now = node.clock.now()
    data = {
        "country": "BE",
        "number": "BE-LIC-1",
        "family_name": "Lefevre",
        "given_names": "Jean Luc",
        "date_of_birth": "1988-06-12",
        "substances": ["7722-84-1"],
        "max_concentration": 35.0,
        "valid_from": now - timedelta(days=1),
        "valid_until": now + timedelta(days=300),
    }
    data.update(changes)
    with node.session() as session:
        registers.add_licence(session, LicenceIn.model_validate(data))


def test_a_product_is_found_by_synonym_and_below_the_limit_is_allowed(
    node: Node, shop: Seller
) -> None:
    out = run(node, shop, product={"sku": "", "name": "WATERSTOFPEROXIDE 9%", "quantity_kg": 1})
    assert out.out.decision == "allowed"
    assert out.transaction.cas == "7722-84-1"
    assert out.out.reference.startswith("PRE-FR-")


def test_above_the_limit_in_france_the_public_is_refused(node: Node, shop: Seller) -> None:
    out = run(node, shop, product={"sku": "H2O2-30"})
    assert out.out.decision == "refused"
    assert "FR issues no licence" in out.out.reasons[0].text


def test_in_belgium_the_public_is_refused_above_the_limit(node: Node, be_shop: Seller) -> None:
    out = run(node, be_shop, product={"sku": "H2O2-30"})
    assert out.out.decision == "refused"
    assert "BE issues no licence" in out.out.reasons[0].text


def test_where_the_country_runs_licences_one_of_the_register_allows_the_sale(
    node: Node, be_shop: Seller
) -> None:
    # Art. 5(3): a country may run a licensing regime; the node says which (here the BE seller's).
    node.settings = node.settings.with_(precursors_regimes="BE=licence")
    assert run(node, be_shop, product={"sku": "H2O2-30"}).out.decision == "licence_required"
    licence(node)
    ok = run(
        node,
        be_shop,
        product={"sku": "H2O2-30"},
        verification={"licence_number": "BE-LIC-1", "id_document_checked": True},
    )
    assert ok.out.decision == "allowed"
    assert ok.transaction.licence_ok
    wrong_holder = run(
        node,
        be_shop,
        product={"sku": "H2O2-30"},
        customer={"family_name": "Janssens", "given_names": "Piet", "date_of_birth": "1970-01-01"},
        verification={"licence_number": "BE-LIC-1", "id_document_checked": True},
    )
    assert wrong_holder.out.decision == "licence_required"
    assert "held by someone else" in wrong_holder.out.reasons[0].text


def test_a_country_regime_is_configurable(node: Node, be_shop: Seller) -> None:
    node.settings = node.settings.with_(precursors_regimes="BE=licence")
    assert run(node, be_shop, product={"sku": "H2O2-30"}).out.decision == "licence_required"
    node.settings = node.settings.with_(precursors_regimes="BE=prohibited")
    assert run(node, be_shop, product={"sku": "H2O2-30"}).out.decision == "refused"


def test_the_art8_verification_is_recorded(node: Node, shop: Seller) -> None:
    run(
        node,
        shop,
        customer={"type": "professional", "professional": {"company": "Labo SA"}},
        product={"sku": "H2O2-30"},
        verification={
            "id_document_checked": True,
            "professional_status_checked": True,
            "intended_use": "laboratory cleaning",
            "statement_signed": True,
        },
    )
    with node.session() as session:
        t = session.scalars(select(Transaction)).one()
        assert (t.decision, t.company, t.professional_checked, t.intended_use) == (
            "allowed",
            "Labo SA",
            True,
            "laboratory cleaning",
        )


def test_indicators_make_a_report_due_within_24_hours(
    node: Node, shop: Seller, clock: FrozenClock
) -> None:
    out = run(node, shop, indicators=["unclear_use"], payment={"method": "cash", "amount": 800})
    assert out.out.decision == "report"
    with node.session() as session:
        report = session.scalars(select(Report)).one()
        assert report.due_at == out.transaction.occurred_at + timedelta(hours=24)
        assert "unusual_payment" in report.indicators  # large cash added by the check
        assert reports.overdue(session, clock.now()) == []
    clock.advance(timedelta(hours=25))
    with node.session() as session:
        assert [r.reference for r in reports.overdue(session, clock.now())] == [report.reference]
        reports.acknowledge(session, node, principal(), report.reference)
        assert reports.overdue(session, clock.now()) == []


def test_a_watched_customer_is_reported_without_telling_the_seller_why(
    node: Node, shop: Seller
) -> None:
    with node.session() as session:
        registers.add_watched(
            session,
            node,
            principal(),
            WatchedIn(
                family_name="LEFEVRE",
                given_names="Jean Luc",
                date_of_birth="1988-06-12",
                reason="test",
            ),
        )
    out = run(node, shop)
    assert out.out.decision == "report"
    assert all("watch" not in r.text for r in out.out.reasons)
    with node.session() as session:
        assert "watched person" in session.scalars(select(Report)).one().summary


def test_split_purchases_across_sellers_are_reported(
    node: Node, shop: Seller, be_shop: Seller, clock: FrozenClock
) -> None:
    first = run(node, shop, product={"sku": "ACE-1L", "quantity_kg": 2})
    clock.advance(timedelta(days=1))
    second = run(node, be_shop, product={"sku": "ACE-1L", "quantity_kg": 2})
    clock.advance(timedelta(days=1))
    third = run(
        node, shop, product={"sku": "ACE-1L", "quantity_kg": 2}, customer={"family_name": "LEFÈVRE"}
    )
    assert [first.out.decision, second.out.decision, third.out.decision] == [
        "allowed",
        "allowed",
        "report",
    ]


def test_a_combination_within_the_week_is_reported(
    node: Node, shop: Seller, be_shop: Seller, clock: FrozenClock
) -> None:
    run(node, shop, product={"sku": "ACE-1L"})
    clock.advance(timedelta(days=3))
    assert run(node, be_shop).out.decision == "report"
    clock.advance(timedelta(days=10))
    assert run(node, be_shop, product={"sku": "ACE-1L"}).out.decision == "allowed"


def test_reads_are_audited(node: Node, shop: Seller) -> None:
    ref = run(node, shop).out.reference
    with node.session() as session:
        check.get_transaction(session, node, principal(), ref)
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == ref, AuditEntry.action == "read")
        ).one()
        assert entry.actor == "ana"


def test_statistics_split_online_and_offline(node: Node, shop: Seller) -> None:
    from tests.precursors.conftest import add_seller

    web, _ = add_seller(node, "web", channel="online")
    run(node, shop)
    run(node, web, indicators=["evasive"])
    with node.session() as session:
        stats = reports.statistics(session, node.clock.now().year)
    assert stats["offline"]["checks_allowed"] == 1
    assert stats["online"]["checks_report"] == 1
    assert stats["online"]["reports_suspicious"] == 1


def test_a_large_watchlist_is_kept_out_of_the_collector_and_stays_coherent(
    node: Node, shop: Seller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From FREEZE_FROM watched persons the index is frozen (no full collection walks it,
    which stalled checks for up to a second); removing a person still takes effect."""
    monkeypatch.setattr(registers, "FREEZE_FROM", 1)
    gc.unfreeze()
    try:
        with node.session() as session:
            row = registers.add_watched(
                session,
                node,
                principal(),
                WatchedIn(
                    family_name="LEFEVRE",
                    given_names="Jean Luc",
                    date_of_birth="1988-06-12",
                    reason="test",
                ),
            )
        assert run(node, shop).out.decision == "report"
        assert gc.get_freeze_count() > 0
        with node.session() as session:
            registers.remove_watched(session, node, row.id)
        out = run(node, shop, reference="ticket-2")
        assert out.out.decision == "allowed"
    finally:
        gc.unfreeze()
