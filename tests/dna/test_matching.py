"""The Prüm matching rules of issue #7, each alone and combined, on the reference implementation."""

from __future__ import annotations

import pytest

from passerelle.dna.harmonise import parse_allele
from passerelle.dna.matching import (
    AlleleMatch,
    codis_match,
    compare_alleles,
    compare_locus,
    compare_profiles,
    prum_match,
)
from passerelle.dna.rules import Quality, Stringency
from tests.dna.conftest import BASE, Make, build


def pair(text: str, locus: str = "TH01") -> tuple:
    a, b = (text.split(",") * 2)[:2]
    return parse_allele(a, locus), parse_allele(b, locus)


def test_identical_profiles_match_exactly(make: Make) -> None:
    result = compare_profiles(make("A"), make("B"))
    assert result.is_match
    assert (result.matching_loci, result.mismatched_alleles, result.quality) == (
        12,
        0,
        Quality.EXACT,
    )


def test_amelogenin_is_never_compared(make: Make) -> None:
    result = compare_profiles(make("A"), make("B", Amelogenin="X"))
    assert result.compared_loci == 12
    assert result.quality == Quality.EXACT


@pytest.mark.parametrize("raw", ["*", "o", "F", "r", "NA", "nr", "Un", "0", "1", "99"])
def test_wildcard_values_match_any_allele(make: Make, raw: str) -> None:
    result = prum_match(make("A"), make("B", D18S51=f"12,{raw}"))
    assert result is not None
    assert result.quality == Quality.WILDCARD


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("9.3", "10", AlleleMatch.MICROVARIANT),
        ("9.3", "9.2", AlleleMatch.MICROVARIANT),
        ("10.1", "10", AlleleMatch.MICROVARIANT),
        ("9", "10", AlleleMatch.NONE),
        ("9.1", "10", AlleleMatch.NONE),
        ("9.2", "10", AlleleMatch.NONE),
        ("9.3", "9.3", AlleleMatch.EXACT),
    ],
)
def test_microvariants_at_a_tetranucleotide_locus(a: str, b: str, expected: AlleleMatch) -> None:
    assert compare_alleles(parse_allele(a, "TH01"), parse_allele(b, "TH01"), "TH01") == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("9.4", "10", AlleleMatch.MICROVARIANT),
        ("10.1", "10", AlleleMatch.MICROVARIANT),
        ("9.3", "10", AlleleMatch.NONE),
        ("9.3", "9.4", AlleleMatch.MICROVARIANT),
    ],
)
@pytest.mark.parametrize("locus", ["Penta D", "Penta E", "CD4"])
def test_microvariants_at_pentanucleotide_loci(
    locus: str, a: str, b: str, expected: AlleleMatch
) -> None:
    assert compare_alleles(parse_allele(a, locus), parse_allele(b, locus), locus) == expected


def test_microvariant_match_has_quality_3(make: Make) -> None:
    result = prum_match(make("A"), make("B", TH01="6,10"))
    assert result is not None
    assert result.quality == Quality.MICROVARIANT
    assert result.needs_lab_confirmation


def test_alleles_are_an_unordered_pair(make: Make) -> None:
    result = prum_match(make("A"), make("B", D3S1358="16,15"))
    assert result is not None and result.quality == Quality.EXACT


def test_pairing_with_best_quality_wins_among_equal_mismatches() -> None:
    # straight pairing: two microvariant equivalences; crossed pairing: two exact matches
    assert compare_locus(pair("9.3,10"), pair("10,9.3"), "TH01").quality == Quality.EXACT


def test_pairing_with_fewest_mismatches_wins() -> None:
    # straight: 9.3≡10 and 10≢12 (1 mismatch); crossed: 9.3≢12, 10=10 (1 mismatch, exact)
    result = compare_locus(pair("9.3,10"), pair("10,12"), "TH01")
    assert (result.mismatches, result.quality) == (1, Quality.EXACT)
    assert compare_locus(pair("7,8"), pair("6,9"), "TH01").mismatches == 2


