"""Scope (CJEU C-817/19): intra-EU flight and rail data only on decided routes, airports or
stations or during a threat period; the rest refused at receipt, counted and audited."""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.service import scope
from passerelle.pnr.service.store import ingest_bytes
from passerelle.pnr.service.views import statistics
from passerelle.pnr.synth import pnrgov_message
from passerelle.privacy import AuditEntry, FrozenClock
from tests.conftest import csrf_of, login, make_user
from tests.pnr.service.conftest import (
    BRUSSELS,
    CARRIER,
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


def _flight(origin: str, destination: str, seed: int = 7) -> bytes:
    """A synthetic PNRGOV push for one flight from ``origin`` to ``destination``."""
    text, _ = pnrgov_message(random.Random(seed), 2, ref=seed)
    text = re.sub(r"(TVL\+[^+']*\+)[A-Z]{3}\+[A-Z]{3}", rf"\g<1>{origin}+{destination}", text)
    return text.encode()


def test_an_intra_eu_flight_without_a_decision_is_refused_counted_and_audited(node: Node) -> None:
    outcome = ingest_bytes(node, _flight("CDG", "BRU"), "cdg-bru.edi", CARRIER)
    assert (outcome.stored, outcome.refused_out_of_scope) == (0, 2)
    with node.session() as session:
        assert statistics(session)["refused_out_of_scope"] == 2
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "pnr.scope")
        ).all()
    assert entry.action == "refuse" and json.loads(entry.details)["refused_bookings"] == 2
    assert "C-817/19" in entry.legal_basis and "flight" in entry.purpose
    # Leaving the EU needs no decision; an airport route decision admits that route.
    assert ingest_bytes(node, _flight("CDG", "CMN", 8), "cdg-cmn.edi", CARRIER).stored == 2
    _decide(node, "routes", ["CDG-BRU"])
    assert ingest_bytes(node, _flight("BRU", "CDG", 9), "bru-cdg.edi", CARRIER).stored == 2
    assert ingest_bytes(node, _flight("BRU", "AMS", 10), "bru-ams.edi", CARRIER).stored == 0


def test_the_uic_table_is_leaflet_920_14_and_unknown_codes_count_as_intra_eu() -> None:
    for code, country in (("24", "LT"), ("25", "LV"), ("26", "EE"), ("52", "BG"), ("60", "IE"),
                          ("78", "HR")):  # fmt: skip
        assert rules.uic_country(f"{code}00001") == (country, True)
    assert rules.intra_eu_place("urn:uic:stn:7015400", "rail") is False  # London
    assert rules.intra_eu_place("urn:uic:stn:9900001", "rail") is True  # unknown country code
    assert rules.intra_eu_place("ZZZ", "air") is True  # unknown airport: fail closed
    assert rules.intra_eu_place("JFK", "air") is False
    assert "920-14" in rules.UIC_SOURCE


def test_rail_from_an_unknown_country_code_is_refused_without_a_decision(node: Node) -> None:
    outcome = push(node, rail_doc("UNKNOWN", start=PARIS, end="9900001"))
    assert (outcome.stored, outcome.refused_out_of_scope) == (0, 1)
