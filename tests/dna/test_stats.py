"""Random match probabilities (NRC II 4.1, Balding–Nichols) from the shipped tables."""

from __future__ import annotations

import math

import pytest

from passerelle.dna.rules import ESS, POPULATIONS
from passerelle.dna.stats import (
    FrequencyTable,
    Method,
    genotype_probability,
    load_population,
    random_match_probability,
)
from passerelle.errors import NotFound, ValidationFailed
from tests.dna.conftest import Make


def test_nrc2_formulas() -> None:
    assert genotype_probability(0.1, 0.1, True, 0.01) == pytest.approx(0.01 + 0.1 * 0.9 * 0.01)
    assert genotype_probability(0.1, 0.2, False, 0.01) == pytest.approx(0.04)


def test_balding_nichols_reduces_to_product_rule_without_coancestry_and_is_conservative() -> None:
    bn = Method.BALDING_NICHOLS
    assert genotype_probability(0.1, 0.2, False, 0.0, bn) == pytest.approx(0.04)
    assert genotype_probability(0.1, 0.1, True, 0.0, bn) == pytest.approx(0.01)
    assert genotype_probability(0.1, 0.2, False, 0.03, bn) > 0.04


@pytest.mark.parametrize("population", sorted(POPULATIONS))
def test_every_shipped_population_covers_the_ess(population: str) -> None:
    table = load_population(population)
    assert set(ESS.loci) <= set(table.frequencies)
    for alleles in table.frequencies.values():
        assert math.isclose(sum(alleles.values()), 1.0, abs_tol=0.06)


def test_unknown_population_is_not_found() -> None:
    with pytest.raises(NotFound):
        load_population("atlantis")


def test_rmp_of_a_full_ess_profile_is_tiny_and_theta_makes_it_larger(make: Make) -> None:
    table = load_population("europe")
    low = random_match_probability(make("P", TH01="9.3"), table, theta=0.0)
    high = random_match_probability(make("P", TH01="9.3"), table, theta=0.03)
    assert len(low.loci) == 12
    assert low.value < 1e-12 and high.value > low.value
    bn = random_match_probability(make("P"), table, method=Method.BALDING_NICHOLS)
    assert bn.value > random_match_probability(make("P"), table).value


def test_rare_alleles_get_the_minimum_frequency_5_over_2n() -> None:
    table = FrequencyTable("test", {"TH01": {"6": 0.5, "7": 0.499}}, sample_size=500)
    assert table.frequency("TH01", "7") == pytest.approx(0.499)
    assert table.frequency("TH01", "11") == pytest.approx(5 / 1000)
    without_n = FrequencyTable("test", {"TH01": {"6": 0.5, "7": 0.001}})
    assert without_n.frequency("TH01", "11") == pytest.approx(0.001)


def test_loci_with_a_wildcard_are_left_out(make: Make) -> None:
    rmp = random_match_probability(make("P", TH01="6,*"), load_population())
    assert rmp.skipped == ("TH01",)
    assert "TH01" not in rmp.loci


def test_theta_outside_its_range_is_refused(make: Make) -> None:
    with pytest.raises(ValidationFailed):
        random_match_probability(make("P"), load_population(), theta=1.5)
