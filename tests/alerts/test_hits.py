"""Hit report content: art. 37(1)(a)-(i) for art. 36 alerts, art. 37b(1) for 37a alerts."""

from __future__ import annotations

import pytest

from passerelle.alerts import rules
from passerelle.alerts.schemas import HitReportIn
from passerelle.alerts.service import hits, register
from passerelle.errors import ValidationFailed
from passerelle.node import Node
from tests.alerts.conftest import alert_in, principal


def _data(node: Node, alert_id: str, **extra: str) -> HitReportIn:
    return HitReportIn(
        alert_id=alert_id,
        place="Gare du Midi",
        checked_at=node.clock.now(),
        reason_of_check="Routine check (synthetic)",
        **extra,  # type: ignore[arg-type]
    )


def test_the_report_carries_the_person_using_an_alerted_document(node: Node) -> None:
    assert "art. 37(1)(e)" in rules.HIT_REPORT_FIELDS["document_user"]
    assert "art. 37(1)(i)" in rules.HIT_REPORT_FIELDS["answers"]
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))
        row = hits.report(
            session,
            node,
            principal(),
            _data(node, alert.id, document_user="Man about 40, used the alerted passport"),
        )
        assert row.content["document_user"] == "Man about 40, used the alerted passport"


def test_a_37a_hit_report_uses_the_37b_list(node: Node) -> None:
    assert "art37b" not in rules.CATEGORIES
    assert rules.hit_report_fields("art37a")[1].endswith("art. 37b(1)")
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(category="art37a"))
        with pytest.raises(ValidationFailed, match=r"37b\(1\).*vehicle"):
            hits.report(session, node, principal(), _data(node, alert.id, vehicle="Van AB-123"))
    with node.session() as session:
        row = hits.report(session, node, principal(), _data(node, alert.id, objects="Passport"))
        assert set(row.content) <= set(rules.INFORMATION_HIT_FIELDS)
        assert row.content["objects"] == "Passport"


def test_the_category_art37b_is_refused(node: Node) -> None:
    with node.session() as session, pytest.raises(ValidationFailed, match="art37b"):
        register.create(session, node, principal(), alert_in(category="art37b"))


def test_published_entries_carry_their_category_for_pnr(node: Node) -> None:
    from passerelle.identity import PersonRecord, node_watchlists

    with node.session() as session:
        register.create(session, node, principal(), alert_in(category="art32_d", aliases=[]))
    record = PersonRecord("c", given_names="Pieter Jan", family_name="Vandenberghe")
    (match,) = node_watchlists(node.state).screen(record, 0.8)
    assert match.tags == frozenset({"sis:art32_d"})
