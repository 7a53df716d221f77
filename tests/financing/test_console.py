"""The FIU's console pages: reports, a finding drawn with its subgraph, confirm or dismiss."""

from __future__ import annotations

from fastapi.testclient import TestClient

from passerelle.financing.service import reports
from passerelle.financing.service.parse import parse_goaml
from passerelle.node import Node
from tests.conftest import csrf_of, login, make_user
from tests.financing.conftest import GOAML


def _seed(node: Node) -> None:
    chain = "".join(
        GOAML.replace("STR-2026-0001", f"STR-{i}")
        .replace("TX-1", f"TX-{i}")
        .replace("<amount_local>9800.00", f"<amount_local>{14_000 + i}")
        .replace("2026-11-02T09", f"2026-11-0{i + 1}T09")
        .replace('<?xml version="1.0" encoding="UTF-8"?>', "")
        for i in range(3)
    )
    with node.session() as session:
        for parsed in parse_goaml(f"<reports>{chain}</reports>".encode()):
            assert reports.accept(session, node, parsed, "test", "goaml") is None


def test_reports_and_a_finding_confirmed(node: Node, client: TestClient) -> None:
    _seed(node)
    make_user(node, "fatima", "fiu")
    login(client, "fatima")
    client.cookies.set("passerelle_lang", "en")
    page = client.get("/financing?q=STR-1")
    assert page.status_code == 200 and "STR-1" in page.text and "STR-2" not in page.text
    assert client.get("/financing?format=csv").text.startswith("reference,reporting_entity")
    token = csrf_of(client, "/financing/findings")
    ran = client.post("/financing/analyse", data={"csrf_token": token}, follow_redirects=False)
    assert ran.status_code == 303
    listing = client.get("/financing/findings").text
    finding_link = listing.split('href="/financing/findings/')[1].split('"')[0]
    detail = client.get(f"/financing/findings/{finding_link}").text
    assert "<svg" in detail and "FATF" in detail and "Splitting under the threshold" in detail
    token = csrf_of(client, f"/financing/findings/{finding_link}")
    client.post(
        f"/financing/findings/{finding_link}/decision",
        data={"csrf_token": token, "decision": "confirmed"},
    )
    assert "confirmed (fatima)" in client.get(f"/financing/findings/{finding_link}").text


def test_other_roles_are_refused(node: Node, client: TestClient) -> None:
    make_user(node, "paul", "analyst", "supervisor")
    login(client, "paul")
    assert client.get("/financing").status_code == 403


def test_a_report_entered_in_the_console_with_errors_shown_inline(
    node: Node, client: TestClient
) -> None:
    make_user(node, "fatima", "fiu")
    login(client, "fatima")
    client.cookies.set("passerelle_lang", "en")
    token = csrf_of(client, "/financing/new")
    form = {"csrf_token": token, "reference": "M-1", "reporting_entity": "BANK",
            "submitted_on": "2026-11-20", "reason": "", "family_name": "Haddad",
            "given_names": "Youssef", "date_of_birth": "1990-13-45",
            "occurred_at": "2026-11-02T10:00", "amount": "-3", "currency": "EUR",
            "from_account": "A1", "to_account": "A2"}  # fmt: skip
    bad = client.post("/financing/new", data=form)
    assert bad.status_code == 422
    assert 'id="err-date_of_birth"' in bad.text and 'value="Haddad"' in bad.text
    fixed = {**form, "date_of_birth": "1990-04-12", "amount": "300"}
    bad_amount = client.post("/financing/new", data={**form, "date_of_birth": "1990-04-12"})
    assert 'id="err-amount"' in bad_amount.text
    stored = client.post("/financing/new", data=fixed, follow_redirects=False)
    assert stored.status_code == 303
    page = client.get(stored.headers["location"]).text
    assert "M-1" in page and "Haddad" in page and "300.00 EUR" in page


def test_home_page_counts_the_findings_to_decide(node: Node, client: TestClient) -> None:
    _seed(node)
    make_user(node, "fatima", "fiu")
    login(client, "fatima")
    client.cookies.set("passerelle_lang", "fr")
    assert "Constats de flux financiers" not in client.get("/").text  # nothing found yet
    token = csrf_of(client, "/financing/findings")
    client.post("/financing/analyse", data={"csrf_token": token}, follow_redirects=False)
    home = client.get("/").text
    assert "Constats de flux financiers à confirmer ou écarter" in home
    assert 'href="/financing/findings"' in home
