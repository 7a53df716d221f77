"""The console pages a PIU uses: journeys with counts and statistics, a journey's bookings,
the booking view, quarantine, re-personalisation requests for judges, received results."""

from __future__ import annotations

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.pnr.service.store import ingest_files
from tests.conftest import login, make_user
from tests.pnr.service.conftest import CARRIER, open_threat_period, push, rail_doc


def test_journeys_show_trains_with_passenger_and_hit_counts(node: Node, client: TestClient) -> None:
    open_threat_period(node)
    push(node, rail_doc("TRAIN1"))
    push(node, rail_doc("TRAIN2", given="Els", family="Claes"))
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    (journey,) = client.get("/api/v1/pnr/journeys").json()
    assert (journey["mode"], journey["bookings"], journey["passengers"]) == ("rail", 2, 2)
    assert (journey["origin"], journey["destination"]) == ("8727100", "8814001")
    page = client.get("/pnr").text
    assert "Paris Nord → Bruxelles-Midi / Brussel-Zuid" in page and "Retention policy" in page
    assert "8727100–8814001" not in page  # stations by name, not UIC code
    bookings = client.get(f"/pnr/journeys/{journey['key']}").text
    assert "TRAIN1" in bookings and "TRAIN2" in bookings
    title = bookings.split("<title>")[1].split("</title>")[0]
    assert "Paris Nord → Bruxelles-Midi" in title and journey["key"] not in title
    assert "<dt>Departure</dt>" in bookings and "2 passengers" in bookings
    assert client.get("/pnr/journeys/no-such-journey").status_code == 404
    stats = client.get("/api/v1/pnr/statistics").json()
    assert stats["by_mode"]["rail"] == {"bookings": 2, "passengers": 2}


def test_booking_page_shows_the_push_history(node: Node, client: TestClient) -> None:
    open_threat_period(node)
    push(node, rail_doc("HIST01", place="1"))
    push(node, rail_doc("HIST01", place="2"))
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    page = client.get("/pnr/bookings/1").text
    assert "Dupont Marie" in page
    assert "<td>created</td>" in page and "<td>passengers</td>" in page


def test_quarantine_results_and_judges_pages(node: Node, client: TestClient) -> None:
    ingest_files(node, [(b"UNB+IATA:1+AF'UNH+1+FOO:1'UNT+2+1'", "odd.edi")], CARRIER)
    make_user(node, "fr.analyst", "analyst")
    make_user(node, "fr.judge", "judicial")
    login(client, "fr.analyst")
    assert "odd.edi" in client.get("/pnr/quarantine").text
    assert "No result received." in client.get("/pnr/results").text
    client.cookies.clear()
    client.cookies.set("passerelle_lang", "en")
    login(client, "fr.judge")
    assert client.get("/pnr/repersonalisations").status_code == 200
    assert client.get("/pnr/quarantine").status_code == 403
    assert client.get("/pnr").status_code == 403
