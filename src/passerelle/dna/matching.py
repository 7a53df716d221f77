"""The reference implementation of the matching rules: simple, slow, obviously right.

The fast search index (:mod:`passerelle.dna.index`) is tested against this module.

Prüm rules (issue #7): at each locus both profiles carry (amelogenin excluded) the two alleles
are compared as an unordered pair, taking the pairing with the fewest non-matching alleles and
then the best quality. Two alleles match when equal, when either is a wildcard, or when they are
microvariant-equivalent (lengths differ by exactly one base). Profiles match with at least
:data:`~passerelle.dna.rules.MIN_MATCHING_LOCI` matching loci and at most
:data:`~passerelle.dna.rules.MAX_MISMATCHED_ALLELES` non-matching allele in total.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from passerelle.dna import rules
from passerelle.dna.harmonise import prum_genotype, repeat_bases
from passerelle.dna.profiles import Allele, Profile
from passerelle.dna.rules import Quality, Stringency


class AlleleMatch(IntEnum):
    """How two alleles compare; the order is the preference order (best first)."""

    EXACT = 0
    WILDCARD = 1
    MICROVARIANT = 2
    NONE = 3


def compare_alleles(a: Allele, b: Allele, locus: str) -> AlleleMatch:
    """Compare two alleles at a locus under the harmonised rules."""
    if a.wildcard or b.wildcard:
        return AlleleMatch.WILDCARD
    if a.value == b.value:
        return AlleleMatch.EXACT
    if a.numeric and b.numeric:
        unit = repeat_bases(locus)
        if abs(a.length(unit) - b.length(unit)) == 1:
            return AlleleMatch.MICROVARIANT
    return AlleleMatch.NONE


@dataclass(frozen=True)
class LocusComparison:
    """The best pairing at one locus: non-matching alleles (0–2) and the quality it needs."""

    mismatches: int
    quality: Quality

    @property
    def matches(self) -> bool:
        return self.mismatches == 0


_QUALITY_OF = {
    AlleleMatch.EXACT: Quality.EXACT,
    AlleleMatch.WILDCARD: Quality.WILDCARD,
    AlleleMatch.MICROVARIANT: Quality.MICROVARIANT,
}


def _pairing(x: AlleleMatch, y: AlleleMatch) -> LocusComparison:
    mismatches = (x == AlleleMatch.NONE) + (y == AlleleMatch.NONE)
    used = [_QUALITY_OF[m] for m in (x, y) if m != AlleleMatch.NONE]
    return LocusComparison(int(mismatches), max(used, default=Quality.EXACT))


def compare_locus(
    a: tuple[Allele, Allele], b: tuple[Allele, Allele], locus: str
) -> LocusComparison:
    """Compare two genotypes as unordered pairs; keep the pairing with fewest mismatches,
    then the best (lowest) quality."""
    straight = _pairing(compare_alleles(a[0], b[0], locus), compare_alleles(a[1], b[1], locus))
    crossed = _pairing(compare_alleles(a[0], b[1], locus), compare_alleles(a[1], b[0], locus))
    return min(straight, crossed, key=lambda c: (c.mismatches, c.quality))


@dataclass(frozen=True)
class MatchResult:
    """The outcome of comparing two profiles under the Prüm rules."""

    a_id: str
    b_id: str
    compared_loci: int
    matching_loci: int
    mismatched_alleles: int
    quality: Quality

    @property
    def is_match(self) -> bool:
        return (
            self.matching_loci >= rules.MIN_MATCHING_LOCI
            and self.mismatched_alleles <= rules.MAX_MISMATCHED_ALLELES
        )

    @property
    def needs_lab_confirmation(self) -> bool:
        """Near and microvariant matches are confirmed by a laboratory before anyone acts."""
        return self.quality in rules.NEEDS_LAB_CONFIRMATION


def compare_profiles(a: Profile, b: Profile) -> MatchResult:
    """Compare two profiles at every locus both carry (amelogenin excluded)."""
    shared = sorted(set(a.typed_loci()) & set(b.typed_loci()))
    matching = mismatched = 0
    quality = Quality.EXACT
    for locus in shared:
        result = compare_locus(prum_genotype(a.loci[locus]), prum_genotype(b.loci[locus]), locus)
        mismatched += result.mismatches
        if result.matches:
            matching += 1
            quality = max(quality, result.quality)
    if mismatched:
        quality = Quality.NEAR
    return MatchResult(a.profile_id, b.profile_id, len(shared), matching, mismatched, quality)


def prum_match(a: Profile, b: Profile) -> MatchResult | None:
    """The comparison result when the two profiles match under the Prüm rules, else None."""
    result = compare_profiles(a, b)
    return result if result.is_match else None


def search_reference(query: Profile, database: list[Profile]) -> list[MatchResult]:
    """Every matching profile of a database, by brute force (the reference for tests)."""
    found = [prum_match(query, candidate) for candidate in database]
    return [m for m in found if m is not None]


def codis_match(
    query: Profile,
    target: Profile,
    stringency: Stringency,
    min_loci: int = rules.CODIS_MIN_LOCI,
) -> bool:
    """National search under a CODIS stringency; allele sets may hold more than two alleles
    (mixtures). Wildcards are ignored: CODIS compares designated alleles only."""
    shared = sorted(set(query.typed_loci()) & set(target.typed_loci()))
    compared = 0
    for locus in shared:
        q = {a.value for a in query.loci[locus] if not a.wildcard}
        t = {a.value for a in target.loci[locus] if not a.wildcard}
        if not q or not t:
            continue
        compared += 1
        if stringency is Stringency.HIGH:
            ok = q == t
        elif stringency is Stringency.MODERATE:
            ok = q <= t or t <= q
        else:
            ok = bool(q & t)
        if not ok:
            return False
    return compared >= min_loci


__all__ = [
    "AlleleMatch",
    "LocusComparison",
    "MatchResult",
    "codis_match",
    "compare_alleles",
    "compare_locus",
    "compare_profiles",
    "prum_match",
    "search_reference",
]
