"""The release calendar as iCalendar (RFC 5545), read back by a strict parser; the
authenticated feed URL; ``passerelle alerts calendar --ics``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from passerelle.alerts.schemas import DetaineeIn, ReleaseIn, ReleaseOut, StepOut
from passerelle.alerts.service import detainees, ics
from passerelle.node import Node, open_node
from passerelle.privacy import accounts
from passerelle.settings import Settings
from tests.alerts.conftest import principal
from tests.conftest import login, make_user

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def parse(text: str) -> list[dict[str, tuple[str, str]]]:
    """Strict reading: CRLF everywhere, lines of at most 75 octets, folded lines unfolded,
    TEXT unescaped; returns each VEVENT as {name: (parameters, value)}."""
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    assert not any("\n" in line or "\r" in line for line in physical)
    assert all(len(line.encode()) <= 75 for line in physical), "a line is longer than 75 octets"
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in logical and any(x.startswith("PRODID:") for x in logical)
    events: list[dict[str, tuple[str, str]]] = []
    current: dict[str, tuple[str, str]] | None = None
    for line in logical[1:-1]:
        match = re.fullmatch(r"([A-Z-]+)((?:;[^:]*)?):(.*)", line)
        assert match, f"not a content line: {line!r}"
        name, params, value = match.groups()
        if (name, value) == ("BEGIN", "VEVENT"):
            current = {}
        elif (name, value) == ("END", "VEVENT"):
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            assert not re.search(r"(?<!\\)[,;]", value) or name == "CATEGORIES", value
            current[name] = (
                params,
                re.sub(
                    r"\\([\\;,nN])",
                    lambda m: {"n": "\n", "N": "\n"}.get(m.group(1), m.group(1)),
                    value,
                ),
            )
    return events


def _release(name: str, institution: str) -> ReleaseOut:
    return ReleaseOut(
        id="r1",
        detainee_id="d1234567-x",
        detainee_name=name,
        origin="FR",
        scope="terrorist_offence",
        institution=institution,
        kind="conditional_release",
        release_date=date(2026, 9, 1),
        notified=[],
        steps=[
            StepOut(
                id="s1",
                step="assessment",
                label="Risk assessment",
                due_date=date(2026, 3, 1),
                done_at=None,
                done_by=None,
                overdue=True,
            )
        ],
    )


def test_each_release_and_step_is_a_vevent_with_uid_dtstart_and_summary() -> None:
    text = ics.calendar(
        [_release("Youssef Lambert", "Prison; wing B, cell 3\\4")], node="FR", now=NOW
    )
    events = parse(text)
    assert len(events) == 2
    release, step = events
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event)
        assert event["DTSTAMP"][1] == "20260302T090000Z"
    assert release["UID"][1] == "release-r1@fr.passerelle"
    assert release["DTSTART"] == (";VALUE=DATE", "20260901")
    assert release["DTEND"] == (";VALUE=DATE", "20260902")
    assert release["SUMMARY"][1] == "Conditional release: Y. L. (d1234567)"
    # Escaped on the wire, read back exactly.
    assert "Prison; wing B, cell 3\\4" in release["DESCRIPTION"][1]
    assert step["SUMMARY"][1].startswith("Risk assessment (OVERDUE)")
    assert step["DTSTART"][1] == "20260301"


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    institution = "Établissement pénitentiaire — " + "مركز الإصلاح " * 12
    text = ics.calendar([_release("Éloïse Ø", institution)], node="FR", now=NOW)
    release = parse(text)[0]
    assert institution in release["DESCRIPTION"][1]
    for line in text.split("\r\n"):
        line.encode().decode("utf-8", errors="strict")


def _seed_release(node: Node, days: int = 100) -> None:
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
            ReleaseIn(
                kind="end_of_sentence", release_date=node.clock.now().date() + timedelta(days=days)
            ),
        )


def test_the_feed_answers_a_bearer_token_or_a_feed_token(node: Node, client: TestClient) -> None:
    _seed_release(node)
    with node.session() as session:
        bearer = accounts.create_token(
            session, name="cal", role="analyst", agency="FR", now=node.clock.now()
        )
    path = "/api/v1/release-calendar/feed.ics"
    assert client.get(path).status_code == 401
    answer = client.get(path, headers={"Authorization": f"Bearer {bearer}"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert len(parse(answer.text)) == 5
    make_user(node, "cal.user", "analyst")
    login(client, "cal.user")
    page = client.get("/alerts/calendar")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    issued = client.post(
        "/api/v1/release-calendar/feed-token", headers={"x-csrf-token": csrf.group(1)}
    ).json()
    assert issued["url"].endswith(f"{path}?token={issued['token']}")
    anonymous = TestClient(client.app)
    assert anonymous.get(path, params={"token": issued["token"]}).status_code == 200
    assert anonymous.get(path, params={"token": "pcal_wrong"}).status_code == 401
    # The feed token opens the feed and nothing else.
    other = anonymous.get("/api/v1/release-calendar", params={"token": issued["token"]})
    assert other.status_code == 401
    # A new token revokes the old one.
    client.post("/api/v1/release-calendar/feed-token", headers={"x-csrf-token": csrf.group(1)})
    assert anonymous.get(path, params={"token": issued["token"]}).status_code == 401


def test_the_cli_writes_the_calendar_to_stdout_or_a_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "node", node="FR")
    node = open_node(settings)
    try:
        _seed_release(node)
    finally:
        node.close()
    env = {**os.environ, "PASSERELLE_DATA_DIR": str(settings.data_dir), "PASSERELLE_NODE": "FR"}
    env.pop("PASSERELLE_DATABASE_URL", None)
    command = [sys.executable, "-m", "passerelle", "alerts", "calendar", "--ics"]
    shown = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert len(parse(shown.stdout.decode())) == 5
    out = tmp_path / "releases.ics"
    written = subprocess.run(
        [*command, "--out", str(out)], env=env, capture_output=True, timeout=120
    )
    assert written.returncode == 0, written.stderr

    def uids(text: str) -> list[tuple[str, str]]:
        return [(e["UID"][1], e["SUMMARY"][1]) for e in parse(text)]

    assert uids(out.read_bytes().decode()) == uids(shown.stdout.decode())
    assert "written to" in written.stderr.decode()


def test_control_characters_and_line_separators_cannot_break_a_line() -> None:
    hostile = (
        "Prison\u2028X-INJECTED:1\u2029\x0bVT\x0cFF\x85NEL\x1cFS\r\nCRLF\rCR\x00\x1b[31m\x7f\tend"
    )
    release = _release("Eve\u2028Mallory", hostile)
    release.id = "r1\r\nX-UID-INJECTED:1"
    text = ics.calendar([release], node="FR", now=NOW)
    # Every reader's idea of a line break (str.splitlines knows them all) is CRLF only.
    assert text.splitlines() == text.split("\r\n")[:-1]
    assert not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]", text.replace("\r\n", ""))
    assert "INJECTED" not in "".join(line.split(":", 1)[0] for line in text.split("\r\n"))
    event = parse(text)[0]
    description = event["DESCRIPTION"][1]
    assert description.count("\n") == 8  # each break kept as an escaped \n, nothing else
    assert "\tend" in description and "[31m" in description
    assert event["UID"][1] == "release-r1\nX-UID-INJECTED:1@fr.passerelle"


def test_a_feed_token_belongs_to_its_owner_user_or_api_token_and_dies_with_it(
    node: Node, client: TestClient
) -> None:
    """Finding 6 of issue #14: a feed token issued from an API token was resolved as the user
    with the same numeric id, survived revoking the token and carried that user's roles."""
    _seed_release(node)
    path = "/api/v1/release-calendar/feed.ics"
    # User 1 and token 1 share a number and nothing else.
    make_user(node, "fr.dpo", "dpo")
    with node.session() as session:
        bearer = accounts.create_token(
            session, name="dl-analyst", role="analyst", agency="FR", now=node.clock.now()
        )
        assert accounts.get_user(session, "fr.dpo").id == accounts.list_tokens(session)[0].id
    issued = client.post(
        "/api/v1/release-calendar/feed-token", headers={"Authorization": f"Bearer {bearer}"}
    )
    assert issued.status_code == 201, issued.text
    feed = issued.json()["token"]
    anonymous = TestClient(client.app)
    # It reads the calendar as the analyst token (the dpo user could not).
    assert anonymous.get(path, params={"token": feed}).status_code == 200
    with node.session() as session:
        accounts.revoke_token(session, "dl-analyst", now=node.clock.now())
    refused = anonymous.get(path, params={"token": feed})
    assert refused.status_code == 401
    assert "owner" in refused.json()["message"]

    # A user's feed token dies when the user is disabled.
    make_user(node, "cal.user", "analyst")
    login(client, "cal.user")
    page = client.get("/alerts/calendar")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    mine = client.post(
        "/api/v1/release-calendar/feed-token", headers={"x-csrf-token": csrf.group(1)}
    ).json()["token"]
    assert anonymous.get(path, params={"token": mine}).status_code == 200
    with node.session() as session:
        accounts.disable_user(session, "cal.user", now=node.clock.now())
    assert anonymous.get(path, params={"token": mine}).status_code == 401


def test_a_feed_token_carries_its_owners_roles_of_today(node: Node, client: TestClient) -> None:
    _seed_release(node)
    path = "/api/v1/release-calendar/feed.ics"
    make_user(node, "fr.analyst", "analyst")  # user 1
    with node.session() as session:
        dpo = accounts.create_token(  # token 1, a role that may not read the calendar
            session, name="dl-dpo", role="dpo", agency="FR", now=node.clock.now()
        )
        analyst = accounts.create_token(
            session, name="dl-analyst", role="analyst", agency="FR", now=node.clock.now()
        )
    # The dpo token cannot have a feed token (the route wants an analyst or a supervisor) …
    denied = client.post(
        "/api/v1/release-calendar/feed-token", headers={"Authorization": f"Bearer {dpo}"}
    )
    assert denied.status_code == 403
    # … and the analyst token's feed reads as that token, not as user 2 (there is none).
    feed = client.post(
        "/api/v1/release-calendar/feed-token", headers={"Authorization": f"Bearer {analyst}"}
    ).json()["token"]
    assert TestClient(client.app).get(path, params={"token": feed}).status_code == 200
