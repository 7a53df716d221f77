"""Demo data and the cross-border scenario of ``passerelle demo --check``: a Paris–Brussels rail
booking pushed to the French PIU hits a Belgian alert, a French analyst confirms it, and the
result reaches the Belgian PIU over the federation. Every person is synthetic.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select

from passerelle.errors import PasserelleError
from passerelle.identity import PersonRecord
from passerelle.node import Node
from passerelle.pnr.model import Booking, Criterion, ScopeDecision
from passerelle.pnr.service import criteria, demo_watch, grounds, scope, store
from passerelle.pnr.synth import osdm_booking
from passerelle.privacy import FrozenClock, Principal, accounts, audit, retention

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
#: The demo's masked booking was received this long ago: past the art. 12(2) six months.
OLD_BOOKING_AGE = timedelta(days=200)
OLD_BOOKING = "DEMO-OLD1"
#: The booking the demo leaves in the review queue (``scene``).
REVIEW_BOOKING = "DEMO77"
#: The masked booking's row id, kept by the seed for the scene (the API lists no bookings).
MASKED_FILE = "pnr-demo-masked-booking"


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
                # from before the masked demo booking was received (see _masked_booking)
                starts_at=now - OLD_BOOKING_AGE - timedelta(days=1),
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
        _masked_booking(node)


def _masked_booking(node: Node) -> None:
    """A booking received 200 days ago, kept on a judicial case and masked by the retention
    rules, as the node's own services would have done: pushed (with the clock set back), linked
    to a case, then masked by a retention run today."""
    now = node.clock.now()
    with node.session() as session:
        if session.scalars(select(Booking).where(Booking.masked_at.is_not(None))).first():
            return
    past = dataclasses.replace(node, clock=FrozenClock(now - OLD_BOOKING_AGE))
    carrier = audit.Actor("demo-carrier", node.code)
    data = json.dumps(rail_booking(OLD_BOOKING, 990_002, "Sofiane", "Benali")).encode()
    outcome = store.ingest_bytes(past, data, "demo-old-booking.json", carrier)
    if outcome.result.refused or outcome.stored != 1:
        raise PasserelleError(f"the masked demo booking was not stored: {outcome.to_dict()}")
    with node.session() as session:
        booking_id = session.scalars(
            select(Booking.id).where(Booking.record_locator == OLD_BOOKING)
        ).one()
    analyst = Principal(kind="cli", id=0, name="demo-seed", agency=node.code,
                        roles=frozenset({"analyst"}))  # fmt: skip
    with past.session() as session:
        grounds.link_case(
            session, past, analyst, booking_id, "FR-JUD-2026-0007",
            ground="judicial_case", review_on=(now + timedelta(days=120)).date(),
            judicial_reference="Synthetic investigating judge, Paris, case 2026/0007",
        )  # fmt: skip
    retention.run(node.session, node.retention, node=node.code, now=now)
    fd = os.open(node.settings.data_dir / MASKED_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(str(booking_id))


def rail_booking(
    code: str = "DEMO42", number: int = 990_001, first: str = "Karim", last: str = "Ouali"
) -> dict[str, Any]:
    """A synthetic OSDM booking Paris Nord → Bruxelles-Midi; by default its traveller is the
    BE alert."""
    doc = osdm_booking(random.Random(number), number)  # noqa: S311 (synthetic data)
    doc["bookingCode"] = code
    pax = doc["passengers"][0]
    pax.pop("prmNeeds", None)
    pax["dateOfBirth"] = BE_ALERT.date_of_birth
    pax["gender"] = "MALE"
    email = f"{first[0].lower()}.{last.lower()}@example.org"
    pax["detail"].update(firstName=first, lastName=last, email=email)
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


def scene(nodes: list[DemoNode], accounts_by_node: dict[str, list[DemoAccount]]) -> None:
    """Leave work for the FR roles: a pushed booking whose hit waits for review (analyst), and
    a re-personalisation request on the masked booking waiting for the judge (judicial)."""
    from passerelle.kit.demo import console_login

    fr = next(n for n in nodes if n.code == "FR")
    token = (fr.data_dir / TOKEN_FILE).read_text().strip()
    pushed = httpx.post(
        f"{fr.url}/api/v1/pnr/osdm",
        params={"filename": "demo-review-booking.json"},
        content=json.dumps(rail_booking(REVIEW_BOOKING, 990_003)).encode(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
        timeout=30,
    )
    if pushed.status_code != 200 or pushed.json()["hits"] < 1:
        raise PasserelleError(f"FR: demo push not hit ({pushed.status_code}): {pushed.text}")
    analyst = next(a for a in accounts_by_node["FR"] if "analyst" in a.roles)
    client = console_login(fr, analyst.username, analyst.password)
    try:
        pending = [h for h in client.get("/api/v1/pnr/hits").json() if h["status"] == "pending"]
        if not pending:
            raise PasserelleError("FR: the demo push left no hit to review")
        print(f"FR: booking {REVIEW_BOOKING} pushed by a carrier: {len(pending)} hit(s) to review")
        booking_id = int((fr.data_dir / MASKED_FILE).read_text())
        asked = client.post(
            "/api/v1/pnr/repersonalisations",
            json={
                "booking_id": booking_id,
                "case_ref": "FR-JUD-2026-0007",
                "grounds": "Travel companion of a suspect in a judicial investigation (synthetic)",
            },
            headers={"x-csrf-token": _csrf(client, "/pnr/review")},
        )
        if asked.status_code != 200:
            raise PasserelleError(f"FR: re-personalisation request refused: {asked.text}")
        print(f"FR: re-personalisation of masked booking {OLD_BOOKING} asked; the judge decides")
    finally:
        client.close()
