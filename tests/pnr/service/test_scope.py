"""Rail scope (CJEU C-817/19): intra-EU rail data only on decided routes/stations or during a
threat period; the rest refused at receipt and counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.pnr.service import scope
from passerelle.pnr.service.views import statistics
from passerelle.privacy.clock import FrozenClock
from tests.conftest import csrf_of, login, make_user
from tests.pnr.service.conftest import (
    BRUSSELS,
    LIEGE,
    LONDON,
    PARIS,
    open_threat_period,
    push,
    rail_doc,
)


def _decide(node: Node, kind: str, targets: list[str], days: int = 30) -> None:
    now = node.clock.now()
    with node.session() as session:
        scope.decide_scope(
            session,
            kind=kind,
            targets=targets,
            justification="Selected after the synthetic threat assessment",
            authority="Test oversight body",
            starts_at=now,
            ends_at=now + timedelta(days=days),
            author="test",
            now=now,
        )


def test_intra_eu_rail_without_a_decision_is_refused_and_counted(node: Node) -> None:
    outcome = push(node, rail_doc("NOSCOPE"))
    assert (outcome.stored, outcome.refused_out_of_scope) == (0, 1)
    with node.session() as session:
        assert statistics(session)["refused_out_of_scope"] == 1
        assert "rail" not in statistics(session)["by_mode"]


def test_a_route_decision_admits_that_route_in_both_directions_only(node: Node) -> None:
    _decide(node, "routes", [f"{PARIS}-{BRUSSELS}"])
    assert push(node, rail_doc("GO", start=PARIS, end=BRUSSELS)).stored == 1
    assert push(node, rail_doc("BACK", start=BRUSSELS, end=PARIS)).stored == 1
    assert push(node, rail_doc("OTHER", start=BRUSSELS, end=LIEGE)).refused_out_of_scope == 1


def test_a_station_decision_admits_journeys_touching_it(node: Node) -> None:
    _decide(node, "stations", [f"urn:uic:stn:{LIEGE}"])
    assert push(node, rail_doc("LIEGE", start=BRUSSELS, end=LIEGE)).stored == 1
    assert push(node, rail_doc("PARIS", start=PARIS, end=BRUSSELS)).stored == 0


def test_decisions_expire(node: Node, clock: FrozenClock) -> None:
    open_threat_period(node, days=10)
    assert push(node, rail_doc("DURING")).stored == 1
    clock.advance(timedelta(days=11))
    assert push(node, rail_doc("AFTER")).refused_out_of_scope == 1


def test_traffic_leaving_the_eu_needs_no_decision(node: Node) -> None:
    assert push(node, rail_doc("LONDON", start=PARIS, end=LONDON)).stored == 1


def test_a_decision_needs_targets_justification_and_an_end(node: Node) -> None:
    with pytest.raises(ValidationFailed, match="route"):
        _decide(node, "routes", ["PARIS-BRUSSELS"])
    with pytest.raises(ValidationFailed, match="ends after"):
        _decide(node, "threat", [], days=0)


def test_console_shows_decisions_and_their_expiry(node: Node, client: TestClient) -> None:
    make_user(node, "fr.supervisor", "supervisor")
    login(client, "fr.supervisor")
    answer = client.post(
        "/pnr/scope",
        data={
            "csrf_token": csrf_of(client, "/pnr/scope"),
            "kind": "routes",
            "targets": f"{PARIS}-{BRUSSELS}",
            "authority": "Conseil d'État (synthetic)",
            "justification": "Selected high-speed route after a threat assessment",
            "starts_at": "2026-01-01",
            "ends_at": "2026-03-01",
        },
    )
    assert answer.status_code == 303
    page = client.get("/pnr/scope").text
    assert "Conseil d&#39;État (synthetic)" in page
    assert "2026-03-01" in page
    listed = client.get("/api/v1/pnr/scope").json()
    assert listed[0]["targets"] == [f"{PARIS}-{BRUSSELS}"]
