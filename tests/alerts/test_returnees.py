"""Returnees: fighters visible to analysts; minors only to the child-protection role."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from passerelle.node import Node
from tests.conftest import login, make_user

MINOR = {
    "kind": "minor",
    "family_name": "Haddad",
    "given_names": "Amina",
    "date_of_birth": "2017-05-02",
    "returned_on": "2026-02-01",
    "returned_from": "Syria (synthetic)",
    "protection_measures": ["placement with a guardian", "schooling support"],
    "responsible_authority": "Youth protection service (synthetic)",
}
FIGHTER = {
    "kind": "ftf",
    "family_name": "Morel",
    "given_names": "Kevin",
    "date_of_birth": "1990-01-12",
    "returned_on": "2026-01-15",
    "returned_from": "Iraq (synthetic)",
}


def _as(client: TestClient, node: Node, username: str, *roles: str) -> dict[str, str]:
    client.cookies.clear()
    make_user(node, username, *roles)
    login(client, username)
    page = client.get("/alerts/returnees")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    return {"x-csrf-token": token.group(1)}


def _post(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post("/api/v1/returnees", json=body, headers=headers)


def test_minors_are_visible_only_to_the_minors_role(node: Node, client: TestClient) -> None:
    protector = _as(client, node, "cp.officer", "minors")
    minor = _post(client, protector, MINOR)
    assert minor.status_code == 201
    assert _post(client, protector, FIGHTER).status_code == 201
    listed = client.get("/api/v1/returnees").json()
    assert {r["kind"] for r in listed} == {"ftf", "minor"}
    shown = client.get(f"/api/v1/returnees/{minor.json()['id']}").json()
    assert shown["protection_measures"] == MINOR["protection_measures"]
    page = client.get("/alerts/returnees")
    assert "Haddad" in page.text and "placement with a guardian" in page.text

    analyst = _as(client, node, "an.analyst", "analyst")
    listed = client.get("/api/v1/returnees").json()
    assert [r["family_name"] for r in listed] == ["Morel"]
    assert client.get(f"/api/v1/returnees/{minor.json()['id']}").status_code == 404
    assert "Haddad" not in client.get("/alerts/returnees").text
    refused = _post(client, analyst, MINOR)
    assert refused.status_code == 403
    assert "child-protection" in refused.json()["message"]


def test_a_minor_without_protection_measures_is_refused(node: Node, client: TestClient) -> None:
    protector = _as(client, node, "cp.officer", "minors")
    answer = _post(client, protector, {**MINOR, "protection_measures": []})
    assert answer.status_code == 422
    assert "child-protection measures" in answer.json()["message"]
    assert client.get("/api/v1/returnees").json() == []


def test_the_returnees_list_is_searched_filtered_and_paged(node: Node, client: TestClient) -> None:
    protector = _as(client, node, "fr.minors", "minors", "analyst")
    assert _post(client, protector, MINOR).status_code == 201
    assert _post(client, protector, FIGHTER).status_code == 201
    paged = client.get("/alerts/returnees", params={"per_page": 1})
    assert "1–1 sur 2" in paged.text and 'rel="next"' in paged.text
    fighters = client.get("/alerts/returnees", params={"kind": "ftf"})
    assert FIGHTER["family_name"] in fighters.text and MINOR["family_name"] not in fighters.text
    searched = client.get("/alerts/returnees", params={"q": MINOR["family_name"]})
    assert "1–1 sur 1" in searched.text and MINOR["family_name"] in searched.text
