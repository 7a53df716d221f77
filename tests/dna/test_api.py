"""The REST API and the console pages of the DNA domain: roles, JSON and CSV imports with their
validation report, national search with quality and RMP, the match list."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import accounts
from tests.conftest import csrf_of, login, make_user
from tests.dna.conftest import BASE
from tests.dna.nodes import OTHER, csv_of


def _tokens(node: Node) -> dict[str, dict[str, str]]:
    with node.session() as session:
        return {
            role: {
                "authorization": "Bearer "
                + accounts.create_token(
                    session, name=f"t-{role}", role=role, agency="FR", now=node.clock.now()
                )
            }
            for role in ("analyst", "supervisor", "dpo", "admin")
        }


def _json_profile(pid: str, **changes: str) -> dict[str, Any]:
    merged = {**BASE, **changes}
    return {"profile_id": pid, "loci": {k: v.split(",") for k, v in merged.items()}}


def test_api_import_search_and_matches_with_roles(node: Node, client: TestClient) -> None:
    auth = _tokens(node)
    body = {
        "profiles": [
            _json_profile("FR-1"),
            _json_profile("FR-2", TH01="6,9.2"),
            _json_profile("FR-3", vWA="17,99999"),
        ],
        "sample_type": "crime_stain",
    }
    assert client.post("/api/v1/dna/profiles", json=body, headers=auth["dpo"]).status_code == 403
    assert client.post("/api/v1/dna/profiles", json=body).status_code == 401
    imported = client.post("/api/v1/dna/profiles", json=body, headers=auth["analyst"])
    assert imported.status_code == 201, imported.text
    report = imported.json()
    assert report["accepted"] == ["FR-1", "FR-2"] and report["rejected"] == ["FR-3"]
    assert report["errors"][0]["line"] == 3  # the third profile of the list

    csv = csv_of({"FR-4": OTHER})
    stored = client.post(
        "/api/v1/dna/profiles?sample_type=reference_person&kit=NGM",
        content=csv,
        headers={**auth["supervisor"], "content-type": "text/csv"},
    )
    assert stored.status_code == 201, stored.text
    profile = client.get("/api/v1/dna/profiles/FR-4", headers=auth["analyst"]).json()
    assert (profile["sample_type"], profile["kit"], profile["exchangeable"]) == (
        "reference_person",
        "NGM",
        True,
    )
    assert client.get("/api/v1/dna/profiles/FR-4", headers=auth["dpo"]).status_code == 403
    assert client.get("/api/v1/dna/profiles/NOPE", headers=auth["analyst"]).status_code == 404

    found = client.post("/api/v1/dna/search", json={"profile_id": "FR-1"}, headers=auth["analyst"])
    assert found.status_code == 200, found.text
    (hit,) = found.json()["hits"]
    assert (hit["matched_profile"], hit["quality"], hit["quality_name"]) == (
        "FR-2",
        3,
        "microvariant",
    )
    assert hit["needs_lab_confirmation"] and 0 < hit["rmp"] < 1e-9
    codis = client.post(
        "/api/v1/dna/search",
        json={"loci": {k: v.split(",") for k, v in BASE.items()}, "stringency": "high"},
        headers=auth["supervisor"],
    ).json()
    assert [h["matched_profile"] for h in codis["hits"]] == ["FR-1"]
    assert client.post("/api/v1/dna/search", json={}, headers=auth["analyst"]).status_code == 422

    listed = client.get("/api/v1/dna/matches", headers=auth["dpo"])
    assert listed.status_code == 200
    assert [(m["rule"], m["matched"]) for m in listed.json()] == [
        ("codis-high", "FR-1"),
        ("prum", "FR-2"),
    ]
    assert client.get("/api/v1/dna/matches", headers=auth["admin"]).status_code == 403


def test_nothing_importable_answers_422_with_the_report(node: Node, client: TestClient) -> None:
    auth = _tokens(node)
    bad = client.post(
        "/api/v1/dna/profiles",
        content="profile_id,locus,allele_1,allele_2\nX,TH01,6,9.33\n",
        headers={**auth["analyst"], "content-type": "text/csv"},
    )
    assert bad.status_code == 422
    assert bad.json()["rejected"] == ["X"] and bad.json()["errors"][0]["line"] == 2
    broken = client.post(
        "/api/v1/dna/profiles",
        content="id,locus\n",
        headers={**auth["analyst"], "content-type": "text/csv"},
    )
    assert broken.status_code == 400
    assert "missing column" in broken.json()["message"]


def test_console_import_search_and_match_list(node: Node, client: TestClient) -> None:
    make_user(node, "lea", "analyst")
    client.cookies.set("passerelle_lang", "en")  # the msgids; FR/NL come from the catalogues
    login(client, "lea")
    token = csrf_of(client, "/dna")
    page = client.post(
        "/dna/import",
        data={
            "csrf_token": token,
            "csv_text": csv_of(
                {"FR-1": {}, "FR-2": {"D3S1358": "15,17"}, "FR-9": {"TH01": "9.33"}}
            ),
            "sample_type": "crime_stain",
        },
    )
    assert page.status_code == 200, page.text
    assert "Validation report" in page.text and "FR-9" in page.text
    results = client.post("/dna/search", data={"csrf_token": token, "profile_id": "FR-1"})
    assert "FR-2" in results.text and "near match" in results.text
    assert "Needs laboratory confirmation" in results.text
    listing = client.get("/dna")
    assert "FR-2" in listing.text and "Needs laboratory confirmation" in listing.text
    assert client.get("/dna/cross-border").status_code == 200
    match_id = re.search(r"/dna/matches/(\d+)/review", listing.text)
    assert match_id, "a candidate match carries a review form"
    reviewed = client.post(
        f"/dna/matches/{match_id.group(1)}/review",
        data={"csrf_token": token, "decision": "rejected", "note": "different donors (lab)"},
    )
    assert reviewed.status_code == 303
    assert "rejected" in client.get("/dna").text


def test_a_candidate_match_is_reviewed_once_and_lab_matches_need_a_note(
    node: Node, client: TestClient
) -> None:
    auth = _tokens(node)
    body = {"profiles": [_json_profile("FR-1"), _json_profile("FR-2", D3S1358="15,17")]}
    client.post("/api/v1/dna/profiles", json=body, headers=auth["analyst"])
    (hit,) = client.post(
        "/api/v1/dna/search", json={"profile_id": "FR-1"}, headers=auth["analyst"]
    ).json()["hits"]
    assert hit["quality"] == 4 and hit["needs_lab_confirmation"]
    url = f"/api/v1/dna/matches/{hit['match_id']}/review"
    bare = client.post(url, json={"decision": "confirmed"}, headers=auth["supervisor"])
    assert bare.status_code == 422 and "laboratory" in bare.json()["message"]
    assert client.post(url, json={"decision": "confirmed"}, headers=auth["dpo"]).status_code == 403
    note = {"decision": "confirmed", "note": "LPS Lyon report 2026-118: confirmed (synthetic)"}
    done = client.post(url, json=note, headers=auth["supervisor"])
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    again = client.post(url, json={"decision": "rejected"}, headers=auth["supervisor"])
    assert again.status_code == 422
