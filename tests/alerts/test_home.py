"""The alerts package's pending work on the console home page (issue #17)."""

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


def _count(page: str, label: str) -> int:
    found = re.search(
        rf'<a href="([^"]+)">{label}</a>\s*<span class="count[^"]*">(\d+)</span>', page
    )
    assert found, f"{label!r} is not on the home page"
    return int(found.group(2))


def test_releases_and_due_steps_are_counted_with_links(
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
            ReleaseIn(kind="leave", release_date=clock.now().date() + timedelta(days=20)),
        )
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    client.headers["Accept-Language"] = "en"
    home = client.get("/").text
    assert _count(home, "Releases in the next 30 days") == 1
    assert 'href="/alerts/calendar"' in home and "Youssef" not in home  # counts, no names
    clock.advance(timedelta(days=25))  # the release's preparation steps are now late
    login(client, "fr.analyst")  # the first session has expired meanwhile
    late = client.get("/").text
    assert _count(late, "Follow-up steps overdue") >= 1
    assert re.search(r'class="urgent">\s*<a href="/alerts/calendar">Follow-up steps overdue', late)
    assert _count(late, "Releases in the next 30 days") == 0


def test_roles_without_alerts_work_do_not_see_it(node: Node, client: TestClient) -> None:
    make_user(node, "fr.judge", "judicial")
    login(client, "fr.judge")
    client.headers["Accept-Language"] = "en"
    home = client.get("/").text
    assert "Releases in the next 30 days" not in home
    assert _count(home, "Re-personalisation requests to decide") == 0
