"""Match statistics: random match probability (RMP) by the product rule.

Per locus (NRC II, 1996): recommendation 4.1 — homozygote p² + p(1−p)θ, heterozygote 2pq —
or, as the conservative option, Balding–Nichols (formula 4.10). Allele frequencies below the
minimum 5/(2N) are raised to it; an allele absent from the table gets it too. The shipped norSTR
tables do not record N: without ``sample_size`` the minimum is the smallest frequency the table
lists for that locus. Loci with a wildcard allele are left out (which can only make the RMP
larger, i.e. more favourable to the defence).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from passerelle.dna import rules
from passerelle.dna.harmonise import canonical_locus, parse_allele, prum_genotype
from passerelle.dna.profiles import Profile
from passerelle.errors import NotFound, ValidationFailed


class Method(StrEnum):
    NRC2_41 = "nrc2"
    BALDING_NICHOLS = "balding-nichols"


def parse_frequency_table(text: str) -> dict[str, dict[str, float]]:
    """Parse the norSTR block format into canonical locus → normalised allele → frequency."""
    table: dict[str, dict[str, float]] = {}
    current: dict[str, float] | None = None
    locus: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split("\t")
        if not line.strip():
            current = None
        elif len(fields) == 1:
            locus = canonical_locus(line.strip())
            current = table.setdefault(locus, {}) if locus else None
        elif current is not None and locus is not None and len(fields) == 2:
            try:
                allele = parse_allele(fields[0], locus)
                current[allele.value] = float(fields[1])
            except (ValidationFailed, ValueError) as exc:
                raise ValidationFailed(f"frequency table line {number}: {exc}") from exc
    return table


@dataclass(frozen=True)
class FrequencyTable:
    """Allele frequencies of one population."""

    population: str
    frequencies: Mapping[str, Mapping[str, float]]
    sample_size: int | None = None

    def minimum(self, locus: str) -> float:
        """The minimum allele frequency at a locus: 5/(2N), or the table's smallest value."""
        if self.sample_size:
            return rules.MIN_ALLELE_COUNT / (2 * self.sample_size)
        return min(self.frequencies[locus].values())

    def frequency(self, locus: str, allele: str) -> float:
        return max(self.frequencies[locus].get(allele, 0.0), self.minimum(locus))


@lru_cache(maxsize=8)
def _population_text(name: str) -> str:
    filename = rules.POPULATIONS.get(name)
    if filename is None:
        known = ", ".join(sorted(rules.POPULATIONS))
        raise NotFound(f"unknown population {name!r}; choose one of {known}")
    return (resources.files("passerelle.dna") / "data" / filename).read_text(encoding="utf-8")


def load_population(
    name: str = rules.DEFAULT_POPULATION, sample_size: int | None = None
) -> FrequencyTable:
    """One of the shipped frequency tables (see :data:`passerelle.dna.rules.POPULATIONS`)."""
    return FrequencyTable(name, parse_frequency_table(_population_text(name)), sample_size)


def genotype_probability(
    p: float, q: float, homozygous: bool, theta: float, method: Method = Method.NRC2_41
) -> float:
    """Probability of a random person carrying the genotype."""
    if method is Method.NRC2_41:
        return p * p + p * (1 - p) * theta if homozygous else 2 * p * q
    denominator = (1 + theta) * (1 + 2 * theta)
    if homozygous:
        return (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / denominator
    return 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / denominator


@dataclass(frozen=True)
class Rmp:
    """A random match probability and the loci it rests on."""

    value: float
    loci: tuple[str, ...]
    skipped: tuple[str, ...]

    @property
    def one_in(self) -> float:
        return 1 / self.value if self.value else float("inf")


def random_match_probability(
    profile: Profile,
    table: FrequencyTable,
    theta: float = rules.DEFAULT_THETA,
    method: Method = Method.NRC2_41,
    loci: Iterable[str] | None = None,
) -> Rmp:
    """RMP of a profile over ``loci`` (default: all its typed loci)."""
    if not 0 <= theta < 1:
        raise ValidationFailed(f"theta must lie in [0, 1), got {theta}")
    value, used, skipped = 1.0, [], []
    for locus in loci if loci is not None else profile.typed_loci():
        if locus not in profile.loci:
            continue
        a, b = prum_genotype(profile.loci[locus])
        if locus not in table.frequencies or a.wildcard or b.wildcard:
            skipped.append(locus)
            continue
        p, q = table.frequency(locus, a.value), table.frequency(locus, b.value)
        value *= genotype_probability(p, q, a.value == b.value, theta, method)
        used.append(locus)
    return Rmp(value, tuple(used), tuple(skipped))


__all__ = [
    "FrequencyTable",
    "Method",
    "Rmp",
    "genotype_probability",
    "load_population",
    "parse_frequency_table",
    "random_match_probability",
]
