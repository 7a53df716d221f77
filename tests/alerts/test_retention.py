"""Each category's review period, enforced by the retention framework with a moved clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from passerelle.alerts.model import Alert, HitReport
from passerelle.alerts.schemas import ExtensionIn, HitReportIn
from passerelle.alerts.service import hits, periods, register
from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import Node
from passerelle.privacy import FrozenClock, retention
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
    assert "art. 53(3)" in rules["alert.art34"].source
    assert "art. 53(2)" in rules["alert.art26"].source
    assert "alert.art37b" not in rules
    for code in ("art32_c", "art32_d", "art32_e"):
        assert rules[f"alert.{code}"].delete_after == timedelta(days=365)
        assert "art. 53(4)" in rules[f"alert.{code}"].source
    assert rules["alert.art32"].delete_after == timedelta(days=5 * 365)
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


ASSESSED = ExtensionIn(
    reason="Still in contact with the network abroad (synthetic)",
    assessment="Reviewed prison intelligence notes of 2026 and two border checks (synthetic)",
)


def test_a_review_starts_a_new_period(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))
    clock.advance(timedelta(days=300))
    with node.session() as session:
        periods.review(session, node, principal(), alert.id, ASSESSED)
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


def test_an_art_32_1_c_alert_is_deleted_after_one_year(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        register.create(session, node, principal(), alert_in(category="art32_d", aliases=[]))
        register.create(
            session, node, principal(), alert_in(category="art32", family_name="Peeters")
        )
    clock.advance(timedelta(days=366))
    assert _run(node) == {"alert.art32_d": 1}
    assert not _listed(node, "Vandenberghe")
    assert _listed(node, "Peeters")


def test_a_withdrawn_alert_is_deleted_at_the_next_run(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(category="art26", aliases=[]))
        register.withdraw(session, node, principal(), alert.id)
    clock.advance(timedelta(hours=1))
    assert _run(node) == {"alert.withdrawn": 1}
    with node.session() as session:
        assert session.get(Alert, alert.id) is None


def _report(node: Node, alert_id: str) -> str:
    data = HitReportIn(
        alert_id=alert_id,
        place="Gare du Midi",
        checked_at=node.clock.now(),
        reason_of_check="Routine check (synthetic)",
    )
    with node.session() as session:
        return hits.report(session, node, principal(), data).id


def test_hit_reports_go_one_year_after_their_alert(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))
    report_id = _report(node, alert.id)
    clock.advance(timedelta(days=200))
    with node.session() as session:
        register.withdraw(session, node, principal(), alert.id)
    assert _run(node) == {"alert.withdrawn": 1}
    clock.advance(timedelta(days=364))
    assert _run(node) == {}
    with node.session() as session:
        assert session.get(HitReport, report_id) is not None
    clock.advance(timedelta(days=2))
    assert _run(node) == {"alert.hit_report": 1}
    with node.session() as session:
        assert session.get(HitReport, report_id) is None


def test_a_national_file_keeps_hit_reports_with_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from passerelle.alerts import rules
    from passerelle.alerts.service.retention import retention_rules

    monkeypatch.setenv(rules.NATIONAL_FILE_DAYS_ENV, "730")
    monkeypatch.setenv(rules.NATIONAL_FILE_SOURCE_ENV, "Code de la sécurité intérieure (synthetic)")
    rule = next(r for r in retention_rules() if r.data_class == "alert.hit_report")
    assert rule.delete_after == timedelta(days=730)
    assert "art. 64(3)" in rule.source and "sécurité intérieure" in rule.source
    monkeypatch.delenv(rules.NATIONAL_FILE_SOURCE_ENV)
    with pytest.raises(ValueError, match="national legal source"):
        retention_rules()
