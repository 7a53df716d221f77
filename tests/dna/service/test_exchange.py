"""Cross-border DNA search between three nodes in one process (tests.federation's mesh): HIT
with the quality class and the laboratory-confirmation flag, NO HIT, refusals of profiles that
break the exchange rules, and the follow-up that releases the data behind a HIT."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from passerelle.privacy import AuditEntry
from tests.dna.nodes import OTHER, csv_of
from tests.federation.conftest import CODES, Net, _pg_urls, build_net

FR_PROFILES = {
    "FR-REF-1": {},
    "FR-REF-2": OTHER,
    "FR-MIX": {"vWA": "17,18,19,20"},
    # 10 designated loci but only 5 of the 7 original ESS loci: a reference profile never leaves.
    "FR-ESS5": {"D3S1358": "15,na", "vWA": None, "D2S1338": "17,20", "D19S433": "13,14"},
}
#: BE holds a partial stain of FR-REF-1 (quality 1); ES a near match (one allele differs).
BE_PROFILES = {"BE-STAIN-7": {"D12S391": None, "D22S1045": None, "Amelogenin": None}}
ES_PROFILES = {"ES-STAIN-3": {"D3S1358": "15,17"}}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def net(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Net]:
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    else:
        urls = _pg_urls(request)
    built = build_net(tmp_path, urls)
    yield built
    for node in built.nodes.values():
        node.close()


async def _load(net: Net, c: dict[str, httpx.AsyncClient]) -> None:
    for code, profiles, sample_type in (
        ("FR", FR_PROFILES, "reference_person"),
        ("BE", BE_PROFILES, "crime_stain"),
        ("ES", ES_PROFILES, "crime_stain"),
    ):
        r = await c[code].post(
            f"/api/v1/dna/profiles?sample_type={sample_type}",
            content=csv_of(profiles),
            headers={**net.auth(code, "analyst"), "content-type": "text/csv"},
        )
        assert r.status_code == 201, r.text


async def _search(
    net: Net, c: dict[str, httpx.AsyncClient], profile: str, **extra: Any
) -> httpx.Response:
    return await c["FR"].post(
        "/api/v1/dna/cross-border",
        json={"profile_id": profile, "case_ref": "FR-2026-DNA-9", **extra},
        headers=net.auth("FR", "analyst"),
    )


def test_hit_carries_the_quality_class_and_the_lab_confirmation_flag(net: Net) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], list[Any], list[Any]]:
        async with net.running() as c:
            await _load(net, c)
            hit = await _search(net, c, "FR-REF-1")
            miss = await _search(net, c, "FR-REF-2", peers=["BE"])
            again = await c["FR"].get(
                f"/api/v1/dna/cross-border/{hit.json()['query_id']}",
                headers=net.auth("FR", "supervisor"),
            )
            assert again.json() == hit.json()
            ours = await c["FR"].get("/api/v1/dna/matches?scope=out", headers=net.auth("FR", "dpo"))
            theirs = await c["BE"].get(
                "/api/v1/dna/matches?scope=in", headers=net.auth("BE", "dpo")
            )
            return hit.json(), miss.json(), ours.json(), theirs.json()

    hit, miss, ours, theirs = asyncio.run(scenario())
    answers = {a["peer"]: a for a in hit["answers"]}
    assert hit["profile_id"] == "FR-REF-1" and hit["complete"]
    assert answers["BE"]["status"] == "hit"
    assert answers["BE"]["reference"].startswith("ref-")  # opaque: no BE national reference
    assert (answers["BE"]["quality"], answers["BE"]["needs_lab_confirmation"]) == (1, False)
    assert answers["ES"]["status"] == "hit"
    assert (answers["ES"]["quality"], answers["ES"]["quality_name"]) == (4, "near match")
    assert answers["ES"]["needs_lab_confirmation"] is True
    assert [a["status"] for a in miss["answers"]] == ["no_hit"]
    assert sorted((m["peer"], m["query_profile"], m["quality"]) for m in ours) == [
        ("BE", "FR-REF-1", 1),
        ("ES", "FR-REF-1", 4),
    ]
    assert [(m["peer"], m["matched"], m["quality"]) for m in theirs] == [("FR", "BE-STAIN-7", 1)]
    # FR read its profile to send it and disclosed it to the peers; BE audited the search.
    fr = _audit(net, "FR")
    assert ("token:FR-analyst", "read", "dna.profile", "FR-REF-1", "ok") in fr
    assert sum(1 for e in fr if e[1:3] == ("disclose", "federation.query")) == 2
    be = _audit(net, "BE")
    assert ("peer:FR", "read", "federation.query", "hit") in [(*e[:3], e[4]) for e in be]


def _audit(net: Net, code: str) -> list[tuple[str, str, str, str, str]]:
    with net.nodes[code].session() as session:
        return [
            (e.actor, e.action, e.object_type, e.object_id, e.outcome)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]


def test_profiles_that_break_the_exchange_rules_never_leave_and_are_refused_by_peers(
    net: Net,
) -> None:
    async def scenario() -> tuple[httpx.Response, dict[str, Any]]:
        async with net.running() as c:
            await _load(net, c)
            mixture = await _search(net, c, "FR-MIX")
            ess = await _search(net, c, "FR-ESS5")
            assert ess.status_code == 422
            assert "too_few_ess_loci" in ess.json()["message"]
            # A peer receiving a too-small profile anyway answers with the reason, not NO HIT.
            raw = await c["FR"].post(
                "/api/v1/federation/queries",
                json={
                    "kind": "dna",
                    "payload": {"loci": {"TH01": ["6", "9.3"], "vWA": ["17", "18"]}},
                    "peers": ["BE"],
                    "case_ref": "FR-2026-DNA-9",
                    "purpose": "test",
                    "legal_basis": "Council Decision 2008/615/JHA art. 3",
                },
                headers=net.auth("FR", "analyst"),
            )
            return mixture, raw.json()

    mixture, raw = asyncio.run(scenario())
    assert mixture.status_code == 422
    assert "mixture" in mixture.json()["message"]
    (answer,) = raw["answers"]
    assert answer["status"] == "error"
    assert "refused" in answer["detail"] and "too_few_designated_loci" in answer["detail"]


def test_follow_up_approved_on_the_peer_releases_the_profile_behind_the_reference(net: Net) -> None:
    async def scenario() -> tuple[dict[str, str], dict[str, Any]]:
        async with net.running() as c:
            await _load(net, c)
            hit = (await _search(net, c, "FR-REF-1", peers=["BE"])).json()
            (be,) = hit["answers"]
            asked = await c["FR"].post(
                "/api/v1/federation/followups",
                json={
                    "query_id": hit["query_id"],
                    "peer": "BE",
                    "reference": be["reference"],
                    "case_ref": "FR-2026-DNA-9",
                    "purpose": "identify the stain's case",
                    "legal_basis": "Council Decision 2008/615/JHA art. 5",
                },
                headers=net.auth("FR", "analyst"),
            )
            assert asked.status_code == 200, asked.text
            request_id = asked.json()["id"]
            sup = net.auth("BE", "supervisor")
            fields = (
                await c["BE"].get(f"/api/v1/federation/followups/{request_id}/fields", headers=sup)
            ).json()
            approved = await c["BE"].post(
                f"/api/v1/federation/followups/{request_id}/approve",
                json={
                    "fields": ["national_reference", "laboratory"],
                    "handling": {"code": "H1"},
                    "evaluation": {"source": "A", "information": "1"},
                },
                headers=sup,
            )
            assert approved.status_code == 200, approved.text
            got = await c["FR"].get(
                f"/api/v1/federation/followups/{request_id}", headers=net.auth("FR", "analyst")
            )
            return fields, got.json()

    fields, got = asyncio.run(scenario())
    assert fields["national_reference"] == "BE-STAIN-7"
    assert fields["sample_type"] == "crime_stain"
    assert fields["quality"].startswith("1")
    assert got["status"] == "approved"
    assert {i["field"]: i["value"] for i in got["items"]} == {
        "national_reference": "BE-STAIN-7",
        "laboratory": "",
    }
