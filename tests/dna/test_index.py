"""The fast search index gives exactly the reference implementation's answers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.dna.harmonise import make_profile
from passerelle.dna.index import ProfileIndex
from passerelle.dna.matching import search_reference
from passerelle.dna.profiles import Profile
from passerelle.dna.rules import ESS, Quality
from tests.dna.conftest import Make

# Small alphabets with microvariants and wildcards make matches, near matches and every
# quality class frequent in small random databases.
TETRA = ["8", "9", "9.2", "9.3", "10", "10.1", "11", "*"]
PENTA = ["9", "9.4", "10", "10.1", "11", "*"]
LOCI = [*ESS.loci, "TPOX", "Penta D"]


def random_profile(
    rng: np.random.Generator, profile_id: str, dropout: float, wild: float
) -> Profile:
    loci: dict[str, list[str]] = {}
    for locus in LOCI:
        if rng.random() < dropout:
            continue
        alphabet = PENTA if locus == "Penta D" else TETRA
        choice = [str(rng.choice(alphabet[:-1])) for _ in range(2)]
        if rng.random() < wild:
            choice[1] = "*"
        loci[locus] = choice
    return make_profile(profile_id, loci)


def mutate(rng: np.random.Generator, profile: Profile, profile_id: str, changes: int) -> Profile:
    loci = {k: [a.value for a in v] for k, v in profile.loci.items()}
    for _ in range(changes):
        locus = str(rng.choice(sorted(loci)))
        alphabet = PENTA if locus == "Penta D" else TETRA
        loci[locus][int(rng.integers(2))] = str(rng.choice(alphabet))
    return make_profile(profile_id, loci)


def keyed(results: list) -> list[tuple]:
    return sorted(
        (m.b_id, m.compared_loci, m.matching_loci, m.mismatched_alleles, m.quality) for m in results
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(1, 120),
    dropout=st.sampled_from([0.0, 0.1, 0.4]),
    wild=st.sampled_from([0.0, 0.05, 0.3]),
    scan_fraction=st.sampled_from([0.25, 1.0]),
)
def test_fast_search_equals_reference(
    seed: int, size: int, dropout: float, wild: float, scan_fraction: float
) -> None:
    rng = np.random.default_rng(seed)
    database = [random_profile(rng, f"D{i}", dropout, wild) for i in range(size)]
    index = ProfileIndex.from_profiles(database, scan_fraction=scan_fraction)
    queries = [mutate(rng, database[int(rng.integers(size))], f"Q{k}", k % 4) for k in range(8)]
    queries.append(random_profile(rng, "R", dropout, wild))
    for query in queries:
        assert keyed(index.search(query)) == keyed(search_reference(query, database))
        assert keyed(index.scan(query)) == keyed(search_reference(query, database))


def test_full_profiles_are_found_without_scanning_the_database(make: Make) -> None:
    rng = np.random.default_rng(7)
    database = [random_profile(rng, f"D{i}", 0.0, 0.0) for i in range(400)]
    database.append(make("TARGET"))
    index = ProfileIndex.from_profiles(database)
    rows = index.candidates(make("Q"))
    assert rows is not None and len(rows) < len(database) // 4
    [hit] = [m for m in index.search(make("Q")) if m.b_id == "TARGET"]
    assert hit.quality == Quality.EXACT


def test_query_with_too_few_loci_finds_nothing(make: Make) -> None:
    index = ProfileIndex.from_profiles([make("A")])
    tiny = make_profile("Q", {"TH01": ["6", "9.3"], "FGA": ["21", "22.2"]})
    assert index.search(tiny) == []


# Partial stains whose one mismatch (TH01 6,8 against 6,9.3) lies in the only triple block they
# share with the query: the first is found by the scan (it shares one pair block too), the second
# through the pair blocks.
STAIN_SCANNED = {
    "D1S1656": "13,17.3",
    "TH01": "6,8",
    "D22S1045": "15,16",
    "D10S1248": "13,15",
    "vWA": "17,18",
    "D8S1179": "13,14",
    "TPOX": "8,11",
    "Penta D": "9,12",
}
STAIN_BY_PAIRS = {
    "D1S1656": "13,17.3",
    "TH01": "6,8",
    "D22S1045": "15,16",
    "D12S391": "18,20",
    "D18S51": "12,15",
    "D10S1248": "13,15",
    "TPOX": "8,11",
}


@pytest.mark.parametrize(("stain", "matching"), [(STAIN_SCANNED, 7), (STAIN_BY_PAIRS, 6)])
def test_partial_stain_sharing_one_block_is_still_found(
    make: Make, stain: dict[str, str], matching: int
) -> None:
    rng = np.random.default_rng(3)
    database = [random_profile(rng, f"D{i}", 0.0, 0.0) for i in range(50)]
    database.append(make_profile("STAIN", {k: v.split(",") for k, v in stain.items()}))
    query = make("Q", TPOX="8,11", Penta_D="9,12")
    [hit] = [m for m in ProfileIndex.from_profiles(database).search(query) if m.b_id == "STAIN"]
    assert (hit.matching_loci, hit.mismatched_alleles, hit.quality) == (matching, 1, Quality.NEAR)


def test_matches_come_back_in_input_order_whatever_the_kit(make: Make) -> None:
    # Rows are stored grouped by the loci they carry; results must still follow the input.
    extra = {"TPOX": "8,11", "Penta D": "9,12"}
    database = []
    for i in range(12):
        if i % 3 == 0:
            database.append(make(f"M{i}", TPOX=extra["TPOX"], Penta_D=extra["Penta D"]))
        elif i % 3 == 1:
            database.append(make(f"M{i}", D3S1358=None, vWA=None))  # a partial stain
        else:
            database.append(make(f"M{i}"))  # ESS only
    index = ProfileIndex.from_profiles(database)
    query = make("Q", TPOX=extra["TPOX"], Penta_D=extra["Penta D"])
    assert [m.b_id for m in index.search(query)] == [p.profile_id for p in database]
    assert [m.b_id for m in index.scan(query)] == [p.profile_id for p in database]
