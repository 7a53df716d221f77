"""The detector over a small planted set: each pattern is found once, and customers who only
share a blocking key (or buy outside the window) are not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from passerelle.node import Node
from passerelle.precursors.service import check, detection, patterns, registers
from passerelle.precursors.service.common import delivery_key, identity_key
from passerelle.privacy import FrozenClock
from tests.precursors.conftest import add_seller, principal, sale

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def row(
    ref: str,
    country: str,
    seller: str,
    days: float,
    family: str,
    given: str,
    dob: str,
    cas: str,
    kg: float = 1.0,
    account: str = "",
    address: str = "",
) -> tuple[object, ...]:
    return (
        ref,
        country,
        seller,
        T0 + timedelta(days=days),
        family,
        given,
        dob,
        "",
        identity_key(family, dob),
        cas,
        kg,
        account,
        delivery_key(address, country),
    )


ACE, H2O2 = "67-64-1", "7722-84-1"


def test_combination_across_the_border_with_spelling_variants() -> None:
    found = patterns.detect(
        patterns.table(
            [
                row("FR-1", "FR", "brico-lille", 0, "Lefèvre", "Jean-Luc", "1988-06-12", ACE),
                row(
                    "BE-1", "BE", "droguerie-tournai", 3, "LEFEVRE", "Jean Luc", "1988-06-12", H2O2
                ),
                # same key (birth date, LEFEV...) but another person: not a pattern
                row("BE-2", "BE", "webshop", 2, "Lefevrier", "Annick", "1988-06-12", H2O2),
                # the same person, but three weeks later: outside the window
                row("BE-3", "BE", "webshop", 25, "Lefevre", "Jean-Luc", "1988-06-12", H2O2),
            ]
        )
    )
    assert [(f.kind, sorted(m["ref"] for m in f.members), f.countries) for f in found] == [
        ("combination", ["BE-1", "FR-1"], ["BE", "FR"])
    ]
    assert "TATP" in found[0].summary


def test_split_purchases_and_many_accounts_at_one_address() -> None:
    rows = [
        row(f"S{i}", "FR", f"shop{i % 2}", i, "Dupont", "Marc", "1970-05-05", ACE, 2.0)
        for i in range(3)
    ]
    rows += [
        row(
            f"A{i}",
            "BE",
            "webshop",
            i,
            name,
            "X",
            f"199{i}-01-01",
            H2O2,
            0.5,
            account=f"acct{i}",
            address=addr,
        )
        for i, (name, addr) in enumerate(
            [
                ("Peeters", "12 Rue de la Gare, Tournai"),
                ("Janssens", "12, rue de la gare  TOURNAI"),
                ("Maes", "12 RUE DE LA GARE TOURNAI"),
            ]
        )
    ]
    kinds = sorted((f.kind, len(f.members)) for f in patterns.detect(patterns.table(rows)))
    assert kinds == [("shared_address", 3), ("split", 3)]


def test_small_split_is_not_a_pattern() -> None:
    rows = [
        row(f"S{i}", "FR", "shop", i, "Dupont", "Marc", "1970-05-05", ACE, 1.0) for i in range(3)
    ]
    assert patterns.detect(patterns.table(rows)) == []


def test_a_run_records_each_pattern_once_with_its_report(node: Node, clock: FrozenClock) -> None:
    lille, _ = add_seller(node)
    tournai, _ = add_seller(node, "droguerie-tournai", "BE", city="Tournai")
    with node.session() as session:
        for seller, sku in ((lille, "ACE-1L"), (tournai, "H2O2-9")):
            check.check(
                session,
                node,
                principal(),
                registers.get_seller(session, seller.code),
                sale(product={"sku": sku, "quantity_kg": 1}),
                notify=False,
            )
    now = clock.now()
    with node.session() as session:
        new = detection.run(session, node, principal(), since=now - timedelta(days=7), until=now)
        assert [p.kind for p in new] == ["combination"]
        again = detection.run(session, node, principal(), since=now - timedelta(days=7), until=now)
        assert again == []


def test_the_patterns_list_is_searched_filtered_and_paged(node: Node, clock: FrozenClock) -> None:
    from fastapi.testclient import TestClient

    from passerelle.web.app import create_app
    from tests.conftest import login, make_user

    lille, _ = add_seller(node)
    tournai, _ = add_seller(node, "droguerie-tournai", "BE", city="Tournai")
    with node.session() as session:
        for seller, sku in ((lille, "ACE-1L"), (tournai, "H2O2-9")):
            check.check(
                session,
                node,
                principal(),
                registers.get_seller(session, seller.code),
                sale(product={"sku": sku, "quantity_kg": 1}),
                notify=False,
            )
        now = clock.now()
        detection.run(session, node, principal(), since=now - timedelta(days=7), until=now)
    make_user(node, "fr.analyst", "analyst")
    with TestClient(create_app(node)) as client:
        login(client, "fr.analyst")
        shown = client.get("/precursors/patterns", params={"per_page": 1})
        assert "1–1 sur 1" in shown.text and "/precursors/patterns/" in shown.text
        assert "1–1 sur 1" in client.get("/precursors/patterns", params={"q": "BE"}).text
        assert "0–0 sur 0" in client.get("/precursors/patterns", params={"q": "Zanzibar"}).text
        assert "0–0 sur 0" in client.get("/precursors/patterns", params={"kind": "split"}).text
