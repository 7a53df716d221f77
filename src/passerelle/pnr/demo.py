"""Demo data and the cross-border scenario of ``passerelle demo --check``: a Paris–Brussels rail
booking pushed to the French PIU hits a Belgian alert, a French analyst confirms it, and the
result reaches the Belgian PIU over the federation. Every person is synthetic.
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select

from passerelle.errors import PasserelleError
from passerelle.identity.schemas import PersonRecord
from passerelle.node import Node
from passerelle.pnr.model import Criterion, ScopeDecision
from passerelle.pnr.service import criteria, demo_watch, scope
from passerelle.pnr.synth import osdm_booking
from passerelle.privacy import accounts

if TYPE_CHECKING:
    from passerelle.kit.demo import DemoAccount, DemoNode

TOKEN_FILE = "pnr-demo-carrier.token"  # noqa: S105 (a file name)
#: The synthetic Belgian alert, published on FR's watchlists by this demo (the alerts package is
#: written in parallel; its demo alerts are not known here). The list name carries the owner.
DEMO_LIST = "demo-alerts:BE"
BE_ALERT = PersonRecord(
    "BE:ALERT-2026-0042",
    given_names="Karim",
    family_name="Ouali",
    date_of_birth="1990-04-12",
    gender="M",
    nationality="BE",
)
PARIS_NORD, BRUXELLES_MIDI = "8727100", "8814001"


def seed(node: Node) -> None:
    """Scope decision, one criterion, a carrier token and (FR) the BE demo alert."""
    now = node.clock.now()
    with node.session() as session:
        if session.scalars(select(ScopeDecision)).first() is None:
            scope.decide_scope(
                session,
                kind="routes",
                targets=[f"{PARIS_NORD}-{BRUXELLES_MIDI}", f"8722326-{BRUXELLES_MIDI}"],
                justification="Synthetic demo decision: high-speed Paris/Lille–Brussels "
                "services selected after a threat assessment.",
                authority="Demo oversight authority (synthetic)",
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=180),
                author="demo",
                now=now,
            )
        if session.scalars(select(Criterion)).first() is None:
            criteria.save_criterion(
                session,
                code="LASTMIN-CASH",
                title="Last-minute one-way cash booking to a listed route",
                expression="route in [CDG-CMN, BRU-CMN] and hours_before_departure < 24 "
                "and payment = CASH and one_way = true unless checked_in = true",
                justification="Synthetic demo criterion: pattern described in a (synthetic) "
                "threat assessment; reviewed quarterly.",
                review_by=now + timedelta(days=90),
                active=True,
                author="demo",
                now=now,
            )
        path = node.settings.data_dir / TOKEN_FILE
        if not path.exists():
            raw = accounts.create_token(
                session, name="demo-carrier", role="carrier", agency=node.code, now=now
            )
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(raw)
    if node.code == "FR":
        demo_watch.write_entries(node, DEMO_LIST, [BE_ALERT])


def rail_booking() -> dict[str, Any]:
    """A synthetic OSDM booking Paris Nord → Bruxelles-Midi whose traveller is the BE alert."""
    doc = osdm_booking(random.Random(42), 990_001)  # noqa: S311 (synthetic data)
    doc["bookingCode"] = "DEMO42"
    pax = doc["passengers"][0]
    pax.pop("prmNeeds", None)
    pax["dateOfBirth"] = BE_ALERT.date_of_birth
    pax["gender"] = "MALE"
    pax["detail"].update(firstName="Karim", lastName="Ouali", email="k.ouali@example.org")
    if "identificationCard" in pax:
        pax["identificationCard"]["nationality"] = "BE"
    doc["passengers"] = [pax]
    for trip in doc["trips"]:
        for leg in trip["legs"][:1]:
            timed = leg["timedLeg"]
            timed["start"]["stopPlaceRef"]["stopPlaceRef"] = f"urn:uic:stn:{PARIS_NORD}"
            timed["start"]["stopPlaceName"] = "Paris Nord"
            timed["end"]["stopPlaceRef"]["stopPlaceRef"] = f"urn:uic:stn:{BRUXELLES_MIDI}"
            timed["end"]["stopPlaceName"] = "Bruxelles-Midi"
        trip["legs"] = trip["legs"][:1]
    return doc


def _csrf(client: httpx.Client, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    if not match:
        raise PasserelleError(f"{path} carries no CSRF token")
    return match.group(1)


def check(nodes: list[DemoNode], accounts_by_node: dict[str, list[DemoAccount]]) -> None:
    """Push on FR, review on FR, result received on BE."""
    from passerelle.kit.demo import console_login

    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))
    token = (fr.data_dir / TOKEN_FILE).read_text().strip()
    pushed = httpx.post(
        f"{fr.url}/api/v1/pnr/osdm",
        params={"filename": "demo-rail-booking.json"},
        content=json.dumps(rail_booking()).encode(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
        timeout=30,
    )
    if pushed.status_code != 200:
        raise PasserelleError(f"FR: rail push refused ({pushed.status_code}): {pushed.text}")
    outcome = pushed.json()
    if outcome["stored"] != 1 or outcome["hits"] < 1:
        raise PasserelleError(f"FR: rail booking not stored or not hit: {outcome}")
    print(f"FR: rail booking {outcome['record_locators'][0]} pushed by a carrier, 1 hit")
    analyst = next(a for a in accounts_by_node["FR"] if "analyst" in a.roles)
    client = console_login(fr, analyst.username, analyst.password)
    try:
        hits = client.get("/api/v1/pnr/hits").json()
        hit = next((h for h in hits if h["source"].endswith(BE_ALERT.id)), None)
        if hit is None:
            raise PasserelleError(f"FR: the BE alert is not in the review queue: {hits}")
        print(f"FR: review queue shows {hit['passenger_name']} ~ {hit['source']}")
        decided = client.post(
            f"/api/v1/pnr/hits/{hit['id']}/decision",
            json={"decision": "confirm", "reason": "Same person: name, birth date, nationality"},
            headers={"x-csrf-token": _csrf(client, "/pnr/review")},
        ).json()
        if decided.get("status") != "confirmed":
            raise PasserelleError(f"FR: confirmation failed: {decided}")
        print(f"FR: hit confirmed by {analyst.username}, passed to {decided['passed_to']}")
    finally:
        client.close()
    reader = next(a for a in accounts_by_node["BE"] if "analyst" in a.roles)
    client = console_login(be, reader.username, reader.password)
    try:
        results = client.get("/api/v1/pnr/results").json()
        if not any(r.get("record_locator") == "DEMO42" for r in results):
            raise PasserelleError(f"BE: the confirmed hit did not arrive: {results}")
        print("BE: result of the French PIU received (art. 9(1)) for booking DEMO42")
    finally:
        client.close()
