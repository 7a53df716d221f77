"""Harmonisation: locus naming, allele notation and the exchange rules."""

from __future__ import annotations

import pytest

from passerelle.dna.harmonise import (
    FLAG_MIXTURE,
    FLAG_TOO_FEW_ESS,
    FLAG_TOO_FEW_LOCI,
    canonical_locus,
    exchange_flags,
    make_profile,
    parse_allele,
    prum_genotype,
)
from passerelle.dna.rules import SampleType
from passerelle.errors import ValidationFailed
from tests.dna.conftest import BASE, Make, build


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("THO1", "TH01"),
        ("th01", "TH01"),
        ("AMEL", "Amelogenin"),
        ("VWA", "vWA"),
        ("v-WA", "vWA"),
        ("d3s1358", "D3S1358"),
        ("D 21 S 11", "D21S11"),
        ("Penta_D", "Penta D"),
        ("PENTAE", "Penta E"),
        ("SE-33", "SE33"),
    ],
)
def test_locus_names_are_harmonised(raw: str, canonical: str) -> None:
    assert canonical_locus(raw) == canonical


def test_unknown_locus_is_dropped_with_a_warning() -> None:
    profile = make_profile("P", {"DYS391": ["10"], "TH01": ["6", "9.3"]})
    assert list(profile.loci) == ["TH01"]
    assert "DYS391" in profile.warnings[0]


def test_two_spellings_of_one_locus_are_an_error() -> None:
    with pytest.raises(ValidationFailed, match="twice"):
        make_profile("P", {"TH01": ["6"], "THO1": ["7"]})


@pytest.mark.parametrize(
    ("raw", "locus", "value"),
    [("9.3", "TH01", "9.3"), ("09", "TH01", "9"), (" 10 ", "FGA", "10"), ("9.4", "Penta D", "9.4")],
)
def test_allele_notation_is_normalised(raw: str, locus: str, value: str) -> None:
    assert parse_allele(raw, locus).value == value


@pytest.mark.parametrize(
    ("raw", "locus"),
    [
        ("9.4", "TH01"),
        ("9.5", "Penta E"),
        ("9.33", "TH01"),
        ("250", "FGA"),
        ("Z", "AMEL"),
    ],
)
def test_impossible_alleles_are_rejected(raw: str, locus: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_allele(raw, canonical_locus(locus) or locus)


def test_one_allele_means_homozygous() -> None:
    profile = make_profile("P", {"TH01": ["9.3"]})
    assert [a.value for a in profile.loci["TH01"]] == ["9.3", "9.3"]


def test_full_single_source_profile_meets_the_exchange_rules(make: Make) -> None:
    assert exchange_flags(make("P")) == []


def test_profile_with_five_designated_loci_is_flagged() -> None:
    five = {k: v for k, v in list(BASE.items())[:5]}
    profile = build("P", {**five, "Amelogenin": "X,Y", "TH01": "6,*"})
    assert exchange_flags(profile) == [FLAG_TOO_FEW_LOCI, FLAG_TOO_FEW_ESS]
    stain = build("S", {**five, "TH01": "6,*"}, sample_type=SampleType.CRIME_STAIN)
    assert exchange_flags(stain) == [FLAG_TOO_FEW_LOCI]


def test_a_reference_profile_without_6_of_the_7_ess_loci_is_not_exchangeable(make: Make) -> None:
    # 10 designated loci, but only 5 of the original seven ESS loci (D3S1358 … FGA).
    profile = make("R", D3S1358="15,na", vWA=None, D2S1338="17,20", D19S433="13,14")
    assert len(profile.designated_loci()) >= 6
    assert exchange_flags(profile) == [FLAG_TOO_FEW_ESS]
    stain = build("S", {k: v for k, v in BASE.items() if k not in ("D3S1358", "vWA")},
                  sample_type=SampleType.CRIME_STAIN)  # fmt: skip
    assert exchange_flags(stain) == []
    assert exchange_flags(make("R6", vWA=None)) == []  # 6 of 7 is enough


@pytest.mark.parametrize("raw", ["OL", "ol", "na", "NR", "<8", "ten", "0", "1", "99", "*"])
def test_any_non_numeric_value_and_0_1_99_are_wildcards(raw: str) -> None:
    assert parse_allele(raw, "TH01").wildcard
    assert not parse_allele("10", "TH01").wildcard


def test_three_alleles_keep_the_first_and_two_wildcards(make: Make) -> None:
    profile = make("T", D3S1358="14,15,16")
    assert [a.value for a in profile.loci["D3S1358"]] == ["14", "15", "16"]  # national form
    assert [a.value for a in prum_genotype(profile.loci["D3S1358"])] == ["14", "*"]
    assert FLAG_MIXTURE not in exchange_flags(profile)  # exchanged, with wildcards
    assert "D3S1358" not in profile.designated_loci()


def test_mixture_is_flagged(make: Make) -> None:
    assert FLAG_MIXTURE in exchange_flags(make("M", D3S1358="14,15,16,17"))
    assert FLAG_MIXTURE in exchange_flags(build("M", BASE, single_source=False))
