"""The agreement: opening with the model agreement's terms, typed errors, versioned
extensions and amendments, PDF export in FR/NL/EN, planning, closure with the evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from passerelle.errors import Conflict, PermissionDenied, ValidationFailed
from passerelle.jit import pdf
from passerelle.jit.schemas import ActionIn, AmendIn, EvaluationIn, MemberIn
from passerelle.jit.service import teams
from passerelle.node import Node
from passerelle.privacy import AuditEntry, accounts
from tests.jit.conftest import principal, team_in


def test_impossible_dates_and_unknown_parties_are_typed_errors() -> None:
    with pytest.raises(ValidationError, match="ends_on must be after starts_on"):
        team_in(terms={"purpose": "x", "starts_on": "2026-05-01", "ends_on": "2026-04-01"})
    with pytest.raises(ValidationError, match="not a two-letter"):
        team_in(countries=["FR", "Belgium"])
    with pytest.raises(ValidationError, match="not a party"):
        team_in(members=[{"country": "DE", "name": "Max", "role": "leader"}])


def test_the_opening_node_must_be_a_party(node: Node) -> None:
    with node.session() as session, pytest.raises(ValidationFailed, match="must be a party"):
        teams.open_team(session, node, principal(), team_in(countries=["BE", "NL"], members=[]))


def test_extensions_and_amendments_are_versions_and_the_pdf_shows_them(node: Node) -> None:
    with node.session() as session:
        team = teams.open_team(session, node, principal(), team_in())
        with pytest.raises(ValidationFailed, match="ends later"):
            teams.amend(
                session,
                node,
                principal(),
                team.id,
                AmendIn(kind="extension", note="short", ends_on=date(2026, 8, 1)),
            )
        teams.amend(
            session,
            node,
            principal(),
            team.id,
            AmendIn(kind="extension", note="six more months", ends_on=date(2027, 3, 1)),
        )
        teams.amend(
            session,
            node,
            principal(),
            team.id,
            AmendIn(kind="amendment", note="add Europol", confidentiality="Members and Europol"),
        )
        versions = teams.versions(session, team.id)
        assert [(v.number, v.kind) for v in versions] == [
            (1, "original"),
            (2, "extension"),
            (3, "amendment"),
        ]
        assert versions[0].terms["ends_on"] == "2026-09-01"  # the earlier terms stay
        assert versions[2].terms["ends_on"] == "2027-03-01"
        assert versions[2].terms["confidentiality"] == "Members and Europol"
        assert versions[2].terms["evidence_rules"].startswith("Evidence gathered")
        for lang in ("fr", "nl", "en"):
            body = pdf.agreement_pdf(team, versions, lang)
            assert body.startswith(b"%PDF") and len(body) > 1500


def test_members_of_another_country_are_added_on_their_node(node: Node) -> None:
    with node.session() as session:
        team = teams.open_team(session, node, principal(), team_in())
        with pytest.raises(PermissionDenied, match="on the BE node"):
            teams.add_member(
                session,
                node,
                principal(),
                team.id,
                MemberIn(country="BE", name="Other", role="member"),
            )
        teams.add_member(
            session, node, principal(), team.id, MemberIn(country="FR", name="Luc", role="member")
        )


def test_actions_then_closure_with_evaluation(node: Node) -> None:
    with node.session() as session:
        team = teams.open_team(session, node, principal(), team_in())
        action = teams.add_action(
            session,
            node,
            principal(),
            team.id,
            ActionIn(title="Search in Tournai", owner="Jan", country="BE", due_on=date(2026, 3, 1)),
        )
        assert teams.overdue_actions(session, node.clock.now()) == 1
        teams.complete_action(session, node, principal(), action.id)
        with pytest.raises(Conflict):
            teams.complete_action(session, node, principal(), action.id)
        teams.close(session, node, principal(), team.id, EvaluationIn(results="Two convictions"))
        assert team.status == "closed" and team.evaluation["results"] == "Two convictions"
        with pytest.raises(Conflict, match="closed"):
            teams.add_action(
                session,
                node,
                principal(),
                team.id,
                ActionIn(title="late", owner="x", country="FR", due_on=date(2026, 4, 1)),
            )


def test_api_reads_are_audited_and_the_agreement_pdf_is_served(
    node: Node, client: TestClient
) -> None:
    with node.session() as session:
        token = accounts.create_token(
            session, name="FR-analyst", role="analyst", agency="FR", now=node.clock.now()
        )
        team = teams.open_team(session, node, principal(), team_in())
    auth = {"authorization": f"Bearer {token}"}
    got = client.get(f"/api/v1/jit/teams/{team.reference}", headers=auth)
    assert got.status_code == 200 and got.json()["members"][0]["name"]
    with node.session() as session:
        reads = session.query(AuditEntry).filter_by(action="read", object_type="jit.team").count()
    assert reads == 1
    fr = client.get(f"/api/v1/jit/teams/{team.id}/agreement.pdf?lang=fr", headers=auth)
    assert fr.status_code == 200 and fr.content.startswith(b"%PDF")
    bad = client.get(f"/api/v1/jit/teams/{team.id}/agreement.pdf?lang=de", headers=auth)
    assert bad.status_code in (400, 422)
    missing = client.get("/api/v1/jit/teams/nope", headers=auth)
    assert missing.status_code == 404
