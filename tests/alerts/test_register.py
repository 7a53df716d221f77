"""The alert register: validation with nothing half-written, and the live watchlist."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from passerelle.alerts import load_watchlist
from passerelle.alerts.model import Alert
from passerelle.alerts.schemas import PersonCheckIn
from passerelle.alerts.service import hits, register
from passerelle.errors import Conflict, ValidationFailed
from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import Node, open_node
from passerelle.privacy import AuditEntry, FrozenClock, accounts
from passerelle.web.app import create_app
from tests.alerts.conftest import alert_in, principal


def _hits(node: Node, **person: Any) -> set[str]:
    record = PersonRecord("checked", **person)
    return {
        register.alert_of_entry(m.match.entry_id)
        for m in node_watchlists(node.state).screen(record, 0.8)
        if m.list_name == "alerts"
    }


def _count(node: Node) -> tuple[int, int]:
    with node.session() as session:
        alerts = session.scalar(select(func.count()).select_from(Alert)) or 0
        writes = (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.object_type == "alert")
            )
            or 0
        )
    return alerts, writes


def _create(node: Node, **changes: Any) -> Alert:
    with node.session() as session:
        return register.create(session, node, principal(), alert_in(**changes))


VANDENBERGHE = {
    "given_names": "Pieter-Jan",
    "family_name": "Vandenberghe",
    "date_of_birth": "1991-04-17",
}


def test_a_new_alert_is_screened_against_at_once(node: Node) -> None:
    assert _hits(node, **VANDENBERGHE) == set()
    alert = _create(node)
    assert alert.reference == "FR-A-2026-000001"
    assert _hits(node, **VANDENBERGHE) == {alert.id}
    # The alias is listed too, and the match says which alert it belongs to.
    assert _hits(node, full_name="Abou Yahia al-Beljiki", date_of_birth="1991-04-17") == {alert.id}


def test_update_and_withdrawal_change_screening_at_once(node: Node) -> None:
    alert = _create(node)
    with node.session() as session:
        register.update(
            session, node, principal(), alert.id, alert_in(family_name="Verstraeten", aliases=[])
        )
    assert _hits(node, **VANDENBERGHE) == set()
    assert _hits(
        node, given_names="Pieter Jan", family_name="Verstraeten", date_of_birth="1991-04-17"
    ) == {alert.id}
    with node.session() as session:
        register.withdraw(session, node, principal(), alert.id)
    assert (
        _hits(node, given_names="Pieter Jan", family_name="Verstraeten", date_of_birth="1991-04-17")
        == set()
    )
    with node.session() as session, pytest.raises(Conflict, match="withdrawn"):
        register.withdraw(session, node, principal(), alert.id)


def test_a_rolled_back_alert_never_reaches_the_watchlist(node: Node) -> None:
    with pytest.raises(RuntimeError), node.session() as session:
        register.create(session, node, principal(), alert_in())
        raise RuntimeError("the transaction fails after the insert")
    assert _hits(node, **VANDENBERGHE) == set()
    assert _count(node) == (0, 0)


def test_the_watchlist_is_rebuilt_from_the_table_when_a_node_starts(node: Node) -> None:
    alert = _create(node)
    withdrawn = _create(node, family_name="Peeters", given_names="Els", aliases=[])
    with node.session() as session:
        register.withdraw(session, node, principal(), withdrawn.id)
    restarted = open_node(node.settings, clock=node.clock)
    try:
        assert load_watchlist(restarted) == 1
        assert _hits(restarted, **VANDENBERGHE) == {alert.id}
        assert (
            _hits(restarted, given_names="Els", family_name="Peeters", date_of_birth="1991-04-17")
            == set()
        )
    finally:
        restarted.close()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"family_name": None}, "minimum data .*surname"),
        ({"family_name": "  "}, "minimum data .*surname"),
        ({"date_of_birth": None}, "minimum data .*date of birth"),
        ({"reason": ""}, "minimum data .*reason for the alert"),
        ({"action": None}, "minimum data .*action to be taken"),
        ({"category": "art99"}, "unknown alert category 'art99'"),
        ({"category": ""}, "unknown alert category"),
        ({"date_of_birth": "17/04/1991"}, "not a date"),
        ({"date_of_birth": "2030-01-01"}, "in the future"),
        ({"warnings": ["dangerous"]}, "unknown warning flag"),
        ({"valid_until": "2026-01-01"}, "end of validity is in the past"),
        ({"valid_until": "2029-01-01"}, "beyond the category's review period"),
        ({"gender": "Q"}, "gender"),
    ],
)
def test_bad_alerts_are_refused_and_nothing_is_written(
    node: Node, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message), node.session() as session:
        register.create(session, node, principal(), alert_in(**changes))
    assert _count(node) == (0, 0)
    assert _hits(node, **VANDENBERGHE) == set()


def test_only_the_issuing_node_changes_an_alert(node: Node) -> None:
    alert = _create(node)
    with node.session() as session:
        session.get(Alert, alert.id).issuing_node = "BE"  # type: ignore[union-attr]
    with node.session() as session, pytest.raises(Conflict, match="issued by BE"):
        register.update(session, node, principal(), alert.id, alert_in())


def test_search_finds_alerts_by_name_and_reference(node: Node) -> None:
    alert = _create(node)
    _create(node, family_name="Dubois", given_names="Claire", aliases=[], category="art26")
    with node.session() as session:
        by_name = register.search(session, node, principal(), text="vandenb")
        by_ref = register.search(session, node, principal(), text=alert.reference)
        by_category = register.search(session, node, principal(), category="art26")
    assert [a.id for a in by_name] == [alert.id] == [a.id for a in by_ref]
    assert [a.family_name for a in by_category] == ["Dubois"]


def test_the_api_refuses_bad_alerts_with_a_clear_message(node: Node, client: TestClient) -> None:
    with node.session() as session:
        token = accounts.create_token(
            session, name="api", role="analyst", agency="FR", now=node.clock.now()
        )
    headers = {"Authorization": f"Bearer {token}"}
    body = alert_in().model_dump(mode="json")
    missing = client.post(
        "/api/v1/alerts", json={**body, "family_name": None, "reason": ""}, headers=headers
    )
    assert missing.status_code == 422
    assert missing.json()["error"] == "validation_failed"
    assert "surname, reason for the alert" in missing.json()["message"]
    unknown = client.post("/api/v1/alerts", json={**body, "category": "art99"}, headers=headers)
    assert unknown.status_code == 422 and "art99" in unknown.json()["message"]
    assert client.get("/api/v1/alerts", headers=headers).json() == []
    created = client.post("/api/v1/alerts", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json()["category_label"] == "Discreet check"


def test_a_check_ignores_an_alert_past_its_validity_before_retention_runs(
    node: Node, clock: FrozenClock
) -> None:
    _create(node, valid_until="2026-03-10")
    check = PersonCheckIn(
        family_name="Vandenberghe", given_names="Pieter Jan", date_of_birth="1991-04-17"
    )
    with node.session() as session:
        assert len(hits.check(session, node, principal(), check)) == 1
    clock.advance(timedelta(days=9))
    with node.session() as session:
        assert hits.check(session, node, principal(), check) == []


def test_identity_screening_sees_the_alerts_as_soon_as_the_server_starts(node: Node) -> None:
    alert = _create(node)
    restarted = open_node(node.settings, clock=node.clock)
    with restarted.session() as session:
        token = accounts.create_token(
            session, name="screen", role="analyst", agency="FR", now=node.clock.now()
        )
    try:
        with TestClient(create_app(restarted)) as client:
            answer = client.post(
                "/api/v1/identity/screen",
                headers={"Authorization": f"Bearer {token}"},
                json={
                    "id": "border-42",
                    **VANDENBERGHE,
                    "purpose": "border check",
                    "legal_basis": "Regulation (EU) 2018/1862 art. 36",
                },
            )
        assert answer.status_code == 200, answer.text
        assert answer.json()["lists"]["alerts"] == 2  # the name and the alias
        listed = {(m["list"], m["entry_id"]) for m in answer.json()["matches"]}
        assert ("alerts", alert.id) in listed
    finally:
        restarted.close()
