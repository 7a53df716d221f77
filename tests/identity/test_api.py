from __future__ import annotations

from fastapi.testclient import TestClient

from passerelle.identity import PersonRecord
from passerelle.identity.watchlists import node_watchlists
from passerelle.node import Node
from passerelle.privacy import accounts, audit

BASIS = {"purpose": "border check", "legal_basis": "Regulation (EU) 2018/1862 art. 36"}


def _analyst(node: Node) -> dict[str, str]:
    with node.session() as session:
        raw = accounts.create_token(
            session, name="analyst", role="analyst", agency="FR", now=node.clock.now()
        )
    return {"Authorization": f"Bearer {raw}"}


def test_screening_sees_published_and_withdrawn_entries_at_once(
    client: TestClient, node: Node
) -> None:
    lists = node_watchlists(node.state)
    lists.publish(
        "alerts", PersonRecord("A-1", full_name="Sergei Ivanov", date_of_birth="1980-04-12")
    )
    headers = _analyst(node)
    body = {"id": "pax-7", "full_name": "Сергей Иванов", "date_of_birth": "1980-04-12", **BASIS}
    found = client.post("/api/v1/identity/screen", json=body, headers=headers).json()
    assert [(m["list"], m["entry_id"]) for m in found["matches"]] == [("alerts", "A-1")]
    assert found["matches"][0]["score"] >= found["threshold"]
    assert found["matches"][0]["explanation"]
    assert found["lists"] == {"alerts": 1}

    lists.withdraw("alerts", "A-1")
    again = client.post("/api/v1/identity/screen", json=body, headers=headers).json()
    assert again["matches"] == []


def test_screening_is_audited_with_purpose_and_legal_basis(client: TestClient, node: Node) -> None:
    body = {"id": "pax-8", "full_name": "Jean Dupont", **BASIS}
    assert (
        client.post("/api/v1/identity/screen", json=body, headers=_analyst(node)).status_code == 200
    )
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery(object_type="watchlist"))
    assert (entries[0].object_id, entries[0].purpose) == ("pax-8", "border check")
    assert entries[0].legal_basis == BASIS["legal_basis"]


def test_screening_needs_purpose_and_legal_basis(client: TestClient, node: Node) -> None:
    answer = client.post(
        "/api/v1/identity/screen",
        json={"id": "x", "full_name": "Jean Dupont"},
        headers=_analyst(node),
    )
    assert answer.status_code == 422
    assert "purpose" in answer.json()["message"]
