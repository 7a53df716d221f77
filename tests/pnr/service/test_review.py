"""Screening and review as a PIU reviewer sees them: every traveller screened against the
node's watchlists and the criteria; matches queued with their explanation; only confirmed
hits passed on; a dismissed match does not come back on the next push."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.errors import ValidationFailed
from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import Node
from passerelle.pnr.model import Hit
from passerelle.pnr.service import criteria, review
from passerelle.pnr.service.review import entry_owner
from passerelle.privacy import Principal
from tests.conftest import csrf_of, login, make_user
from tests.pnr.service.conftest import BRUSSELS, PARIS, open_threat_period, push, rail_doc

ANALYST = Principal("user", 1, "fr.analyst", "FR", frozenset({"analyst"}))


@pytest.fixture
def listed(node: Node) -> Node:
    """A node in a threat period with one (synthetic) Belgian alert on its watchlists."""
    open_threat_period(node)
    node_watchlists(node.state).publish(
        "alerts:BE",
        PersonRecord(
            "BE:A-17", given_names="Karim", family_name="Ouali", date_of_birth="1990-04-12"
        ),
    )
    return node


def _hits(node: Node) -> list[Hit]:
    with node.session() as session:
        return list(session.scalars(select(Hit).order_by(Hit.id)))


def test_a_listed_traveller_enters_the_queue_with_an_explanation(listed: Node) -> None:
    outcome = push(listed, rail_doc("HIT001", given="Karim", family="OUALI", born="1990-04-12"))
    assert outcome.hits == 1
    with listed.session() as session:
        (view,) = review.queue(session, listed, ANALYST)
    assert view.passenger_name == "OUALI Karim"
    assert view.source == "alerts:BE / BE:A-17"
    assert view.explanation is not None and "dob exact" in view.explanation["summary"]
    assert view.status == "pending" and view.passed_to is None


def test_other_travellers_do_not_hit(listed: Node) -> None:
    assert push(listed, rail_doc("CLEAN1", given="Marie", family="Dupont")).hits == 0


def test_confirmed_hits_are_passed_to_the_alert_owner(listed: Node) -> None:
    push(listed, rail_doc("HIT002", given="Karim", family="Ouali", born="1990-04-12"))
    (hit,) = _hits(listed)
    with listed.session() as session:
        with pytest.raises(ValidationFailed, match="reason"):
            review.decide(session, listed, ANALYST, hit.id, confirm=True, reason="")
        decided = review.decide(session, listed, ANALYST, hit.id, confirm=True, reason="Same DOB")
        assert decided.passed_to == "PIU BE (alert owner)"
        with pytest.raises(ValidationFailed, match="already confirmed"):
            review.decide(session, listed, ANALYST, hit.id, confirm=False, reason="changed mind")


def test_a_dismissed_match_is_suppressed_on_the_next_push(listed: Node) -> None:
    push(listed, rail_doc("FP0001", given="Karim", family="Ouali", born="1990-04-12", place="1"))
    (hit,) = _hits(listed)
    with listed.session() as session:
        review.decide(
            session, listed, ANALYST, hit.id, confirm=False, reason="Other person: document"
        )
    closure = push(
        listed, rail_doc("FP0001", given="Karim", family="Ouali", born="1990-04-12", place="2")
    )
    assert (closure.stored, closure.hits, closure.suppressed) == (1, 0, 1)
    assert [h.status for h in _hits(listed)] == ["dismissed"]


def test_a_pending_match_is_not_queued_twice_by_a_repeated_push(listed: Node) -> None:
    push(listed, rail_doc("TWICE1", given="Karim", family="Ouali", born="1990-04-12", place="1"))
    push(listed, rail_doc("TWICE1", given="Karim", family="Ouali", born="1990-04-12", place="2"))
    assert len(_hits(listed)) == 1


def test_criteria_hits_say_which_version_matched(node: Node) -> None:
    open_threat_period(node)
    now = node.clock.now()
    with node.session() as session:
        criteria.save_criterion(
            session,
            code="CASH-PB",
            title="Cash on Paris-Brussels",
            expression="route = 8727100-8814001 and payment = DEBIT_CARD",
            justification="Synthetic pattern from a threat assessment",
            review_by=now + timedelta(days=90),
            active=True,
            author="sup",
            now=now,
        )
    outcome = push(node, rail_doc("CRIT01"))
    assert outcome.hits == 1
    with node.session() as session:
        (view,) = review.queue(session, node, ANALYST)
    assert view.source == "CASH-PB v1"
    assert view.explanation is not None and "route = 8727100-8814001" in view.explanation["summary"]


def test_entry_owner_conventions() -> None:
    assert entry_owner("alerts", "BE:A-1", "FR") == "BE"
    assert entry_owner("demo-alerts:BE", "A-1", "FR") == "BE"
    assert entry_owner("alerts", "5f1c", "FR", "ES") == "ES"
    assert entry_owner("alerts", "local-1", "FR") == "FR"


def test_review_queue_in_the_console(listed: Node, client: TestClient) -> None:
    push(listed, rail_doc("CONS01", given="Karim", family="Ouali", born="1990-04-12"))
    make_user(listed, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    page = client.get("/pnr/review")
    assert "Ouali Karim" in page.text and "BE:A-17" in page.text
    assert "Same date of birth." in page.text  # the explanation in words
    assert "dob exact" not in page.text and "~" not in page.text
    (hit,) = _hits(listed)
    answer = client.post(
        f"/pnr/review/{hit.id}",
        data={
            "csrf_token": csrf_of(client, "/pnr/review"),
            "decision": "dismiss",
            "reason": "Namesake",
        },
    )
    assert answer.status_code == 303
    assert _hits(listed)[0].status == "dismissed"
    api = client.get("/api/v1/pnr/hits?status=dismissed").json()
    assert api[0]["reason"] == "Namesake"


def test_the_review_queue_shows_the_journey_readable(listed: Node, client: TestClient) -> None:
    """Issue #17: the queue showed ``urn:uic:stn:8727100-urn:uic:stn:8814001``; it shows the
    stations by name, the departure and the carrier, linked to the journey's page."""
    from passerelle.pnr import places

    push(listed, rail_doc("READ01", given="Karim", family="Ouali", born="1990-04-12"))
    make_user(listed, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    page = client.get("/pnr/review")
    text = re.sub(r"<[^>]+>", " ", page.text)
    paris, brussels = places.name_of(PARIS), places.name_of(BRUSSELS)
    assert paris != PARIS and brussels != BRUSSELS  # both stations are listed by name
    assert f"{paris} → {brussels}" in text
    assert "urn:uic" not in text and PARIS not in text
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)  # the departure
    assert 'href="/pnr/journeys/' in page.text
    with listed.session() as session:
        (view,) = review.queue(session, listed, ANALYST)
    assert view.journey  # the API keeps its one-line journey


