"""Import with a validation report, database comparison and cross-border answers."""

from __future__ import annotations

import pytest

from passerelle.dna import csvio
from passerelle.dna.index import ProfileIndex
from passerelle.dna.rules import Quality, SampleType, Stringency
from passerelle.dna.service import (
    compare_databases,
    import_profiles,
    national_search,
    prum_answer,
    search,
)
from passerelle.dna.stats import load_population
from passerelle.errors import MalformedInput, ValidationFailed
from tests.dna.conftest import BASE, Make

HEADER = "profile_id,locus,allele_1,allele_2,sample_type\n"


def rows_for(profile_id: str, loci: dict[str, str], sample_type: str = "") -> str:
    lines = []
    for locus, alleles in loci.items():
        a, *b = alleles.split(",")
        lines.append(f"{profile_id},{locus},{a},{b[0] if b else ''},{sample_type}\n")
    return "".join(lines)


def test_import_accepts_valid_profiles_and_reports_the_bad_lines() -> None:
    text = (
        HEADER
        + rows_for("FR-1", BASE, "crime_stain")
        + rows_for("FR-2", {**BASE, "TH01": "6,9.7"})  # impossible allele
        + rows_for("FR-3", dict(list(BASE.items())[:4]))  # too few loci to exchange
    )
    report = import_profiles(csvio.read_rows(text))
    assert [p.profile_id for p in report.profiles] == ["FR-1", "FR-3"]
    assert report.profiles[0].sample_type == SampleType.CRIME_STAIN
    assert report.rejected == ["FR-2"]
    [error] = report.errors
    assert error.line == 2 + len(BASE) + 5  # header, FR-1's rows, then TH01 is FR-2's 6th row
    assert "9.7" in error.message
    assert report.flagged == {"FR-3": ["too_few_designated_loci", "too_few_ess_loci"]}
    with pytest.raises(ValidationFailed, match=f"line {error.line}"):
        report.raise_for_errors()


def test_import_reports_a_locus_given_twice_and_unknown_sample_types() -> None:
    text = HEADER + "P,TH01,6,7,\nP,THO1,6,7,\nQ,TH01,6,7,alien\n"
    report = import_profiles(csvio.read_rows(text))
    assert [(e.line, e.profile_id) for e in report.errors] == [(3, "P"), (4, "Q")]


def test_import_accepts_plain_mappings_numbered_from_line_2() -> None:
    rows = [{"profile_id": "", "locus": "TH01", "allele_1": "6", "allele_2": ""}]
    assert import_profiles(rows).errors[0].line == 2


def test_ragged_csv_names_its_line() -> None:
    with pytest.raises(MalformedInput, match="line 3"):
        list(csvio.read_rows(HEADER + "P,TH01,6,7,\nP,FGA,21\n"))


def test_missing_column_is_malformed() -> None:
    with pytest.raises(MalformedInput, match="allele_2"):
        list(csvio.read_rows("profile_id,locus,allele_1\n"))


def test_compare_databases_finds_every_pair(make: Make) -> None:
    a = [make("A1"), make("A2", TH01="6,8", FGA="19,20")]
    b = [make("B1", TH01="6,10"), make("B2", D3S1358="15,17"), make("B3", FGA="19,20")]
    found = {(m.a_id, m.b_id, m.quality) for m in compare_databases(a, b)}
    assert found == {
        ("A1", "B1", Quality.MICROVARIANT),
        ("A1", "B2", Quality.NEAR),
        ("A2", "B3", Quality.NEAR),
    }
    assert compare_databases(a * 4, ProfileIndex.from_profiles(b), workers=2) == [
        m for _ in range(4) for m in compare_databases(a, b)
    ]


def test_search_orders_hits_by_quality_and_gives_the_rmp(make: Make) -> None:
    index = ProfileIndex.from_profiles([make("NEAR", D3S1358="15,17"), make("EXACT")])
    hits = search(make("Q"), index, load_population())
    assert [h.match.b_id for h in hits] == ["EXACT", "NEAR"]
    assert hits[0].rmp.value < 1e-12
    assert [h.needs_lab_confirmation for h in hits] == [False, True]


def test_prum_answer_gives_hit_with_opaque_reference_only(make: Make) -> None:
    index = ProfileIndex.from_profiles([make("FR-SECRET-42", TH01="6,10")])
    answer = prum_answer(make("Q"), index, lambda pid: f"ref-{len(pid)}")
    assert answer.hit
    [hit] = answer.hits
    assert (hit.reference, hit.quality, hit.needs_lab_confirmation) == (
        "ref-12",
        Quality.MICROVARIANT,
        True,
    )
    assert not prum_answer(make("Q", TH01="7,8"), index, str).hit


def test_prum_answer_refuses_mixtures(make: Make) -> None:
    index = ProfileIndex.from_profiles([make("A")])
    with pytest.raises(ValidationFailed, match="mixture"):
        prum_answer(make("Q", D3S1358="14,15,16,17"), index, str)


def test_national_search_with_codis_stringency(make: Make) -> None:
    database = [make("REF"), make("MIX", vWA="16,17,18")]
    assert national_search(make("Q"), database, Stringency.HIGH) == ["REF"]
    assert national_search(make("Q"), database, Stringency.MODERATE) == ["REF", "MIX"]
