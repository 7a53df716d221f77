"""Walk every route of the app: none answers without authentication and the right role."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import ROLES, RoleRequirement, accounts
from passerelle.web.app import PUBLIC_PATHS, SIGNED_PATHS, api_routes


def _requirement(route: APIRoute) -> RoleRequirement | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, RoleRequirement):
            return dep.call
        stack.extend(dep.dependencies)
    return None


def _routes(app: FastAPI) -> list[tuple[APIRoute, str, str]]:
    found = []
    for route in api_routes(app):
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        for method in sorted(route.methods - {"HEAD"}):
            found.append((route, method, path))
    return found


def _tokens(node: Node) -> dict[str, str]:
    with node.session() as session:
        return {
            role: accounts.create_token(
                session, name=f"walk-{role}", role=role, agency="FR", now=node.clock.now()
            )
            for role in ROLES
        }


def test_every_route_declares_roles_unless_public(app: FastAPI, client: TestClient) -> None:
    missing = [
        f"{method} {route.path}"
        for route, method, _ in _routes(app)
        if _requirement(route) is None and route.path not in PUBLIC_PATHS | SIGNED_PATHS
    ]
    assert missing == []


def test_no_route_answers_without_authentication(app: FastAPI, client: TestClient) -> None:
    checked = 0
    for route, method, path in _routes(app):
        if route.path in PUBLIC_PATHS | SIGNED_PATHS:
            continue
        response = client.request(method, path)
        if path.startswith("/api/"):
            assert response.status_code == 401, f"{method} {path} -> {response.status_code}"
            assert response.json()["error"] == "not_authenticated"
        elif method == "GET":
            assert response.status_code == 303, f"{method} {path} -> {response.status_code}"
            assert response.headers["location"].startswith("/login")
        else:
            assert response.status_code == 401, f"{method} {path} -> {response.status_code}"
        checked += 1
    assert checked >= 15


def test_signed_paths_refuse_unsigned_requests(app: FastAPI, client: TestClient) -> None:
    for route, method, path in _routes(app):
        if route.path in SIGNED_PATHS:
            response = client.request(method, path, content=b"{}")
            assert response.status_code == 401, f"{method} {path} -> {response.status_code}"


def test_no_route_answers_to_the_wrong_role(app: FastAPI, client: TestClient, node: Node) -> None:
    tokens = _tokens(node)
    checked = 0
    for route, method, path in _routes(app):
        requirement = _requirement(route)
        if requirement is None:
            continue
        wrong = sorted(set(ROLES) - requirement.roles)
        for role in wrong:
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            response = client.request(method, path, headers=headers)
            assert response.status_code == 403, f"{role}: {method} {path} -> {response.status_code}"
            checked += 1
        right = sorted(requirement.roles)[0]
        response = client.request(
            method, path, headers={"Authorization": f"Bearer {tokens[right]}"}
        )
        assert response.status_code not in (401, 403), f"{right}: {method} {path}"
    assert checked >= 50
