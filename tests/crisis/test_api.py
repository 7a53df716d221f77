"""The crisis API: validation endpoint, typed errors for bad input, imports, situation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import accounts
from tests.crisis.conftest import cap_in, cap_xml


def _token(node: Node, role: str = "analyst") -> dict[str, str]:
    with node.session() as session:
        token = accounts.create_token(
            session, name=f"t-{role}", role=role, agency="FR", now=node.clock.now()
        )
    return {"authorization": f"Bearer {token}"}


def test_validate_answers_valid_or_the_schema_error_with_its_line(
    node: Node, client: TestClient
) -> None:
    auth = _token(node)
    ok = client.post("/api/v1/crisis/validate", content=cap_xml(), headers=auth)
    assert ok.json() == {"valid": True, "reason": "", "line": None}
    bad = client.post("/api/v1/crisis/validate", content=cap_xml(status="Real"), headers=auth)
    assert bad.json()["valid"] is False and bad.json()["line"] == 6


def test_bad_input_gets_a_typed_error_naming_the_field(node: Node, client: TestClient) -> None:
    auth = _token(node)
    body = cap_in().model_dump(mode="json")
    body["severity"] = "Apocalyptic"
    refused = client.post("/api/v1/crisis/messages", json=body, headers=auth)
    assert refused.status_code == 422
    assert "severity" in refused.text
    body = cap_in().model_dump(mode="json")
    body["expires"] = "2026-02-30T10:00:00+01:00"
    assert client.post("/api/v1/crisis/messages", json=body, headers=auth).status_code == 422
    missing = client.get("/api/v1/crisis/messages/nope", headers=auth)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    unknown_peer = client.post(
        "/api/v1/crisis/messages/nope/send", json={"peers": ["XX"]}, headers=auth
    )
    assert unknown_peer.status_code == 404
    assert client.get("/api/v1/crisis/situation", headers=_token(node, "dpo")).status_code == 403


def test_imports_store_valid_documents_and_quarantine_the_others(
    node: Node, client: TestClient
) -> None:
    auth = _token(node)
    stored = client.post("/api/v1/crisis/import?source=nccn", content=cap_xml(), headers=auth)
    assert [o["result"] for o in stored.json()] == ["stored"]
    bad = client.post("/api/v1/crisis/import", content=b"<alert>", headers=auth)
    assert bad.json()[0]["result"] == "quarantined"
    listed = client.get("/api/v1/crisis/quarantine", headers=auth).json()
    assert len(listed) == 1 and "not well-formed" in listed[0]["reason"]
    message_id = stored.json()[0]["id"]
    detail = client.get(f"/api/v1/crisis/messages/{message_id}", headers=auth).json()
    assert detail["xml"].startswith("<?xml") and detail["origin"] == "feed:nccn"
    raw = client.get(f"/api/v1/crisis/messages/{message_id}/cap", headers=auth)
    assert raw.headers["content-type"] == "application/cap+xml" and raw.content == cap_xml()
