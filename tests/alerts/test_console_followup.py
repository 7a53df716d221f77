"""Hit reports, the release calendar and a detainee's page as lists a user works with."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from fastapi.testclient import TestClient

from passerelle.alerts.schemas import DetaineeIn, ReleaseIn
from passerelle.alerts.service import detainees
from passerelle.node import Node
from passerelle.privacy import audit
from tests.alerts.conftest import principal
from tests.alerts.test_console import FORM, _csrf
from tests.conftest import login, make_user

REPORT = {
    "place": "Calais port",
    "checked_at": "2026-03-02T08:00",
    "reason_of_check": "Ferry boarding",
    "route": "Dover - Calais - Lille",
    "companions": "Two adults, one child",
    "vehicle": "Grey van AB-123-CD",
    "circumstances": "Found asleep in the back seat",
}


def _report_a_hit(client: TestClient) -> None:
    token = _csrf(client)
    assert client.post("/alerts", data={**FORM, "csrf_token": token}).status_code == 303
    checked = client.post(
        "/alerts/check",
        data={
            "family_name": "Dubois",
            "given_names": "Claire",
            "date_of_birth": "1989-11-30",
            "csrf_token": token,
        },
    ).text
    alert_id = re.search(r'name="alert_id" value="([^"]+)"', checked)
    assert alert_id
    answer = client.post(
        "/alerts/hits", data={**REPORT, "alert_id": alert_id.group(1), "csrf_token": token}
    )
    assert answer.status_code == 303


def test_a_hit_report_shows_every_field_in_the_users_language(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fr.analyst", "analyst", "supervisor")
    login(client, "fr.analyst")
    _report_a_hit(client)
    listed = client.get("/alerts/hits")
    link = re.search(r'href="(/alerts/hits/[^"]+)"', listed.text)
    assert link, "the list links each report to its page"
    page = client.get(link.group(1))
    assert page.status_code == 200
    for value in REPORT.values():
        assert value in page.text
    assert "Itinéraire du voyage (art. 37, par. 1, point c))" in page.text
    assert ">route<" not in page.text
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery(object_type="alert.hit_report"))
    assert any(e.object_id == link.group(1).rsplit("/", 1)[1] for e in entries)


def test_hit_reports_are_searched_filtered_and_exported(node: Node, client: TestClient) -> None:
    make_user(node, "fr.analyst", "analyst", "supervisor")
    login(client, "fr.analyst")
    _report_a_hit(client)
    assert "Calais port" in client.get("/alerts/hits", params={"q": "calais"}).text
    assert "Calais port" not in client.get("/alerts/hits", params={"q": "marseille"}).text
    assert "Calais port" not in client.get("/alerts/hits", params={"direction": "out"}).text
    exported = client.get("/alerts/hits", params={"q": "calais", "format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["place"], r["vehicle"], r["direction"]) for r in rows] == [
        ("Calais port", "Grey van AB-123-CD", "in")  # a hit on our own alert
    ]


def _detainee_with_release(node: Node, days: int) -> str:
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
            ReleaseIn(kind="leave", release_date=node.clock.now().date() + timedelta(days=days)),
        )
        return detainee.id


def test_the_calendar_is_a_month_grid_an_agenda_and_a_csv(node: Node, client: TestClient) -> None:
    detainee_id = _detainee_with_release(node, 20)
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    release_day = node.clock.now().date() + timedelta(days=20)
    grid = client.get("/alerts/calendar", params={"month": release_day.strftime("%Y-%m")})
    assert grid.status_code == 200
    assert '<th scope="col">lun.</th>' in grid.text  # French weekday headers
    assert "Permission de sortir: Youssef Lambert" in grid.text
    agenda = client.get("/alerts/calendar", params={"view": "agenda"})
    assert f'href="/alerts/detainees/{detainee_id}"' in agenda.text
    exported = client.get("/alerts/calendar", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {"release", "assessment"} <= {r["entry"] for r in rows}
    assert {r["detainee"] for r in rows} == {"Youssef Lambert"}
    detainee = client.get(f"/alerts/detainees/{detainee_id}")
    assert detainee.status_code == 200 and "Synthetic prison A" in detainee.text


def test_the_subscribe_button_creates_a_feed_address(node: Node, client: TestClient) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    page = client.get("/alerts/calendar")
    assert "POST /api/v1" not in page.text
    token = _csrf(client, "/alerts/calendar")
    answer = client.post("/alerts/calendar/subscribe", data={"csrf_token": token})
    assert answer.status_code == 200
    url = re.search(r'value="([^"]+/api/v1/release-calendar/feed\.ics\?token=[^"]+)"', answer.text)
    assert url, "the page shows the new feed address"
    feed = TestClient(client.app).get(
        "/api/v1/release-calendar/feed.ics", params={"token": url.group(1).split("token=")[1]}
    )
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")


def test_the_alert_list_is_paged_and_cites_its_article_in_french(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fr.analyst", "analyst", "supervisor")
    login(client, "fr.analyst")
    token = _csrf(client)
    for name in ("Dubois", "Dupont", "Durand"):
        data = {**FORM, "family_name": name, "csrf_token": token}
        assert client.post("/alerts", data=data).status_code == 303
    page = client.get("/alerts", params={"per_page": 2})
    assert "1–2 sur 3" in page.text and 'rel="next"' in page.text
    assert "Durand" in client.get("/alerts", params={"q": "durand"}).text
    assert "Dupont" not in client.get("/alerts", params={"q": "durand"}).text
    detail = client.get(re.search(r'href="(/alerts/a/[^"]+)"', page.text).group(1))  # type: ignore[union-attr]
    assert "Règlement (UE) 2018/1862" in detail.text
    assert "Regulation (EU)" not in detail.text
