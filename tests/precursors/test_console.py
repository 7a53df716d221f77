"""The contact point's console pages: lists with search and CSV export, detail pages,
acknowledgement with its confirmation, the watch form with inline errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.precursors.service import check, registers
from tests.conftest import csrf_of, login, make_user
from tests.precursors.conftest import add_seller, principal, sale


def _seed(node: Node) -> str:
    seller, _ = add_seller(node)
    with node.session() as session:
        out = check.check(
            session,
            node,
            principal(),
            registers.get_seller(session, seller.code),
            sale(indicators=["evasive"]),
            notify=False,
        )
        return out.out.reference


def test_transactions_list_detail_and_export(node: Node, client: TestClient) -> None:
    ref = _seed(node)
    make_user(node, "cp", "analyst")
    login(client, "cp")
    page = client.get("/precursors?q=Lef")
    assert page.status_code == 200 and ref in page.text
    assert ref not in client.get("/precursors?q=nobody").text
    detail = client.get(f"/precursors/t/{ref}")
    assert "Vérification (art. 8)" in detail.text and "art. 9" in detail.text
    export = client.get("/precursors/transactions.csv")
    assert export.headers["content-type"].startswith("text/csv")
    assert ref in export.text.splitlines()[1]
    assert client.get("/precursors/statistics").status_code == 200


def test_a_report_is_acknowledged_with_a_confirmation(node: Node, client: TestClient) -> None:
    _seed(node)
    make_user(node, "cp", "analyst")
    login(client, "cp")
    listing = client.get("/precursors/reports?status=open")
    assert "Ouvert" in listing.text
    ref = listing.text.split("/precursors/reports/")[1].split('"')[0]
    token = csrf_of(client, f"/precursors/reports/{ref}")
    done = client.post(f"/precursors/reports/{ref}/acknowledge", data={"csrf_token": token})
    assert done.status_code == 303
    page = client.get(done.headers["location"])
    assert 'role="status"' in page.text and "Prendre en charge</button>" not in page.text
    assert ref in client.get("/precursors/reports.csv").text
    refused = client.post(f"/precursors/reports/{ref}/acknowledge", data={"csrf_token": "x"})
    assert refused.status_code == 403


def test_watch_form_shows_errors_inline_and_needs_a_supervisor(
    node: Node, client: TestClient
) -> None:
    make_user(node, "sup", "supervisor")
    login(client, "sup")
    token = csrf_of(client, "/precursors/watched")
    bad = client.post(
        "/precursors/watched",
        data={
            "csrf_token": token,
            "family_name": "Martens",
            "date_of_birth": "1979-02-30",
            "reason": "",
        },
    )
    assert bad.status_code == 422
    assert 'id="err-reason"' in bad.text and 'value="Martens"' in bad.text
    good = client.post(
        "/precursors/watched",
        data={"csrf_token": token, "family_name": "Martens", "reason": "demo"},
    )
    assert good.status_code == 200 and 'role="status"' in good.text
    patterns = client.post("/precursors/patterns/run", data={"csrf_token": token})
    assert "found=0" in patterns.headers["location"]


def test_pages_in_dutch(node: Node, client: TestClient) -> None:
    make_user(node, "cp", "analyst")
    login(client, "cp")
    client.post("/language", data={"locale": "nl", "csrf_token": csrf_of(client)})
    assert "Meldingen" in client.get("/precursors/reports").text
