"""The pre-determined criteria language: what an analyst can write, what the validator
refuses (art. 6(4)), versions and review dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.pnr.service.criteria import active_criteria, compile_expression, save_criterion
from passerelle.privacy import FrozenClock
from tests.conftest import csrf_of, login, make_user

FACTS = {
    "route": "CDG-CMN",
    "payment": ["CASH", "CC"],
    "hours_before_departure": 6.0,
    "checked_in": False,
    "one_way": True,
}


def _crit(text: str) -> bool:
    return compile_expression("T", 1, "t", text).matches(FACTS)


def test_conditions_lists_numbers_and_booleans() -> None:
    assert _crit("route in [CDG-CMN, BRU-CMN] and payment = cash and hours_before_departure < 24")
    assert not _crit("route = BRU-CMN")
    assert _crit("one_way = true and hours_before_departure >= 6")
    assert not _crit("payment != CASH")


def test_unless_weighs_elements_against() -> None:
    assert _crit("route = CDG-CMN unless checked_in = true")
    assert not _crit("route = CDG-CMN unless payment = CC and one_way = true")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nationality = MA", r"art\. 6\(4\)|para\. 197"),
        ("meal = MOML", r"art\. 6\(4\)"),
        ("religion in [X]", r"art\. 6\(4\)"),
        ("favourite_colour = red", "unknown attribute"),
        ("route < 3", "numeric"),
        ("checked_in = maybe", "true or false"),
        ("route in CDG-CMN", "needs a list"),
        ("route = CDG-CMN or payment = CASH", "expected `and`"),
        ("", "at least one condition"),
    ],
)
def test_the_validator_refuses(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        compile_expression("T", 1, "t", text)


def _save(node: Node, code: str, expression: str, days: int = 90) -> int:
    now = node.clock.now()
    with node.session() as session:
        return save_criterion(
            session,
            code=code,
            title="t",
            expression=expression,
            justification="Synthetic, for the tests",
            review_by=now + timedelta(days=days),
            active=True,
            author="sup",
            now=now,
        ).version


def test_each_edit_is_a_new_version_and_only_the_newest_applies(node: Node) -> None:
    assert _save(node, "C1", "route = CDG-CMN") == 1
    assert _save(node, "C1", "route = BRU-CMN") == 2
    with node.session() as session:
        (active,) = active_criteria(session, node.clock.now())
    assert (active.code, active.version) == ("C1", 2)


def test_review_dates_are_required_and_enforced(node: Node, clock: FrozenClock) -> None:
    with pytest.raises(ValidationFailed, match="within 366 days"):
        _save(node, "C2", "route = CDG-CMN", days=400)
    _save(node, "C2", "route = CDG-CMN", days=30)
    clock.advance(timedelta(days=31))
    with node.session() as session:
        assert active_criteria(session, node.clock.now()) == []


def test_criteria_editor_is_for_supervisors(node: Node, client: TestClient) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    body = {
        "code": "C3",
        "title": "Short notice",
        "expression": "hours_before_departure < 12",
        "justification": "Synthetic pattern from an assessment",
        "review_by": "2026-06-01T00:00:00Z",
    }
    assert client.post("/api/v1/pnr/criteria", json=body).status_code == 403
    make_user(node, "fr.supervisor", "supervisor")
    client.cookies.clear()
    client.cookies.set("passerelle_lang", "en")
    login(client, "fr.supervisor")
    headers = {"x-csrf-token": csrf_of(client, "/pnr/criteria")}
    saved = client.post("/api/v1/pnr/criteria", json=body, headers=headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1
    refused = client.post(
        "/api/v1/pnr/criteria", json={**body, "expression": "gender = F"}, headers=headers
    )
    assert refused.status_code == 422
    assert "gender" in refused.json()["message"]
    assert "hours_before_departure &lt; 12" in client.get("/pnr/criteria").text


def test_the_api_and_the_console_audit_a_saved_criterion_alike(
    node: Node, client: TestClient
) -> None:
    import json

    from sqlalchemy import select

    from passerelle.privacy import AuditEntry

    make_user(node, "fr.supervisor", "supervisor")
    login(client, "fr.supervisor")
    token = csrf_of(client, "/pnr/criteria")
    body = {
        "code": "C4",
        "title": "Short notice",
        "expression": "hours_before_departure < 12",
        "justification": "Synthetic pattern from an assessment",
        "review_by": "2026-06-01T00:00:00Z",
    }
    api = client.post("/api/v1/pnr/criteria", json=body, headers={"x-csrf-token": token})
    assert api.status_code == 200, api.text
    form = {**body, "review_by": "2026-06-01", "csrf_token": token}
    assert client.post("/pnr/criteria", data=form, follow_redirects=False).status_code == 303
    with node.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "pnr.criterion")
        ).all()
        rows = [
            (e.object_id, e.purpose, e.legal_basis, sorted(json.loads(e.details))) for e in entries
        ]
    assert [r[0] for r in rows] == ["C4:v1", "C4:v2"]
    assert rows[0][1:] == rows[1][1:]
    assert rows[1][3] == ["expression", "review_by"]
