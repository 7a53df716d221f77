"""Error responses: integer parameters out of range are a typed 400, and every error response
carries the security headers (red-team finding: ids above 2**63 gave 500 without the CSP)."""

from __future__ import annotations

import re
import typing

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import RoleRequirement, accounts
from passerelle.web.app import api_routes

HUGE = str(2**64)


def _int_params(route: APIRoute) -> tuple[list[str], list[str]]:
    def ints(fields: list[typing.Any]) -> list[str]:
        found = []
        for field in fields:
            annotation = field.field_info.annotation
            if annotation is int or int in typing.get_args(annotation):
                found.append(field.alias)
        return found

    return ints(route.dependant.path_params), ints(route.dependant.query_params)


def _role(route: APIRoute) -> str | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, RoleRequirement):
            return sorted(dep.call.roles)[0]
        stack.extend(dep.dependencies)
    return None


def _assert_security_headers(response: typing.Any, what: str) -> None:
    assert "default-src 'self'" in response.headers.get("content-security-policy", ""), what
    assert response.headers.get("x-frame-options") == "DENY", what
    assert response.headers.get("x-content-type-options") == "nosniff", what


def test_every_integer_parameter_is_range_checked(app: FastAPI, node: Node) -> None:
    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    tokens: dict[str, str] = {}
    checked = []
    for route in api_routes(app):
        path_ints, query_ints = _int_params(route)
        role = _role(route)
        if not (path_ints or query_ints) or role is None:
            continue
        if role not in tokens:
            with node.session() as session:
                tokens[role] = accounts.create_token(
                    session, name=f"range-{role}", role=role, agency="FR", now=node.clock.now()
                )
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        path = route.path
        for name in path_ints:
            path = path.replace("{" + name + "}", HUGE)
        path = re.sub(r"\{[^}]+\}", "x", path)
        for method in sorted(route.methods - {"HEAD"}):
            for query in [{n: HUGE} for n in query_ints] or [{}]:
                response = client.request(method, path, params=query, headers=headers)
                what = f"{method} {path} {query} -> {response.status_code}"
                assert response.status_code == 400, what
                if path.startswith("/api/"):
                    assert response.json()["error"] == "out_of_range", what
                _assert_security_headers(response, what)
                checked.append(what)
    assert len(checked) >= 15


def test_an_unexpected_error_still_carries_the_security_headers(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/boom-for-test", boom)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/api/v1/boom-for-test")
    assert response.status_code == 500
    assert response.json()["error"] == "error"
    assert "a bug" not in response.text
    _assert_security_headers(response, "500")


def test_typed_errors_carry_the_security_headers(client: TestClient, node: Node) -> None:
    for path in ("/api/v1/me", "/api/v1/nothing-here", "/login?next=/x"):
        response = client.get(path)
        _assert_security_headers(response, f"{path} -> {response.status_code}")
    too_large = client.post("/api/v1/pnr/pnrgov", content=b"x" * (node.settings.max_body_bytes + 1))
    assert too_large.status_code == 413
    _assert_security_headers(too_large, "413")


@pytest.mark.parametrize(
    ("language", "title", "hint"),
    [
        ("fr", "Page introuvable", "Vérifiez"),
        ("nl", "Pagina niet gevonden", "Controleer het adres"),
        ("en", "Page not found", "Check the address"),
    ],
)
def test_the_404_page_speaks_the_readers_language(
    client: TestClient, language: str, title: str, hint: str
) -> None:
    """Issue #17: the 404 page was French with an English message for everyone."""
    by_header = client.get("/no/such/page", headers={"Accept-Language": language})
    assert by_header.status_code == 404
    assert f'<html lang="{language}">' in by_header.text
    assert title in by_header.text and hint in by_header.text
    assert "nothing at" not in by_header.text or language == "en"
    client.cookies.set("passerelle_lang", language)
    assert title in client.get("/still/nothing").text


def test_the_500_page_speaks_the_readers_language_and_hides_internals(app: FastAPI) -> None:
    @app.get("/boom-nl")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/boom-nl", headers={"Accept-Language": "nl"})
    assert answer.status_code == 500
    assert "Sorry, er is een probleem met de dienst" in answer.text
    assert "secret internal detail" not in answer.text
    assert "Something went wrong" not in answer.text


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("fr", ("Votre rôle", "Cette page est réservée à ces rôles")),
        ("nl", ("Uw rol", "Deze pagina is voor deze rollen")),
    ],
)
def test_the_403_page_speaks_the_readers_language(
    client: TestClient, node: Node, locale: str, words: tuple[str, str]
) -> None:
    """Issue #17: the refusal's own text stayed English on FR and NL screens."""
    from tests.conftest import login, make_user

    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    client.cookies.set("passerelle_lang", locale)
    page = client.get("/admin")
    assert page.status_code == 403
    assert "needs one of" not in page.text and "does not allow" not in page.text
    assert words[1] in page.text
    assert words[0] in page.text
    detail = re.findall(r"<p class=\"error\"[^>]*>([^<]*)", page.text)[0]
    assert ": admin." not in detail  # the role by its label, not its code


def test_a_refusal_of_a_service_is_translated(client: TestClient, node: Node) -> None:
    from passerelle.errors import PermissionDenied
    from passerelle.kit import i18n
    from passerelle.web.errors import _detail

    i18n.set_locale("nl")
    assert _detail(PermissionDenied("only the requester may use this approval")) == (
        "alleen de verzoeker mag deze goedkeuring gebruiken"
    )
