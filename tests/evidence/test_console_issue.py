"""The issuing authority's console form (/evidence/new): an order issued through the API's
service, each rule of the regulation refused inline on the form's own page with the input
kept, a supervisor refused, the CSRF token required."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.evidence.console_issue import parse_targets
from passerelle.evidence.model import Order
from passerelle.kit.forms import FormInvalid
from passerelle.node import Node
from tests.conftest import csrf_of, login, make_user
from tests.evidence.conftest import add_provider

FORM = {
    "form": "EPOC",
    "authority_type": "investigating_judge",
    "authority_name": "Juge d'instruction, TJ Lille",
    "provider": "telco-be",
    "category": "identification",
    "offence": "Escroquerie en bande organisée",
    "max_sentence_years": "10",
    "targets": "ip 203.0.113.7 2100 2026-12-01T11:15\nemail victime@example.org",
    "grounds": "Connexion frauduleuse à un compte bancaire.",
}


def _judge(node: Node, client: TestClient) -> str:
    add_provider(node)
    make_user(node, "juge", "judicial")
    login(client, "juge")
    return csrf_of(client, "/evidence/new")


def _orders(node: Node) -> list[Order]:
    with node.session() as session:
        return list(session.scalars(select(Order)))


def test_a_judge_issues_an_order_from_the_form(node: Node, client: TestClient) -> None:
    token = _judge(node, client)
    assert 'href="/evidence/new"' in client.get("/evidence").text
    page = client.get("/evidence/new")
    assert page.status_code == 200 and "Émettre une injonction" in page.text
    assert "Telco Belgique SA — BE" in page.text
    done = client.post("/evidence/new", data={**FORM, "csrf_token": token},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    (order,) = _orders(node)
    assert done.headers["location"] == f"/evidence/orders/{order.id}"
    assert order.provider == "telco-be" and order.enforcing_country == "BE"
    assert order.issued_by == "juge" and order.due_at is not None
    assert order.targets[0] == {"kind": "ip", "value": "203.0.113.7", "port": 2100,
                                "at": "2026-12-01T11:15:00Z"}  # fmt: skip
    shown = client.get(done.headers["location"]).text
    assert f"Injonction {order.reference} émise." in shown


def test_a_prosecutor_ordering_traffic_data_is_refused_inline(
    node: Node, client: TestClient
) -> None:
    token = _judge(node, client)
    data = {**FORM, "csrf_token": token, "authority_type": "prosecutor", "category": "traffic",
            "targets": "phone +32470000000"}  # fmt: skip
    refused = client.post("/evidence/new", data=data)
    assert refused.status_code == 422
    assert 'class="error-summary"' in refused.text and 'id="issue"' in refused.text
    assert "art. 4(1)-(3)" in refused.text and "juge, un tribunal" in refused.text
    assert "Juge d'instruction, TJ Lille" in refused.text  # input kept
    assert _orders(node) == []


def test_the_offence_threshold_and_a_bad_target_line_are_shown_inline(
    node: Node, client: TestClient
) -> None:
    token = _judge(node, client)
    data = {**FORM, "csrf_token": token, "category": "traffic", "max_sentence_years": "2",
            "targets": "phone +32470000000"}  # fmt: skip
    low = client.post("/evidence/new", data=data)
    assert low.status_code == 422 and "au moins 3 ans" in low.text
    assert 'aria-invalid="true"' in low.text and 'name="max_sentence_years"' in low.text
    bad = client.post("/evidence/new", data={**FORM, "csrf_token": token,
                                             "targets": "ip 203.0.113.7"})  # fmt: skip
    assert bad.status_code == 422 and "Ligne 1" in bad.text and "RFC 6302" in bad.text
    empty = client.post("/evidence/new", data={**FORM, "csrf_token": token, "offence": ""})
    assert empty.status_code == 422 and 'id="issue"' in empty.text
    assert _orders(node) == []


def test_a_supervisor_may_not_issue_and_the_csrf_token_is_required(
    node: Node, client: TestClient
) -> None:
    add_provider(node)
    make_user(node, "chef", "supervisor")
    login(client, "chef")
    assert 'href="/evidence/new"' not in client.get("/evidence").text
    assert client.get("/evidence/new").status_code == 403
    token = csrf_of(client, "/evidence")
    assert client.post("/evidence/new", data={**FORM, "csrf_token": token}).status_code == 403
    make_user(node, "juge", "judicial")
    client.cookies.clear()
    login(client, "juge")
    assert client.post("/evidence/new", data=FORM).status_code == 403
    assert _orders(node) == []


def test_target_lines_are_parsed_like_the_api_fields() -> None:
    assert parse_targets("Account  u123\n\nphone +33600000000") == [
        {"kind": "account", "value": "u123"},
        {"kind": "phone", "value": "+33600000000"},
    ]
    for bad in ("fax 123", "ip 1.2.3.4 x 2026-12-01T10:00", "", "ip 1.2.3.4 80 hier"):
        try:
            parse_targets(bad)
        except FormInvalid as exc:
            assert exc.problems[0].field == "targets"
        else:
            raise AssertionError(bad)
