"""Console forms of the JIT domain: open a JIT, draft a press statement for the leaders'
approval, approve it as a leader, close a JIT. Each: success, invalid input shown next to its
field on the form's own page (input kept), the wrong role refused."""

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
    """A JIT whose FR leader is the console user ``ana`` (supervisor), with a draft statement."""
    keys.generate(node.settings)
    make_user(node, "ana", "supervisor")
    make_user(node, "paul", "analyst")
    make_user(node, "fiona", "fiu")
    with node.session() as session:
        team = teams.open_team(session, node, principal(), team_in())
        statements.draft(
            session, node, principal(), team.id, StatementIn(title="Arrests", text="Two arrests.")
        )
        team_id = team.id
    assert login(client, "ana").status_code == 303
    return team_id


def _as(client: TestClient, username: str) -> None:
    client.cookies.clear()
    assert login(client, username).status_code == 303


def _open_form(token: str, **changes: str) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "name": "Opération Escaut",
        "countries": "FR, be",
        "purpose": "Investigate the synthetic thefts along the Scheldt",
        "legal_basis": "",
        "starts_on": "2026-03-01",
        "ends_on": "2026-09-01",
        "evidence_rules": "Evidence gathered by either party is admissible in both.",
        "confidentiality": "Members only.",
        "communication": "Both leaders approve every statement.",
        "leader_name": "Claire Martin",
        "leader_login": "ana",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("lang", "heading", "message"),
    [
        ("fr", "Ouvrir une équipe commune d'enquête", "enquête JIT-FR-"),
        ("nl", "Een gemeenschappelijk onderzoeksteam oprichten", "onderzoeksteam JIT-FR-"),
        ("en", "Open a joint investigation team", "Joint investigation team JIT-FR-"),
    ],
)
def test_open_a_jit_from_the_console(
    client: TestClient, node: Node, team_id: str, lang: str, heading: str, message: str
) -> None:
    client.cookies.set("passerelle_lang", lang)
    page = client.get("/jit/new")
    assert page.status_code == 200 and heading in page.text
    token = csrf_of(client, "/jit/new")
    done = client.post("/jit/new", data=_open_form(token))
    assert done.status_code == 303
    shown = client.get(done.headers["location"])
    assert message in shown.text and "Opération Escaut" in shown.text
    with node.session() as session:
        opened = next(t for t in teams.listing(session) if t.name == "Opération Escaut")
        assert opened.countries == ["FR", "BE"] and opened.status == "open"
        assert opened.ends_on.isoformat() == "2026-09-01"


def test_open_form_shows_each_problem_beside_its_field(
    client: TestClient, node: Node, team_id: str
) -> None:
    client.cookies.set("passerelle_lang", "fr")
    token = csrf_of(client, "/jit/new")
    bad = client.post("/jit/new", data=_open_form(token, purpose="", starts_on="2026-02-30"))
    assert bad.status_code == 422
    assert 'class="error-summary"' in bad.text and 'id="error-purpose"' in bad.text
    assert 'id="error-starts_on"' in bad.text
    assert 'value="Opération Escaut"' in bad.text  # the input is kept
    period = client.post("/jit/new", data=_open_form(token, ends_on="2026-02-01"))
    assert period.status_code == 422 and 'id="error-ends_on"' in period.text
    assert "La date de fin doit être postérieure à la date de début." in period.text
    wrong = client.post("/jit/new", data=_open_form(token, countries="BE NL"))
    assert wrong.status_code == 422 and 'id="error-countries"' in wrong.text
    assert "dont celui de ce nœud" in wrong.text
    with node.session() as session:
        assert [t.name for t in teams.listing(session)] == ["Opération Frontière"]


def test_open_form_refuses_a_role_outside_the_jit_staff(client: TestClient, team_id: str) -> None:
    _as(client, "fiona")
    assert client.get("/jit/new").status_code == 403
    token = csrf_of(client, "/")
    assert client.post("/jit/new", data=_open_form(token)).status_code == 403


