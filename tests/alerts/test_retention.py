"""Each category's review period, enforced by the retention framework with a moved clock."""

from __future__ import annotations

from datetime import timedelta

from passerelle.alerts.model import Alert
from passerelle.alerts.service import register
from passerelle.identity import PersonRecord
from passerelle.identity.watchlists import node_watchlists
from passerelle.node import Node
from passerelle.privacy import retention
from passerelle.privacy.clock import FrozenClock
from tests.alerts.conftest import alert_in, principal


def _run(node: Node) -> dict[str, int]:
    outcomes = retention.run(node.session, node.retention, node=node.code, now=node.clock.now())
    return {o.data_class: o.deleted for o in outcomes if o.deleted}


def _listed(node: Node, family_name: str) -> bool:
    record = PersonRecord(
        "c", given_names="Pieter Jan", family_name=family_name, date_of_birth="1991-04-17"
    )
    return any(m.list_name == "alerts" for m in node_watchlists(node.state).screen(record, 0.8))


def test_every_category_has_a_rule_with_its_source(node: Node) -> None:
    rules = {r.data_class: r for r in node.retention}
    assert rules["alert.art36_discreet"].delete_after == timedelta(days=365)
    assert rules["alert.art26"].delete_after == timedelta(days=5 * 365)
    assert "art. 53" in rules["alert.art34"].source
    assert {"alert.hit_report", "alert.detainee", "alert.returnee"} <= set(rules)


def test_unreviewed_alerts_leave_the_watchlist_and_the_table_on_time(
    node: Node, clock: FrozenClock
) -> None:
    with node.session() as session:
        discreet = register.create(session, node, principal(), alert_in(aliases=[]))
        arrest = register.create(
            session,
            node,
            principal(),
            alert_in(category="art26", family_name="Janssens", aliases=[]),
        )
    clock.advance(timedelta(days=364))
    assert _run(node) == {}
    assert _listed(node, "Vandenberghe")
    clock.advance(timedelta(days=2))
    assert _run(node) == {"alert.art36_discreet": 1}
    assert not _listed(node, "Vandenberghe")
    assert _listed(node, "Janssens")
    with node.session() as session:
        assert session.get(Alert, discreet.id) is None
        assert session.get(Alert, arrest.id) is not None


def test_a_review_starts_a_new_period(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))
    clock.advance(timedelta(days=300))
    with node.session() as session:
        register.review(session, node, principal(), alert.id)
    clock.advance(timedelta(days=300))
    assert _run(node) == {}
    assert _listed(node, "Vandenberghe")
    clock.advance(timedelta(days=70))
    assert _run(node) == {"alert.art36_discreet": 1}
    assert not _listed(node, "Vandenberghe")


def test_a_shorter_validity_ends_the_alert_earlier(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        register.create(session, node, principal(), alert_in(aliases=[], valid_until="2026-04-01"))
    clock.advance(timedelta(days=31))
    assert _run(node) == {"alert.art36_discreet": 1}
    assert not _listed(node, "Vandenberghe")
