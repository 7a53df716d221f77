from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import FrozenClock, accounts


def _token(node: Node, role: str) -> dict[str, str]:
    with node.session() as session:
        raw = accounts.create_token(
            session, name=f"t-{role}", role=role, agency="FR", now=node.clock.now()
        )
    return {"Authorization": f"Bearer {raw}"}


def test_health_is_public_and_names_the_node(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "node": "FR", "version": "0.1.0"}


def test_admin_creates_a_user_and_the_user_can_log_in(client: TestClient, node: Node) -> None:
    admin = _token(node, "admin")
    created = client.post(
        "/api/v1/users",
        json={"username": "be.liaison", "password": "long enough pw", "roles": ["analyst"]},
        headers=admin,
    )
    assert created.status_code == 201
    assert created.json()["roles"] == ["analyst"]
    listed = client.get("/api/v1/users", headers=admin).json()
    assert [u["username"] for u in listed] == ["be.liaison"]
    disabled = client.post("/api/v1/users/be.liaison/disable", headers=admin).json()
    assert disabled["disabled"] is True


def test_malformed_json_gets_a_typed_error(client: TestClient, node: Node) -> None:
    answer = client.post(
        "/api/v1/users",
        content=b'{"username": ',
        headers={**_token(node, "admin"), "content-type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "malformed_input",
        "message": "the request body is not valid JSON",
    }


def test_invalid_fields_name_the_field(client: TestClient, node: Node) -> None:
    answer = client.post(
        "/api/v1/users",
        json={"username": "x y", "password": "short", "roles": []},
        headers=_token(node, "admin"),
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "validation_failed"
    fields = {p["field"] for p in body["details"]["problems"]}
    assert {"body.username", "body.password"} <= fields


def test_the_api_applies_the_one_username_rule(client: TestClient, node: Node) -> None:
    admin = _token(node, "admin")
    for name in ("token:dl-analyst", "peer:BE", "Be.Liaison"):
        answer = client.post(
            "/api/v1/users",
            json={"username": name, "password": "long enough pw", "roles": ["analyst"]},
            headers=admin,
        )
        assert answer.status_code == 422, name
        problems = answer.json()["details"]["problems"]
        assert [p["field"] for p in problems] == ["body.username"]
        assert "not a valid username" in problems[0]["problem"]


def test_oversized_body_is_refused_before_reading(client: TestClient, node: Node) -> None:
    limit = node.settings.max_body_bytes
    answer = client.post(
        "/api/v1/users",
        content=b"x" * (limit + 1),
        headers={**_token(node, "admin"), "content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"] == "payload_too_large"


def test_streamed_oversized_body_is_refused(client: TestClient, node: Node) -> None:
    limit = node.settings.max_body_bytes

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    answer = client.post(
        "/api/v1/users",
        content=chunks(),
        headers={**_token(node, "admin"), "content-type": "application/json"},
    )
    assert answer.status_code == 413


def test_unknown_api_route_is_typed_json(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing")
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


def test_revoked_token_stops_working_at_once(client: TestClient, node: Node) -> None:
    admin = _token(node, "admin")
    made = client.post(
        "/api/v1/tokens", json={"name": "airline-x", "role": "carrier"}, headers=admin
    )
    raw = made.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.json()["roles"] == ["carrier"]
    client.post("/api/v1/tokens/airline-x/revoke", headers=admin)
    again = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert again.status_code == 401
    assert "revoked" in again.json()["message"]


def test_audit_api_lists_and_verifies(client: TestClient, node: Node) -> None:
    dpo = _token(node, "dpo")
    client.post(
        "/api/v1/tokens",
        json={"name": "airline-a", "role": "carrier"},
        headers=_token(node, "admin"),
    )
    page = client.get("/api/v1/audit", params={"action": "admin"}, headers=dpo).json()
    assert page["total"] == 1 and page["entries"][0]["object_type"] == "api_token"
    verify = client.get("/api/v1/audit/verify", headers=dpo).json()
    assert verify["ok"] is True and verify["checked"] >= 2


def test_retention_rules_are_listed_with_their_source(client: TestClient, node: Node) -> None:
    rules = client.get("/api/v1/retention/rules", headers=_token(node, "dpo")).json()
    audit_rule = next(r for r in rules if r["data_class"] == "audit_log")
    assert audit_rule["delete_after_days"] >= 5 * 365
    assert "2016/681" in audit_rule["source"]
    ran = client.post("/api/v1/retention/run", headers=_token(node, "admin")).json()
    assert {r["data_class"] for r in ran} >= {"audit_log", "login_session"}


def test_an_expired_token_is_refused_at_the_next_request(
    client: TestClient, node: Node, clock: FrozenClock
) -> None:
    """The credential is read at every request (never cached): past its expiry it is refused."""
    with node.session() as session:
        raw = accounts.create_token(
            session, name="till", role="carrier", agency="FR", now=clock.now(), days=1
        )
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(timedelta(days=1, seconds=1))
    again = client.get("/api/v1/me", headers=headers)
    assert again.status_code == 401 and "expired" in again.json()["message"]
