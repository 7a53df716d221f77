"""Console pages of the JIT domain in FR/NL/EN: the list with search and CSV export, the
workspace page, the action form with inline errors (the other forms: test_console_forms.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from passerelle.federation import keys
from passerelle.jit.schemas import StatementIn
from passerelle.jit.service import statements, teams
from passerelle.node import Node
from tests.conftest import csrf_of, login, make_user
from tests.jit.conftest import principal, team_in


@pytest.fixture
def team_id(node: Node, client: TestClient) -> str:
    keys.generate(node.settings)
    make_user(node, "ana", "supervisor")
    with node.session() as session:
        team = teams.open_team(session, node, principal(), team_in())
        statements.draft(
            session, node, principal(), team.id, StatementIn(title="Arrests", text="Two arrests.")
        )
        team_id = team.id
    assert login(client, "ana").status_code == 303
    return team_id


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ("Équipes communes d'enquête", "Communiqués de presse", "responsable")),
        ("nl", ("Gemeenschappelijke onderzoeksteams", "Persberichten", "leider")),
        ("en", ("Joint investigation teams", "Press statements", "leader")),
    ],
)
def test_list_and_workspace_in_each_language(
    client: TestClient, team_id: str, lang: str, words: tuple[str, str, str]
) -> None:
    client.cookies.set("passerelle_lang", lang)
    listing = client.get("/jit?q=Fronti")
    assert listing.status_code == 200 and "Opération Frontière" in listing.text
    assert words[0] in listing.text
    assert "Opération" not in client.get("/jit?q=nothing-like-it").text
    page = client.get(f"/jit/{team_id}")
    assert page.status_code == 200
    assert words[1] in page.text and words[2] in page.text and "Claire Martin" in page.text


def test_csv_export_lists_the_teams(client: TestClient, team_id: str) -> None:
    csv = client.get("/jit?format=csv")
    assert csv.status_code == 200
    header, row = csv.text.splitlines()[:2]
    assert header.startswith("reference,name,countries") and "FR BE" in row


def test_action_form_shows_errors_inline_then_plans(client: TestClient, team_id: str) -> None:
    token = csrf_of(client, f"/jit/{team_id}")
    bad = client.post(
        f"/jit/{team_id}/actions",
        data={"csrf_token": token, "title": "Search", "owner": "Jan", "country": "BE",
              "due_on": "2026-02-30"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert 'id="err-due_on"' in bad.text and 'value="Search"' in bad.text
    good = client.post(
        f"/jit/{team_id}/actions",
        data={"csrf_token": token, "title": "Search", "owner": "Jan", "country": "BE",
              "due_on": "2026-04-01"},
    )  # fmt: skip
    assert good.status_code == 303
    assert "Search" in client.get(good.headers["location"]).text


def test_home_page_counts_the_statement_awaiting_the_leader(
    client: TestClient, team_id: str
) -> None:
    client.cookies.set("passerelle_lang", "en")
    home = client.get("/")
    assert "Press statements awaiting your approval" in home.text
