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
        # Passwords are never echoed; a file field is chosen again, not refilled.
        kept = [n for n in data if n not in forms.SECRET_FIELDS and n != "file"]
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


# ---- every form on its own page ---------------------------------------------------------------

#: Forms of the page frame (language switch, log-out) and the login page take no work input.
FRAME_FORMS = {"/language", "/logout", "/login"}
TEXT_TYPES = {"text", "search", "email", "url", "tel", "date", "datetime-local", "time", ""}


@pytest.fixture(scope="module")
def demo_node(tmp_path_factory: pytest.TempPathFactory) -> typing.Iterator[Node]:
    from passerelle.node import open_node
    from passerelle.privacy import FrozenClock
    from passerelle.seed import seed_demo
    from passerelle.settings import Settings

    data_dir = tmp_path_factory.mktemp("forms") / "node"
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir.parent / 'node.db'}",
        node="FR",
        retention_interval_seconds=0,
    )
    node = open_node(settings, clock=FrozenClock())
    seed_demo(node)
    make_user(node, "fr.everyone", *HUMAN_ROLES)
    yield node
    node.close()


def _heading(html: str) -> str:
    import lxml.html

    found = lxml.html.document_fromstring(html).xpath("//main//h1")
    return " ".join(found[0].text_content().split()) if found else ""


def _forms_of(html: str) -> list[tuple[str, dict[str, str], list[str]]]:
    """``(action, hidden and chosen values, text fields)`` of every POST form of a page."""
    import lxml.html

    found = []
    for form in lxml.html.document_fromstring(html).iter("form"):
        action = form.get("action") or ""
        if (form.get("method") or "").lower() != "post" or action in FRAME_FORMS:
            continue
        values: dict[str, str] = {}
        texts: list[str] = []
        for control in form.iter("input", "textarea", "select"):
            name, kind = control.get("name"), (control.get("type") or "").lower()
            if not name or name == "csrf_token" or kind in ("file", "password", "checkbox"):
                continue
            if kind == "hidden":
                values[name] = control.get("value") or ""
            elif control.tag == "select":
                options = [o.get("value", o.text_content()) for o in control.iter("option")]
                values[name] = next((o for o in options if o), "")
            elif kind in TEXT_TYPES and forms.limit_for(name) < 100_000:
                texts.append(name)
        found.append((action, values, texts))
    return found


def _crawl_forms(client: TestClient) -> dict[str, tuple[str, dict[str, str], list[str]]]:
    """The console's POST forms by action, each with the page it was found on."""
    from tests.web.test_pages import NOT_PAGES, _start_paths

    seen: set[str] = set()
    queue = _start_paths(client.app, "admin")
    for role in HUMAN_ROLES:
        queue += [p for p in _start_paths(client.app, role) if p not in queue]
    found: dict[str, tuple[str, dict[str, str], list[str]]] = {}
    while queue and len(seen) < 150:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.headers.get("content-type", ""):
            continue
        for action, values, texts in _forms_of(page.text):
            pattern = re.sub(r"/[0-9a-f-]{6,}|/\d+", "/N", action)
            if texts and pattern not in found:
                found[pattern] = (path, {"action": action, **values}, texts)
        for link in re.findall(r'href="(/[^"#?]*)"', page.text):
            if link not in seen and not NOT_PAGES.search(link) and link != "/logout":
                queue.append(link)
    return found


@pytest.mark.slow
def test_every_form_shows_its_errors_on_its_own_page(demo_node: Node) -> None:
    """Issue #17: a refused form is shown again on its own page (its heading), GOV.UK-style:
    the summary at the top, each field marked and followed by its message, the input kept."""
    from passerelle.web.app import create_app

    app = create_app(demo_node)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        login(client, "fr.everyone")
        token = csrf_of(client, "/")
        found = _crawl_forms(client)
        assert {"/alerts", "/pnr/criteria", "/dna/import", "/exchange/queries"} <= set(found)
        assert len(found) >= 12, sorted(found)
        problems = []
        for pattern, (page, values, texts) in sorted(found.items()):
            action = values.pop("action")
            heading = _heading(client.get(page).text)
            name = texts[0]
            long = "y" * (forms.limit_for(name) + 1)
            data = {**values, **dict.fromkeys(texts, "z"), name: long, "csrf_token": token}
            answer = client.post(action, data=data, headers={"Referer": "http://testserver" + page})
            text = answer.text
            where = f"{pattern} (from {page})"
            if answer.status_code not in (400, 409, 422):
                problems.append(f"{where}: HTTP {answer.status_code}")
                continue
            if _heading(text) != heading:
                problems.append(f"{where}: shown under {_heading(text)!r}, not {heading!r}")
            if SUMMARY not in text or 'aria-invalid="true"' not in text:
                problems.append(f"{where}: no error summary or no field marked")
            if (
                not re.search(
                    rf'name="{name}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*'
                    rf'name="{name}"',
                    text,
                )
                and f'id="field-{name}"' not in text
            ):
                problems.append(f"{where}: field {name} not marked")
            if long not in text:
                problems.append(f"{where}: the input of {name} was lost")
        assert not problems, "\n".join(problems)


def test_a_form_is_found_on_its_page_without_a_referer(client: TestClient, everyone: str) -> None:
    """The page of a form is also found from its action path (``/pnr/criteria``) or the table
    of form homes (``/alerts`` is posted from ``/alerts/new``)."""
    for path, heading in (("/pnr/criteria", "Critères"), ("/alerts", "signalement")):
        status, text = _post(client, path, everyone, {"title": "t" * 300, "reason": "r" * 5000})
        assert status == 422
        assert heading in _heading(text), (path, _heading(text))
        assert "<title>Erreur" in text and SUMMARY in text


def test_a_refused_hit_report_is_shown_in_the_check_it_came_from(demo_node: Node) -> None:
    """The hit report form lives on the result of a check (a POST): a refused report shows that
    check again with the report's input kept in that candidate's form."""
    from passerelle.synth.people import generate_people
    from passerelle.web.app import create_app

    alerted = generate_people(8, seed=501, locales=("fr_FR", "nl_BE", "ar_AA"))[0]
    person = {
        "family_name": alerted.family_name,
        "given_names": alerted.given_names,
        "date_of_birth": alerted.date_of_birth,
    }
    with TestClient(create_app(demo_node), follow_redirects=False) as client:
        login(client, "fr.everyone")
        token = csrf_of(client, "/alerts/check")
        checked = client.post("/alerts/check", data={**person, "csrf_token": token})
        report = next(f for f in _forms_of(checked.text) if f[0] == "/alerts/hits")
        data = {**report[1], "place": "P" * 201, "checked_at": "31/02/2026", "csrf_token": token}
        data["reason_of_check"] = "border check"
        answer = client.post("/alerts/hits", data=data)
    assert answer.status_code == 422
    assert _heading(answer.text) == _heading(checked.text)
    assert SUMMARY in answer.text and "P" * 201 in answer.text
    assert 'aria-invalid="true"' in answer.text and 'href="#field-' in answer.text
    assert alerted.family_name in answer.text
