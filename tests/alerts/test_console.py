"""The console pages as a user meets them: forms, list, check, calendar, catalogue."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from passerelle.alerts.schemas import DetaineeIn, ReleaseIn
from passerelle.alerts.service import detainees
from passerelle.node import Node
from passerelle.privacy import FrozenClock
from tests.alerts.conftest import principal
from tests.conftest import login, make_user

FORM = {
    "category": "art36_discreet",
    "family_name": "Dubois",
    "given_names": "Claire",
    "date_of_birth": "1989-11-30",
    "reason": "Synthetic reason",
    "action": "Discreet check",
    "warning": ["armed", "violent"],
    "aliases": "Claire Dubois-Martin",
}


def _csrf(client: TestClient, path: str = "/alerts") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


def test_an_alert_entered_in_the_form_is_listed_and_found_by_a_check(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fr.analyst", "analyst", "supervisor")
    login(client, "fr.analyst")
    client.headers["Accept-Language"] = "en"
    assert "Minimum data" in client.get("/alerts/new").text
    token = _csrf(client)
    refused = client.post("/alerts", data={**FORM, "family_name": "", "csrf_token": token})
    assert refused.status_code == 422
    assert "surname" in refused.text
    created = client.post("/alerts", data={**FORM, "csrf_token": token})
    assert created.status_code == 303
    detail = client.get(created.headers["location"])
    assert "FR-A-2026-000001" in detail.text and "Armed" in detail.text
    listed = client.get("/alerts", params={"q": "dubois"})
    assert "FR-A-2026-000001" in listed.text
    checked = client.post(
        "/alerts/check",
        data={
            "family_name": "DUBOIS",
            "given_names": "Claire",
            "date_of_birth": "1989-11-30",
            "csrf_token": token,
        },
    )
    assert "FR-A-2026-000001" in checked.text
    assert 'name="reason_of_check"' in checked.text
    alert_id = re.search(r'name="alert_id" value="([^"]+)"', checked.text)
    assert alert_id
    reported = client.post(
        "/alerts/hits",
        data={
            "alert_id": alert_id.group(1),
            "place": "Calais port",
            "checked_at": "2026-03-02T08:00",
            "reason_of_check": "Ferry boarding",
            "csrf_token": token,
        },
    )
    assert reported.status_code == 303
    assert "Calais port" in client.get("/alerts/hits").text


def test_the_calendar_highlights_overdue_steps(
    node: Node, client: TestClient, clock: FrozenClock
) -> None:
    with node.session() as session:
        detainee = detainees.create(
            session,
            node,
            principal(),
            DetaineeIn(
                family_name="Lambert",
                given_names="Youssef",
                date_of_birth="1994-09-03",
                scope="terrorist_offence",
                institution="Synthetic prison A",
            ),
        )
        detainees.add_release(
            session,
            node,
            principal(),
            detainee.id,
            ReleaseIn(kind="leave", release_date=clock.now().date() + timedelta(days=200)),
        )
    clock.advance(timedelta(days=30))
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    client.headers["Accept-Language"] = "en"
    page = client.get("/alerts/calendar", params={"month": "2026-03"})
    assert page.status_code == 200
    assert re.search(r'class="entry step overdue"><a [^>]*>Risk assessment', page.text)
    assert "Youssef Lambert" in page.text
    september = client.get("/alerts/calendar", params={"month": "2026-09"})
    assert "Prison leave: Youssef Lambert" in september.text
    assert client.get("/alerts/calendar", params={"month": "March"}).status_code == 400


def test_the_criteria_page_shows_the_applied_version(node: Node, client: TestClient) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    client.headers["Accept-Language"] = "en"
    page = client.get("/alerts/criteria")
    assert page.status_code == 200
    assert "FR v1" in page.text and "Terrorist offence and high assessed risk" in page.text


def test_the_alert_form_speaks_french_and_dutch(node: Node, client: TestClient) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    pages = {}
    for locale in ("en", "fr", "nl"):
        client.headers["Accept-Language"] = locale
        pages[locale] = client.get("/alerts/new").text
        assert f'<html lang="{locale}">' in pages[locale]
    assert "Minimum data" in pages["en"]
    assert "Minimum data" not in pages["fr"] and "Minimum data" not in pages["nl"]
    assert len({pages["en"], pages["fr"], pages["nl"]}) == 3


def test_the_new_alert_form_makes_the_user_choose_the_category(
    node: Node, client: TestClient
) -> None:
    """Issue #17: the form pre-selected "Arrest for surrender or extradition"."""
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    page = client.get("/alerts/new").text
    assert re.search(r'<option value="" selected disabled>', page)
    assert not re.search(r'<option value="art26[^"]*" selected', page)
    token = _csrf(client)
    unchosen = client.post("/alerts", data={**FORM, "category": "", "csrf_token": token})
    assert unchosen.status_code == 422 and 'class="error-summary"' in unchosen.text
    assert 'value="Dubois"' in unchosen.text  # the input is kept


def test_withdrawing_an_alert_is_confirmed_with_a_reason_and_announced(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fr.supervisor", "analyst", "supervisor")
    login(client, "fr.supervisor")
    token = _csrf(client)
    created = client.post("/alerts", data={**FORM, "csrf_token": token})
    url = created.headers["location"] + "/withdraw"
    step = client.post(url, data={"csrf_token": token})
    assert step.status_code == 200
    assert "quitte immédiatement la liste de surveillance" in step.text
    assert "actif" in client.get(created.headers["location"]).text.lower()
    no_reason = client.post(url, data={"csrf_token": token, "confirmed": "yes"})
    assert no_reason.status_code == 422 and 'href="#field-reason"' in no_reason.text
    done = client.post(
        url, data={"csrf_token": token, "confirmed": "yes", "reason": "Person arrested"}
    )
    assert done.status_code == 303
    detail = client.get(done.headers["location"]).text
    assert "Signalement FR-A-2026-000001 retiré." in detail  # says what was done