def test_draft_a_statement_for_the_leaders_approval(
    client: TestClient, node: Node, team_id: str
) -> None:
    _as(client, "paul")
    token = csrf_of(client, f"/jit/{team_id}")
    empty = client.post(
        f"/jit/{team_id}/statements", data={"csrf_token": token, "title": "Seizure", "text": ""}
    )
    assert empty.status_code == 422 and 'id="error-text"' in empty.text
    assert 'value="Seizure"' in empty.text
    done = client.post(
        f"/jit/{team_id}/statements",
        data={"csrf_token": token, "title": "Seizure", "text": "Weapons were seized (demo)."},
    )
    assert done.status_code == 303
    client.cookies.set("passerelle_lang", "en")
    page = client.get(done.headers["location"])
    assert "Press statement submitted for the leaders&#39; approval." in page.text
    with node.session() as session:
        states = statements.of_team(session, teams.listing(session)[0])
        seizure = next(s for s in states if s.statement.title == "Seizure")
        assert seizure.version.number == 1 and seizure.approved_by == []


def test_draft_refused_to_a_role_outside_the_jit_staff(client: TestClient, team_id: str) -> None:
    _as(client, "fiona")
    token = csrf_of(client, "/")
    refused = client.post(
        f"/jit/{team_id}/statements", data={"csrf_token": token, "title": "T", "text": "X"}
    )
    assert refused.status_code == 403


def _statement_id(node: Node) -> str:
    with node.session() as session:
        [state] = statements.of_team(session, teams.listing(session)[0])
        return state.statement.id


def test_a_leader_approves_after_a_confirmation(
    client: TestClient, node: Node, team_id: str
) -> None:
    statement_id = _statement_id(node)
    token = csrf_of(client, f"/jit/{team_id}")
    asked = client.post(
        f"/jit/statements/{statement_id}/approve", data={"csrf_token": token, "version": "1"}
    )
    assert asked.status_code == 200 and "devient publiable quand un responsable" in asked.text
    done = client.post(
        f"/jit/statements/{statement_id}/approve",
        data={"csrf_token": token, "version": "1", "confirmed": "yes"},
    )
    assert done.status_code == 303
    assert "Votre approbation est enregistrée." in client.get(done.headers["location"]).text
    with node.session() as session:
        [state] = statements.of_team(session, teams.listing(session)[0])
        assert state.approved_by == ["FR"] and not state.publishable


def test_approval_refused_to_a_member_who_is_not_a_leader(
    client: TestClient, node: Node, team_id: str
) -> None:
    statement_id = _statement_id(node)
    _as(client, "paul")
    token = csrf_of(client, f"/jit/{team_id}")
    refused = client.post(
        f"/jit/statements/{statement_id}/approve",
        data={"csrf_token": token, "version": "1", "confirmed": "yes"},
    )
    assert refused.status_code == 403
    with node.session() as session:
        [state] = statements.of_team(session, teams.listing(session)[0])
        assert state.approved_by == []


def test_a_supervisor_closes_the_jit_after_a_confirmation(
    client: TestClient, node: Node, team_id: str
) -> None:
    client.cookies.set("passerelle_lang", "nl")
    token = csrf_of(client, f"/jit/{team_id}")
    empty = client.post(f"/jit/{team_id}/close", data={"csrf_token": token, "results": ""})
    assert empty.status_code == 422 and 'id="error-results"' in empty.text
    form = {"csrf_token": token, "results": "Two arrests", "lessons": "Share earlier"}
    asked = client.post(f"/jit/{team_id}/close", data=form)
    assert asked.status_code == 200 and "wordt vijf jaar bewaard" in asked.text
    assert 'value="Two arrests"' in asked.text  # carried to the confirmation
    with node.session() as session:
        assert teams.listing(session)[0].status == "open"
    done = client.post(f"/jit/{team_id}/close", data={**form, "confirmed": "yes"})
    assert done.status_code == 303
    assert "afgesloten" in client.get(done.headers["location"]).text
    with node.session() as session:
        closed = teams.listing(session)[0]
        assert closed.status == "closed" and closed.evaluation["results"] == "Two arrests"


def test_closing_refused_to_an_analyst(client: TestClient, node: Node, team_id: str) -> None:
    _as(client, "paul")
    token = csrf_of(client, f"/jit/{team_id}")
    assert 'action="/jit/' + team_id + '/close"' not in client.get(f"/jit/{team_id}").text
    refused = client.post(
        f"/jit/{team_id}/close", data={"csrf_token": token, "results": "X", "confirmed": "yes"}
    )
    assert refused.status_code == 403
    with node.session() as session:
        assert teams.listing(session)[0].status == "open"