def test_one_mismatched_allele_is_a_near_match(make: Make) -> None:
    result = prum_match(make("A"), make("B", D12S391="18,21"))
    assert result is not None
    assert (result.matching_loci, result.mismatched_alleles, result.quality) == (
        11,
        1,
        Quality.NEAR,
    )
    assert result.needs_lab_confirmation


def test_homozygote_against_heterozygote_is_one_mismatch(make: Make) -> None:
    result = prum_match(make("A"), make("B", D12S391="18"))
    assert result is not None and result.mismatched_alleles == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"D12S391": "19,21"},  # two alleles at one locus
        {"D12S391": "18,21", "FGA": "21,24"},  # one allele at each of two loci
    ],
)
def test_two_mismatched_alleles_are_no_match(make: Make, changes: dict[str, str]) -> None:
    assert prum_match(make("A"), make("B", **changes)) is None


def test_six_matching_loci_are_enough_and_five_are_not(make: Make) -> None:
    six = {k: v for k, v in list(BASE.items())[:6]}
    five = {k: v for k, v in list(BASE.items())[:5]}
    assert prum_match(make("A"), build("B", six)) is not None
    assert prum_match(make("A"), build("B", five)) is None


def test_near_match_needs_six_fully_matching_loci(make: Make) -> None:
    seven = {k: v for k, v in list(BASE.items())[:7]}
    six = {k: v for k, v in list(BASE.items())[:6]}
    assert prum_match(make("A"), build("B", {**seven, "D3S1358": "15,17"})) is not None
    assert prum_match(make("A"), build("B", {**six, "D3S1358": "15,17"})) is None


def test_only_loci_both_profiles_carry_are_compared(make: Make) -> None:
    result = compare_profiles(make("A", FGA=None, TH01=None), make("B", vWA=None))
    assert result.compared_loci == 9


def test_wildcard_and_microvariant_together_give_quality_3(make: Make) -> None:
    result = prum_match(make("A"), make("B", TH01="6,10", D18S51="*,15"))
    assert result is not None and result.quality == Quality.MICROVARIANT


def test_wildcard_alone_gives_quality_2_even_on_both_sides(make: Make) -> None:
    result = prum_match(make("A", vWA="17,*"), make("B", vWA="*,18"))
    assert result is not None and result.quality == Quality.WILDCARD


def test_mismatch_dominates_wildcard_and_microvariant(make: Make) -> None:
    b = make("B", TH01="6,10", D18S51="*,15", D12S391="18,22")
    result = prum_match(make("A"), b)
    assert result is not None and result.quality == Quality.NEAR


def test_microvariant_plus_one_mismatch_at_the_same_locus_is_near_match(make: Make) -> None:
    result = prum_match(make("A"), make("B", TH01="7,10"))
    assert result is not None
    assert (result.mismatched_alleles, result.quality) == (1, Quality.NEAR)


def test_three_alleles_keep_the_first_and_the_rest_become_a_wildcard(make: Make) -> None:
    mixture = make("M", D3S1358="15,17,18")
    result = prum_match(make("A"), mixture)
    assert result is not None and result.quality == Quality.WILDCARD


def test_codis_stringencies(make: Make) -> None:
    reference = make("R")
    mixture = make("M", D3S1358="14,15,16", vWA="16,17,18")
    assert codis_match(reference, make("S"), Stringency.HIGH)
    assert not codis_match(reference, mixture, Stringency.HIGH)
    assert codis_match(reference, mixture, Stringency.MODERATE)
    assert not codis_match(reference, make("X", vWA="16,19"), Stringency.MODERATE)
    assert codis_match(reference, make("X", vWA="16,18"), Stringency.LOW)
    assert not codis_match(reference, make("X", vWA="16,19"), Stringency.LOW)
