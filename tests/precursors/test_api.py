"""POST /api/v1/precursors/check as a seller calls it, and the contact point's reads."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.node import Node
from passerelle.precursors.model import Quarantine, Transaction
from passerelle.precursors.schemas import ProductRow
from passerelle.precursors.service import registers
from passerelle.privacy import accounts
from tests.precursors.conftest import add_seller, sale


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def staff_token(node: Node, role: str = "analyst") -> str:
    with node.session() as session:
        return accounts.create_token(
            session, name=f"t-{role}", role=role, agency="FR", now=node.clock.now()
        )


def test_check_answers_the_contract(node: Node, client: TestClient) -> None:
    _, token = add_seller(node)
    body = sale(product={"sku": "H2O2-30"}).model_dump(mode="json")
    answer = client.post("/api/v1/precursors/check", headers=bearer(token), json=body)
    assert answer.status_code == 200
    data = answer.json()
    assert set(data) == {"decision", "reasons", "reference"}
    assert data["decision"] == "refused"
    assert set(data["reasons"][0]) == {"article", "text"}
    assert "2019/1148" in data["reasons"][0]["article"]


def test_the_check_uses_the_calling_sellers_own_catalogue(node: Node, client: TestClient) -> None:
    _, lille = add_seller(node)
    _, tournai = add_seller(node, "droguerie-tournai", "BE", city="Tournai")
    with node.session() as session:  # a product only Tournai sells
        registers.load_catalogue(
            session,
            "droguerie-tournai",
            [ProductRow(sku="ONLY-BE", trade_name="Perhydrol", cas="7722-84-1", concentration=9)],
        )
    body = sale(product={"sku": "ONLY-BE", "quantity_kg": 1.0}).model_dump(mode="json")
    sold = client.post("/api/v1/precursors/check", headers=bearer(tournai), json=body)
    assert sold.status_code == 200
    with node.session() as session:
        row = session.scalars(
            select(Transaction).where(Transaction.reference == sold.json()["reference"])
        ).one()
    assert (row.seller, row.product, row.cas, row.concentration) == (
        "droguerie-tournai",
        "Perhydrol",
        "7722-84-1",
        9,
    )
    unknown = client.post("/api/v1/precursors/check", headers=bearer(lille), json=body)
    assert unknown.status_code == 404
    assert "ONLY-BE" in unknown.json()["message"]


def test_bad_input_gets_a_typed_error_and_is_quarantined(node: Node, client: TestClient) -> None:
    _, token = add_seller(node)
    broken = client.post("/api/v1/precursors/check", headers=bearer(token), content=b"{nope")
    assert broken.status_code == 400
    assert broken.json()["error"] == "malformed_input"
    body = sale().model_dump(mode="json")
    body["customer"]["date_of_birth"] = "1988-02-31"
    wrong = client.post("/api/v1/precursors/check", headers=bearer(token), json=body)
    assert wrong.status_code == 422
    assert wrong.json()["details"]["field"] == "customer.date_of_birth"
    with node.session() as session:
        kept = list(session.scalars(select(Quarantine)))
    assert [q.raw for q in kept if q.raw == b"{nope"] == [b"{nope"]
    assert len(kept) == 2


def test_only_a_seller_token_may_check_and_sellers_read_nothing(
    node: Node, client: TestClient
) -> None:
    _, token = add_seller(node)
    body = json.dumps(sale().model_dump(mode="json"))
    analyst = bearer(staff_token(node))
    assert client.post("/api/v1/precursors/check", headers=analyst, content=body).status_code == 403
    assert client.get("/api/v1/precursors/transactions", headers=bearer(token)).status_code == 403
    with node.session() as session:
        other = accounts.create_token(
            session, name="not-a-seller", role="marketplace", agency="FR", now=node.clock.now()
        )
    assert (
        client.post("/api/v1/precursors/check", headers=bearer(other), content=body).status_code
        == 404
    )


def test_contact_point_reads_reports_and_acknowledges(node: Node, client: TestClient) -> None:
    _, token = add_seller(node)
    body = sale(indicators=["unusual_quantity"]).model_dump(mode="json")
    ref = client.post("/api/v1/precursors/check", headers=bearer(token), json=body).json()
    assert ref["decision"] == "report"
    analyst = bearer(staff_token(node))
    listed = client.get("/api/v1/precursors/reports?status=open", headers=analyst).json()
    assert [r["transaction"] for r in listed] == [ref["reference"]]
    assert listed[0]["on_time"] is True
    done = client.post(
        f"/api/v1/precursors/reports/{listed[0]['reference']}/acknowledge", headers=analyst
    )
    assert done.json()["acknowledged_at"] is not None
    assert client.get("/api/v1/precursors/reports?status=open", headers=analyst).json() == []
    detail = client.get(f"/api/v1/precursors/transactions/{ref['reference']}", headers=analyst)
    assert detail.json()["verification"]["id_document_checked"] is True


def test_a_seller_reports_a_theft_and_uploads_its_catalogue(node: Node, client: TestClient) -> None:
    _, token = add_seller(node)
    theft = client.post(
        "/api/v1/precursors/reports",
        headers=bearer(token),
        json={
            "kind": "theft",
            "occurred_at": "2026-02-28T22:00:00Z",
            "summary": "Two 25 L drums of nitric acid 60 % stolen from the store room",
        },
    )
    assert theft.status_code == 201
    assert theft.json()["on_time"] is False  # filed 11 h after the 24 h deadline
    csv = b"sku,trade_name,synonyms,cas,concentration\nNEW,Nitromors,,75-52-5,20\nBAD,x,,1,2\n"
    up = client.put("/api/v1/precursors/catalogue", headers=bearer(token), content=csv)
    assert up.json()["written"] == 1
    assert up.json()["errors"][0]["line"] == 3


def test_registering_a_licence_or_a_watched_person_is_audited(
    node: Node, client: TestClient
) -> None:
    from passerelle.privacy import AuditEntry

    boss = bearer(staff_token(node, "supervisor"))
    licence = {
        "country": "BE",
        "number": "BE-LIC-9",
        "family_name": "Claes",
        "substances": ["7722-84-1"],
        "max_concentration": 35.0,
        "valid_from": "2026-01-01T00:00:00+00:00",
        "valid_until": "2027-01-01T00:00:00+00:00",
    }
    assert client.post("/api/v1/precursors/licences", headers=boss, json=licence).status_code == 201
    watched = client.post(
        "/api/v1/precursors/watched",
        headers=boss,
        json={"family_name": "Martens", "reason": "test"},
    )
    assert watched.status_code == 201
    with node.session() as session:
        written = {
            (e.object_type, e.object_id)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "write"))
        }
    assert ("precursors.licence", "BE-LIC-9") in written
    assert ("precursors.watched", watched.json()["id"]) in written