def test_the_owner_comes_from_the_match(node: Node) -> None:
    """An alert entry with an unprefixed id: the hit goes to the node the match named."""
    open_threat_period(node)
    node_watchlists(node.state).publish(
        "alerts",
        PersonRecord("5f1c", given_names="Karim", family_name="Ouali", date_of_birth="1990-04-12"),
        owner="ES",
    )
    push(node, rail_doc("OWNER1", given="Karim", family="Ouali", born="1990-04-12"))
    (hit,) = _hits(node)
    assert hit.entry_owner == "ES"
    with node.session() as session:
        decided = review.decide(session, node, ANALYST, hit.id, confirm=True, reason="Same DOB")
        assert decided.passed_to == "PIU ES (alert owner)"


def test_the_review_queue_is_searched_paged_and_exported(listed: Node, client: TestClient) -> None:
    """Issue #17: the queue is a list users work with (search, pages, CSV of the hits)."""
    for code in ("PAGE01", "PAGE02", "PAGE03"):
        push(listed, rail_doc(code, given="Karim", family="Ouali", born="1990-04-12"))
    make_user(listed, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    first = client.get("/pnr/review", params={"per_page": 2})
    assert re.search(r"1–2 \w+ 3", first.text) and 'rel="next"' in first.text
    second = client.get("/pnr/review", params={"per_page": 2, "page": 2})
    assert re.search(r"3–3 \w+ 3", second.text)
    found = client.get("/pnr/review", params={"q": "PAGE02"})
    assert "PAGE02" in found.text and "PAGE01" not in found.text
    exported = client.get("/pnr/review", params={"format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.strip().splitlines()
    assert lines[0].startswith("hit,status,record_locator") and len(lines) == 4
    assert "Ouali" not in exported.text  # the export leaves the names out
    dismissed = client.get("/pnr/review", params={"status": "dismissed"})
    assert re.search(r"0–0 \w+ 0", dismissed.text)


def test_a_decision_without_a_reason_is_shown_on_the_queue(
    listed: Node, client: TestClient
) -> None:
    """Issue #17: the refused decision comes back on the review queue itself, the reason field
    marked, not on a general error page."""
    push(listed, rail_doc("NORSN1", given="Karim", family="Ouali", born="1990-04-12"))
    make_user(listed, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    queue = client.get("/pnr/review")
    heading = re.search(r"<h1[^>]*>([^<]+)</h1>", queue.text)
    assert heading
    (hit,) = _hits(listed)
    answer = client.post(
        f"/pnr/review/{hit.id}",
        data={"csrf_token": csrf_of(client, "/pnr/review"), "decision": "confirm", "reason": "x"},
        headers={"Referer": "http://testserver/pnr/review"},
    )
    assert answer.status_code == 422
    assert f">{heading.group(1)}</h1>" in answer.text  # the queue's own page
    assert 'class="error-summary"' in answer.text
    assert re.search(r'name="reason"[^>]*aria-invalid="true"', answer.text)
    assert _hits(listed)[0].status == "pending"  # nothing decided
