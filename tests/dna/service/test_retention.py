"""DNA retention under the node's terms (CPP R53-14 for FR), counted from registration or the
final decision with a moved clock; re-imports never extend it; a node without terms does not
start the DNA package."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle import domains
from passerelle.dna import csvio, rules
from passerelle.dna.model import StoredProfile
from passerelle.dna.service import store
from passerelle.dna.service.retention import DnaRetentionTermsMissing, node_terms
from passerelle.node import Node, open_node
from passerelle.privacy import FrozenClock, Principal, retention
from passerelle.settings import Settings
from tests.dna.nodes import OTHER, csv_of

ANA = Principal(kind="user", id=1, name="ana", agency="FR", roles=frozenset({"analyst"}))
YEAR = timedelta(days=round(365.25))


def _years(n: int) -> timedelta:
    return timedelta(days=round(365.25 * n))


def _import(node: Node, profiles: dict[str, dict[str, str | None]], **columns: str) -> None:
    text = csv_of(profiles)
    if columns:
        head, *lines = text.splitlines()
        names, values = ",".join(columns), ",".join(columns.values())
        text = "\n".join([f"{head},{names}", *(f"{line},{values}" for line in lines)]) + "\n"
    with node.session() as session:
        rows = store.with_defaults(csvio.read_rows(text), sample_type="reference_person")
        outcome = store.store_profiles(session, node, store.access_for(ANA, node), rows)
    assert not outcome.report.errors, outcome.report.errors


def _held(node: Node) -> set[str]:
    retention.run(node.db.session, node.retention, node=node.code, now=node.clock.now())
    with node.session() as session:
        return set(session.scalars(select(StoredProfile.national_reference)))


def test_french_terms_are_the_2021_r53_14_ones() -> None:
    terms = rules.FR_TERMS
    assert (terms.trace.years, terms.trace.listed_years) == (25, 40)
    assert (terms.suspect.years, terms.suspect.listed_years) == (15, 25)
    assert (terms.suspect.minor_years, terms.suspect.minor_listed_years) == (10, 15)
    assert (terms.convicted.years, terms.convicted.listed_years) == (25, 40)
    assert (terms.convicted.minor_years, terms.convicted.minor_listed_years) == (15, 25)
    assert terms.convicted.counts_from == "final_decision"
    assert "R53-14" in terms.source and "2026-12-03" in terms.source


def test_a_reimport_does_not_extend_retention(node: Node, clock: FrozenClock) -> None:
    _import(node, {"FR-S": {}})
    clock.advance(_years(10))
    _import(node, {"FR-S": {"TH01": "7,9.3"}})  # replaced alleles, same registration
    with node.session() as session:
        row = session.scalars(select(StoredProfile)).one()
        assert row.loci["TH01"] == ["7", "9.3"]
        assert row.updated_at == clock.now() and row.registered_at < clock.now() - _years(9)
    clock.advance(_years(5) - timedelta(days=2))
    assert _held(node) == {"FR-S"}
    clock.advance(timedelta(days=4))
    assert _held(node) == set()  # 15 years after registration, not after the re-import


def test_terms_follow_status_minority_and_listed_offences(node: Node, clock: FrozenClock) -> None:
    _import(node, {"MINOR": {}}, person_status="suspect", minor="true")
    _import(node, {"LISTED": OTHER}, person_status="suspect", listed_offence="true")
    _import(node, {"STAIN": {}}, sample_type="crime_stain", listed_offence="true")
    clock.advance(_years(10) + timedelta(days=2))
    assert _held(node) == {"LISTED", "STAIN"}  # a minor suspect: 10 years
    clock.advance(_years(15))
    assert _held(node) == {"STAIN"}  # a suspect of a listed offence: 25 years
    clock.advance(_years(15))
    assert _held(node) == set()  # a trace of a listed offence: 40 years


def test_convicted_persons_count_from_the_final_decision(node: Node, clock: FrozenClock) -> None:
    decided = (clock.now() + _years(3)).date().isoformat()
    _import(node, {"CONV": {}}, person_status="convicted", final_decision_on=decided)
    clock.advance(_years(27))
    assert _held(node) == {"CONV"}  # 25 years from the decision, three years after registration
    clock.advance(_years(1) + timedelta(days=3))
    assert _held(node) == set()


def test_a_node_without_terms_refuses_to_start_the_dna_package(tmp_path: Path) -> None:
    be = Settings(data_dir=tmp_path / "be", node="BE", retention_interval_seconds=0)
    with pytest.raises(DnaRetentionTermsMissing, match="PASSERELLE_DNA_RETENTION_TERMS") as info:
        open_node(be)
    assert info.value.code == "dna_retention_terms_missing" and info.value.exit_code == 10
    assert not (tmp_path / "be").exists()  # nothing was created


def test_a_belgian_node_runs_on_its_own_terms(tmp_path: Path) -> None:
    terms = tmp_path / "be-terms.json"
    terms.write_text(
        json.dumps(
            {
                "country": "BE",
                "source": "Loi du 22 mars 1999 (synthetic test terms)",
                **{
                    k: {"years": y, "listed_years": y, "minor_years": y, "minor_listed_years": y}
                    for k, y in (("trace", 30), ("suspect", 12), ("convicted", 30))
                },
            }
        )
    )
    settings = Settings(data_dir=tmp_path / "be", node="BE", dna_retention_terms=str(terms))
    assert node_terms(settings).suspect.years == 12
    node = open_node(settings.with_(retention_interval_seconds=0))
    try:
        rule = next(r for r in node.retention if r.data_class == "dna_profile_suspect")
        assert "Loi du 22 mars 1999" in rule.source and "unverified" in rule.source
        assert rule.delete_after == _years(12)
    finally:
        node.close()
    fr_terms = terms.with_name("fr.json")
    fr_terms.write_text(terms.read_text().replace('"BE"', '"FR"'))
    with pytest.raises(DnaRetentionTermsMissing, match="this node is BE"):
        node_terms(settings.with_(dna_retention_terms=str(fr_terms)))
    assert domains.demo_settings("BE")["dna_retention_terms"].endswith("demo-BE.json")
