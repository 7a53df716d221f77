"""The evidence API: an authority issues, the provider (its own token) answers."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import accounts
from tests.evidence.conftest import add_provider


def _headers(node: Node, role: str) -> dict[str, str]:
    with node.session() as session:
        token = accounts.create_token(session, name=f"t-{role}", role=role, agency="FR",
                                      now=node.clock.now())  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


ORDER = {
    "form": "EPOC", "authority_type": "investigating_judge", "authority_name": "JI Lille",
    "provider": "telco-be", "category": "identification", "offence": "Escroquerie",
    "targets": [{"kind": "ip", "value": "203.0.113.7", "port": 2100,
                 "at": "2026-12-03T11:15:00Z"}],
    "grounds": "Connexion frauduleuse",
}  # fmt: skip


def test_issue_answer_and_export_through_the_api(node: Node, client: TestClient) -> None:
    provider = {"Authorization": f"Bearer {add_provider(node)}"}
    judge = _headers(node, "judicial")
    bad = client.post(
        "/api/v1/evidence/orders",
        json={**ORDER, "authority_type": "prosecutor", "category": "content"},
        headers=judge,
    )
    assert bad.status_code == 422 and bad.json()["details"]["field"] == "authority_type"
    made = client.post("/api/v1/evidence/orders", json=ORDER, headers=judge)
    assert made.status_code == 201, made.text
    order = made.json()
    assert order["status"] == "issued" and order["urgency"] == "ok"
    # the provider cannot use the authority's routes, and sees its order in its inbox
    assert client.get("/api/v1/evidence/orders", headers=provider).status_code == 403
    inbox = client.get("/api/v1/evidence/provider/orders", headers=provider).json()
    assert [o["reference"] for o in inbox] == [order["reference"]]
    path = f"/api/v1/evidence/provider/orders/{order['id']}"
    assert client.post(f"{path}/ack", headers=provider).json()["status"] == "acknowledged"
    lookup = client.post(f"{path}/nat-lookup", headers=provider,
                         json={"ip": "203.0.113.7", "port": "2100",
                               "timestamp": "2026-12-03T11:15:00Z"})  # fmt: skip
    assert lookup.status_code == 404  # the node's store holds no record for it
    assert (
        client.post(
            f"{path}/nat-lookup",
            headers=provider,
            json={"ip": "x", "port": "1", "timestamp": "2026-12-03T11:15:00Z"},
        ).status_code
        == 400
    )
    answer = client.post(
        f"{path}/answer",
        headers=provider,
        json={
            "files": [
                {"name": "line.txt", "content_base64": base64.b64encode(b"100.64.1.5").decode()}
            ]
        },
    )
    assert answer.status_code == 201, answer.text
    (file,) = answer.json()["files"]
    got = client.get(f"/api/v1/evidence/orders/{order['id']}/files/{file['id']}", headers=judge)
    assert got.content == b"100.64.1.5" and got.headers["x-content-sha256"] == file["sha256"]
    pdf = client.get(f"/api/v1/evidence/orders/{order['id']}/export.pdf?lang=nl", headers=judge)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    exported = client.get(f"/api/v1/evidence/orders/{order['id']}/export.json", headers=judge)
    assert exported.json()["answers"][0]["files"][0]["sha256"] == file["sha256"]
    again = client.post(f"{path}/impossibility", headers=provider,
                        json={"reason": "data_not_held", "explanation": "x"})  # fmt: skip
    assert again.status_code == 409
