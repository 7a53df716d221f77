"""Fixtures for the service-layer tests: small synthetic pushes built inline.

Every test runs on SQLite and PostgreSQL through the ``node`` fixture; rail pushes are one
OSDM booking each, built from the synthetic generator with the route and traveller the test
needs; scope decisions are recorded through the service like an operator would.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.pnr.service import scope
from passerelle.pnr.service.store import FileOutcome, ingest_bytes
from passerelle.pnr.synth import osdm_booking
from passerelle.privacy import audit

CARRIER = audit.Actor("eurostar-push", "FR")
PARIS, BRUSSELS, LIEGE, LONDON = "8727100", "8814001", "8841004", "7015400"


def rail_doc(
    code: str = "RAIL01",
    *,
    given: str = "Marie",
    family: str = "Dupont",
    born: str = "1988-02-03",
    start: str = PARIS,
    end: str = BRUSSELS,
    place: str = "12",
) -> dict[str, Any]:
    """One OSDM booking with one traveller on one leg ``start`` → ``end``."""
    doc = osdm_booking(random.Random(7), 1)
    doc["bookingCode"] = code
    pax = doc["passengers"][0]
    pax.pop("prmNeeds", None)
    pax["dateOfBirth"] = born
    pax["detail"].update(firstName=given, lastName=family)
    doc["passengers"] = [pax]
    trip = doc["trips"][0]
    trip["legs"] = trip["legs"][:1]
    timed = trip["legs"][0]["timedLeg"]
    timed["start"]["stopPlaceRef"]["stopPlaceRef"] = f"urn:uic:stn:{start}"
    timed["end"]["stopPlaceRef"]["stopPlaceRef"] = f"urn:uic:stn:{end}"
    doc["trips"] = [trip]
    pax_id = pax["id"]
    for offer in doc.get("bookedOffers") or []:
        for reservation in offer.get("reservations") or []:
            reservation["passengerIds"] = [pax_id]
            allocation = reservation.get("placeAllocation") or {}
            places = [
                p for p in allocation.get("reservedPlaces", []) if p["passengerIds"] == [pax_id]
            ]
            for p in places:
                p["placeNumbers"] = [place]
            allocation["reservedPlaces"] = places
    return doc


def push(node: Node, doc: dict[str, Any], name: str = "push.json") -> FileOutcome:
    return ingest_bytes(node, json.dumps(doc).encode(), name, CARRIER)


def open_threat_period(node: Node, days: int = 30) -> None:
    now = node.clock.now()
    with node.session() as session:
        scope.decide_scope(
            session,
            kind="threat",
            targets=[],
            justification="Synthetic threat assessment for the tests",
            authority="Test oversight body",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=days),
            author="test",
            now=now,
        )


@pytest.fixture
def client(client: TestClient) -> TestClient:
    """The console in English, whatever the node's default language (tests read its text)."""
    client.cookies.set("passerelle_lang", "en")
    return client
