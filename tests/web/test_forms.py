"""Every console form keeps its input and answers a bad value with an inline error, never a 500.

The test walks the app's routes: every console POST that takes form fields is sent empty,
over-long, wrong-type and markup values, as a user holding every role."""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.datastructures import UploadFile
from tests.conftest import csrf_of, login, make_user

from passerelle.kit import forms
from passerelle.node import Node
from passerelle.privacy import HUMAN_ROLES
from passerelle.web.app import api_routes

MARKUP = '<script>alert("x")</script><b onmouseover=alert(1)>'
SUMMARY = 'class="error-summary"'
#: Forms outside the walk: the session's own log-out and language switch take no user text.
SKIPPED = {"/logout"}


def _inner(annotation: object) -> set[object]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return {t for a in typing.get_args(annotation) for t in _inner(a)}
    if typing.get_origin(annotation) is list:
        return _inner(typing.get_args(annotation)[0])
    return {annotation}


def _console_forms(app: FastAPI) -> list[tuple[str, dict[str, set[object]], set[str]]]:
    found = []
    for route in api_routes(app):
        if "POST" not in route.methods or route.path.startswith(("/api/", "/federation/")):
            continue
        if route.path in SKIPPED:
            continue
        fields = {f.name: _inner(f.field_info.annotation) for f in route.dependant.body_params}
        fields = {n: t for n, t in fields.items() if UploadFile not in t and n != "csrf_token"}
        required = {f.name for f in route.dependant.body_params if f.field_info.is_required()}
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        found.append((path, fields, required))
    return found


@pytest.fixture
def everyone(client: TestClient, node: Node) -> str:
    make_user(node, "fr.everyone", *HUMAN_ROLES)
    login(client, "fr.everyone")
    return csrf_of(client, "/")


def _post(client: TestClient, path: str, token: str, data: dict[str, str]) -> tuple[int, str]:
    answer = client.post(path, data={**data, "csrf_token": token})
    assert answer.status_code != 500, f"{path} {data} -> 500"
    assert "Something went wrong" not in answer.text, path
    assert "Traceback" not in answer.text, path
    return answer.status_code, answer.text


def test_the_walk_finds_the_console_forms(app: FastAPI) -> None:
    paths = {path for path, _, _ in _console_forms(app)}
    assert {"/admin/users", "/alerts", "/alerts/check", "/pnr/criteria", "/dna/import"} <= paths
    assert len(paths) >= 30


def test_over_long_values_get_an_inline_error_naming_the_limit(
    app: FastAPI, client: TestClient, everyone: str
) -> None:
    for path, fields, _ in _console_forms(app):
        if not fields:
            continue
        data = {n: "x" * (forms.limit_for(n) + 1) for n in fields if forms.limit_for(n) < 100_000}
        if not data:
            continue
        status, text = _post(client, path, everyone, data)
        assert status == 422, f"{path} -> {status}"
        assert SUMMARY in text, path
        kept = [n for n in data if n not in forms.SECRET_FIELDS]  # passwords are never echoed
        if kept:
            assert "x" * (forms.limit_for(kept[0]) + 1) in text, f"{path} lost the input"
        assert re.search(r"(at most|au maximum|maximaal) \d+", text), path


def test_empty_forms_name_the_missing_fields(
    app: FastAPI, client: TestClient, everyone: str
) -> None:
    for path, fields, required in _console_forms(app):
        status, text = _post(client, path, everyone, dict.fromkeys(fields, ""))
        if required - {"csrf_token"}:
            assert status in (400, 422), f"{path} -> {status}"
            assert SUMMARY in text and 'href="#field-' in text, path


def test_wrong_types_get_an_inline_error(app: FastAPI, client: TestClient, everyone: str) -> None:
    typed = 0
    for path, fields, _ in _console_forms(app):
        data = {n: "not-a-value-31/02" for n in fields}
        status, text = _post(client, path, everyone, data)
        checked = {
            n
            for n, t in fields.items()
            if t & {int, bool, date, datetime}
            or n in forms.PARTIAL_DATE_FIELDS | forms.DATE_FIELDS | forms.DATETIME_FIELDS
        }
        if checked:
            typed += 1
            assert status in (400, 422), f"{path} -> {status}"
            assert SUMMARY in text, path
    assert typed >= 5


def test_markup_is_never_executed_nor_a_500(
    app: FastAPI, client: TestClient, everyone: str
) -> None:
    for path, fields, _ in _console_forms(app):
        _, text = _post(client, path, everyone, dict.fromkeys(fields, MARKUP))
        assert '<script>alert("x")' not in text, path
        assert "<b onmouseover" not in text, path


def test_a_bad_date_says_the_expected_format_in_the_users_language(
    client: TestClient, everyone: str
) -> None:
    status, text = _post(
        client, "/alerts/check", everyone, {"family_name": "Martin", "date_of_birth": "31/12/84"}
    )
    assert status == 422
    assert "AAAA-MM-JJ" in text or "YYYY-MM-DD" in text
    assert 'value="Martin"' in text  # the input is kept
    assert 'href="#field-date_of_birth"' in text and 'id="field-date_of_birth"' in text


def test_check_a_person_with_a_very_long_name_is_an_inline_error(
    client: TestClient, everyone: str
) -> None:
    """Issue #17: names over 200 characters gave HTTP 500 in alerts/console.py."""
    status, text = _post(client, "/alerts/check", everyone, {"family_name": "N" * 201})
    assert status == 422
    assert "200" in text and SUMMARY in text
