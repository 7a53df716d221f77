"""/api/v1/financing as an FIU analyst calls it; other roles are refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import accounts

REPORT = {
    "reference": "STR-9",
    "reporting_entity": "BANK1",
    "submitted_on": "2026-11-20",
    "parties": [{"kind": "crypto", "account": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}],
    "transfers": [
        {"number": f"T{i}", "occurred_at": f"2026-11-0{i + 1}T10:00:00Z",
         "amount": 14_000 + i, "currency": "EUR", "from_account": "S", "to_account": f"D{i}"}
        for i in range(3)
    ],
}  # fmt: skip


def token(node: Node, role: str) -> dict[str, str]:
    with node.session() as session:
        value = accounts.create_token(
            session, name=f"t-{role}", role=role, agency="FR", now=node.clock.now()
        )
    return {"authorization": f"Bearer {value}"}


def test_a_report_entered_analysed_and_decided(node: Node, client: TestClient) -> None:
    fiu = token(node, "fiu")
    created = client.post("/api/v1/financing/reports", headers=fiu, json=REPORT)
    assert created.status_code == 201
    again = client.post("/api/v1/financing/reports", headers=fiu, json=REPORT)
    assert again.status_code == 409
    report = client.get(f"/api/v1/financing/reports/{created.json()['id']}", headers=fiu).json()
    assert report["parties"][0]["account"] == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    (finding,) = client.post("/api/v1/financing/analyse", headers=fiu).json()
    assert finding["rule"] == "structuring" and finding["source"].startswith("FATF")
    decided = client.post(
        f"/api/v1/financing/findings/{finding['id']}/decision",
        headers=fiu,
        json={"decision": "dismissed"},
    )
    assert decided.json()["status"] == "dismissed"
    listed = client.get("/api/v1/financing/findings?status=dismissed", headers=fiu).json()
    assert [f["id"] for f in listed] == [finding["id"]]


def test_bad_input_names_the_field_and_other_roles_are_refused(
    node: Node, client: TestClient
) -> None:
    fiu = token(node, "fiu")
    bad = {
        **REPORT,
        "parties": [{"kind": "crypto", "account": "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"}],
    }
    answer = client.post("/api/v1/financing/reports", headers=fiu, json=bad)
    assert answer.status_code == 422 and "Base58Check" in answer.text
    address = client.get("/api/v1/financing/addresses/bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                         headers=fiu)  # fmt: skip
    assert address.json()["kind"] == "segwit-v0"
    wrong = client.get("/api/v1/financing/addresses/0x12", headers=fiu)
    assert wrong.status_code == 422
    analyst = token(node, "analyst")
    assert client.get("/api/v1/financing/reports", headers=analyst).status_code == 403


def test_crypto_addresses_are_screened_against_the_node_list(
    node: Node, client: TestClient
) -> None:
    from passerelle.financing.service import analysis

    fiu = token(node, "fiu")
    assert client.post("/api/v1/financing/reports", headers=fiu, json=REPORT).status_code == 201
    with node.session() as session:
        analysis.add_list_entry(session, node, "crypto", origin="sanctions list (synthetic)",
                                account="0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")  # fmt: skip
    (hit,) = client.get("/api/v1/financing/screening", headers=fiu).json()
    assert hit["address"] == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert hit["list"] == "sanctions list (synthetic)"
