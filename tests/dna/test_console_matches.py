"""DNA matches in the console: a list with filters and CSV export, and one match shown locus by
locus with the differing alleles marked."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import audit
from tests.conftest import csrf_of, login, make_user
from tests.dna.nodes import csv_of


def _near_match(client: TestClient) -> str:
    token = csrf_of(client, "/dna")
    imported = client.post(
        "/dna/import",
        data={
            "csrf_token": token,
            "csv_text": csv_of({"FR-1": {}, "FR-2": {"D3S1358": "15,17"}}),
            "sample_type": "crime_stain",
        },
    )
    assert imported.status_code == 200
    client.post("/dna/search", data={"csrf_token": token, "profile_id": "FR-1"})
    listing = client.get("/dna")
    link = re.search(r'href="(/dna/matches/\d+)"', listing.text)
    assert link, "each match links to its page"
    return link.group(1)


def test_a_match_shows_both_profiles_and_marks_the_differing_allele(
    node: Node, client: TestClient
) -> None:
    make_user(node, "lea", "analyst")
    login(client, "lea")
    path = _near_match(client)
    page = client.get(path)
    assert page.status_code == 200
    assert "FR-1" in page.text and "FR-2" in page.text
    assert "Trace de scène de crime" in page.text  # the sample type, in French
    row = re.search(r'<tr class="overdue"><th scope="row">D3S1358</th>(.*?)</tr>', page.text, re.S)
    assert row, "the locus that differs is marked"
    assert '<span class="differs"' in row.group(1) and "17" in row.group(1)
    same = re.search(r'<tr ><th scope="row">TH01</th>(.*?)</tr>', page.text, re.S)
    assert same and "differs" not in same.group(1)
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery(object_type="dna.profile"))
    assert {"FR-1", "FR-2"} <= {e.object_id for e in entries}  # both reads audited


def test_matches_are_filtered_and_exported(node: Node, client: TestClient) -> None:
    make_user(node, "lea", "analyst")
    login(client, "lea")
    _near_match(client)
    assert "FR-2" in client.get("/dna", params={"scope": "national"}).text
    assert "FR-2" not in client.get("/dna", params={"scope": "out"}).text
    assert "FR-2" not in client.get("/dna", params={"status": "confirmed"}).text
    exported = client.get("/dna", params={"q": "FR-2", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["searched_profile"], r["matched_profile"], r["status"]) for r in rows] == [
        ("FR-1", "FR-2", "candidate")
    ]
