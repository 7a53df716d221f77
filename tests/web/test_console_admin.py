"""Administration in the console: usernames checked, dangerous acts confirmed, every act audited
and announced (issue #17)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import PASSWORD, csrf_of, login, make_user

from passerelle.errors import InvalidCredentials
from passerelle.node import Node
from passerelle.privacy import accounts, audit


def _admin(client: TestClient, node: Node) -> str:
    make_user(node, "fr.admin", "admin")
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.admin")
    return csrf_of(client, "/admin")


def _details(entry: Any) -> dict[str, Any]:
    raw = entry.details or {}
    return dict(json.loads(raw) if isinstance(raw, str) else raw)


def _admin_ops(node: Node) -> list[tuple[str, str]]:
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery(action="admin"))
    return [(e.object_id, _details(e).get("op", "")) for e in entries]


def test_a_bad_username_is_shown_next_to_its_field_with_the_input_kept(
    client: TestClient, node: Node
) -> None:
    token = _admin(client, node)
    for bad in ("with space", "a/b", "<script>x</script>", "É"):
        answer = client.post(
            "/admin/users",
            data={"username": bad, "display_name": "Kept Name", "password": "x" * 12,
                  "roles": "analyst", "csrf_token": token},
        )  # fmt: skip
        assert answer.status_code == 422, bad
        assert 'href="#field-username"' in answer.text and 'id="error-username"' in answer.text
        assert 'value="Kept Name"' in answer.text  # the rest of the input is kept
        assert "<script>x</script>" not in answer.text
    with node.session() as session:
        assert {u.username for u in accounts.list_users(session)} == {"fr.admin", "fr.analyst"}


def test_a_long_display_name_and_a_duplicate_user_are_inline_errors(
    client: TestClient, node: Node
) -> None:
    token = _admin(client, node)
    form = {"username": "fr.new", "password": "x" * 12, "roles": "analyst", "csrf_token": token}
    long = client.post("/admin/users", data={**form, "display_name": "N" * 5000})
    assert long.status_code == 422 and 'href="#field-display_name"' in long.text
    dup = client.post("/admin/users", data={**form, "username": "fr.analyst"})
    assert dup.status_code == 409 and "existe déjà" in dup.text
    none = client.post("/admin/users", data={**form, "roles": ""})
    assert none.status_code == 422 and 'href="#field-roles"' in none.text


def test_disabling_asks_a_reason_then_acts_audits_and_says_so(
    client: TestClient, node: Node
) -> None:
    token = _admin(client, node)
    url = "/admin/users/fr.analyst/disable"
    step = client.post(url, data={"csrf_token": token})
    assert step.status_code == 200 and "fr.analyst" in step.text
    assert "ne pourra plus se connecter" in step.text  # names what will happen
    no_reason = client.post(url, data={"csrf_token": token, "confirmed": "yes"})
    assert no_reason.status_code == 422 and 'href="#field-reason"' in no_reason.text
    with node.session() as session:
        assert accounts.get_user(session, "fr.analyst").disabled_at is None
    done = client.post(url, data={"csrf_token": token, "confirmed": "yes", "reason": "left"})
    assert done.status_code == 303
    page = client.get("/admin").text
    assert "Utilisateur fr.analyst désactivé" in page  # the success message, once
    assert "Utilisateur fr.analyst désactivé" not in client.get("/admin").text
    with node.session() as session:
        assert accounts.get_user(session, "fr.analyst").disabled_at is not None
        entries, _ = audit.search(session, audit.AuditQuery(action="admin"))
    assert any(_details(e).get("reason") == "left" for e in entries)


def test_enable_again_change_roles_and_reset_password_are_audited(
    client: TestClient, node: Node
) -> None:
    token = _admin(client, node)
    client.post("/admin/users/fr.analyst/disable",
                data={"csrf_token": token, "confirmed": "yes", "reason": "leave"})  # fmt: skip
    again = client.post("/admin/users/fr.analyst/enable",
                        data={"csrf_token": token, "confirmed": "yes"})  # fmt: skip
    assert again.status_code == 303
    roles = client.post(
        "/admin/users/fr.analyst/roles",
        data={"csrf_token": token, "roles": ["analyst", "supervisor"]},
    )
    assert roles.status_code == 303
    assert "superviseur" in client.get("/admin").text.lower()
    short = client.post("/admin/users/fr.analyst/password",
                        data={"csrf_token": token, "new_password": "short"})  # fmt: skip
    assert short.status_code == 422 and 'href="#field-new_password"' in short.text
    reset = client.post("/admin/users/fr.analyst/password",
                        data={"csrf_token": token, "new_password": "a new password 1"})  # fmt: skip
    assert reset.status_code == 303
    with node.session() as session:
        user = accounts.get_user(session, "fr.analyst")
        assert user.disabled_at is None and user.roles.split() == ["analyst", "supervisor"]
        assert accounts.authenticate(session, "fr.analyst", "a new password 1")
    assert {("fr.analyst", op) for op in ("disable", "enable", "roles", "password_reset")} <= set(
        _admin_ops(node)
    )
    with node.session() as session, pytest.raises(InvalidCredentials):
        accounts.authenticate(session, "fr.analyst", PASSWORD)  # the old password is gone


def test_an_invalid_username_in_the_address_is_refused_not_found(
    client: TestClient, node: Node
) -> None:
    token = _admin(client, node)
    answer = client.post("/admin/users/a%20b/disable", data={"csrf_token": token})
    assert answer.status_code == 422
    assert "Something went wrong" not in answer.text
