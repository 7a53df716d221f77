"""The audit log page as a DPO uses it: filters, pages, labels, CSV export."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from tests.conftest import login, make_user

from passerelle.node import Node
from passerelle.privacy import audit


def test_the_audit_log_is_filtered_paged_labelled_and_exported(
    client: TestClient, node: Node
) -> None:
    make_user(node, "fr.dpo", "dpo")
    with node.session() as session:
        for n in range(3):
            node.audit(
                session,
                audit.Actor("fr.retention", "FR"),
                action="erase",
                object_type="pnr.booking",
                object_id=f"b{n}",
                purpose="retention",
                legal_basis="Directive (EU) 2016/681 art. 12",
            )
    login(client, "fr.dpo")
    page = client.get("/audit", params={"action": "erase", "per_page": 2})
    assert page.status_code == 200
    assert "Effacement" in page.text and "Réservation passager" in page.text  # in French
    shown = re.sub(r"<[^>]+>", " ", page.text)
    assert " erase " not in shown and "pnr.booking" not in shown
    assert "1–2 sur 3" in page.text and 'rel="next"' in page.text
    second = client.get("/audit", params={"action": "erase", "per_page": 2, "page": 2})
    assert "3–3 sur 3" in second.text
    exported = client.get("/audit", params={"action": "erase", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["object_id"] for r in rows] == ["b2", "b1", "b0"]
    assert {r["user"] for r in rows} == {"fr.retention"}
    assert client.get("/audit", params={"since": "yesterday"}).status_code == 422
