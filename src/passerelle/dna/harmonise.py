"""Harmonisation: one locus naming, one allele notation, and the exchange-rule checks.

Locus names are compared case-insensitively, ignoring spaces, hyphens and underscores, with the
aliases of :data:`passerelle.dna.rules.LOCUS_ALIASES`. Allele values are validated per locus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from passerelle.dna import rules
from passerelle.dna.profiles import WILDCARD_ALLELE, Allele, Genotype, Profile
from passerelle.errors import ValidationFailed

_NUMERIC = re.compile(r"^([0-9]{1,3})(?:\.([0-9]))?$")
_STRIP = re.compile(r"[\s\-_]+")
_DIGITS_AND_DOTS = re.compile(r"^[\d.]+$")

FLAG_MIXTURE = "mixture"
FLAG_TOO_FEW_LOCI = "too_few_designated_loci"
FLAG_TOO_FEW_ESS = "too_few_ess_loci"


def locus_key(name: str) -> str:
    """The comparison key of a locus name: upper case, no spaces, hyphens or underscores."""
    return _STRIP.sub("", name).upper()


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for lst in (*rules.LOCI_LISTS.values(), rules.FREQUENCY_TABLE_LOCI):
        for locus in lst.loci:
            names[locus_key(locus)] = locus
    for alias, canonical in rules.LOCUS_ALIASES.items():
        names[locus_key(alias)] = canonical
    return names


def canonical_locus(name: str) -> str | None:
    """The canonical name of a locus, or None when the locus is unknown."""
    return _canonical_names().get(locus_key(name))


def repeat_bases(locus: str) -> int:
    """Repeat unit length of a (canonical) locus in bases."""
    return rules.PENTA_REPEAT if locus in rules.PENTANUCLEOTIDE_LOCI else rules.TETRA_REPEAT


def parse_allele(raw: str, locus: str) -> Allele:
    """Validate and normalise one raw allele value at a canonical locus.

    Any non-numeric value (``OL``, ``na``, ``f`` …) and the values 0, 1 and 99 become the
    wildcard (``rules.WILDCARD_SOURCE``), except at amelogenin (X or Y). Raises
    :class:`ValidationFailed` for a number that cannot be an allele of that locus.
    """
    text = raw.strip()
    if text == rules.WILDCARD or text in rules.NUMERIC_WILDCARDS:
        return WILDCARD_ALLELE
    if locus == rules.AMELOGENIN:
        if text.upper() in {"X", "Y"}:
            return Allele(text.upper())
        if text.lower() in rules.WILDCARD_VALUES:
            return WILDCARD_ALLELE
        raise ValidationFailed(f"amelogenin allele must be X or Y, got {raw!r}", locus=locus)
    match = _NUMERIC.match(text)
    if match is None:
        if _DIGITS_AND_DOTS.match(text):
            raise ValidationFailed(f"allele {raw!r} at {locus} is not a number like 9 or 9.3")
        return WILDCARD_ALLELE  # non-numeric ("OL", "na", "<8"): the annex's wildcard
    repeats, extra = int(match.group(1)), int(match.group(2) or 0)
    if not rules.MIN_REPEATS <= repeats <= rules.MAX_REPEATS:
        raise ValidationFailed(f"allele {raw!r} at {locus} is outside the plausible range")
    if extra >= repeat_bases(locus):
        raise ValidationFailed(
            f"allele {raw!r} at {locus}: a {repeat_bases(locus)}-base repeat cannot have "
            f"{extra} extra bases"
        )
    value = f"{repeats}.{extra}" if extra else str(repeats)
    return Allele(value, repeats, extra)


def make_genotype(raw_alleles: Iterable[str], locus: str) -> Genotype:
    """Parse a locus' alleles; one allele (or an empty second one) means homozygous. Three or
    more alleles are kept as given for national (CODIS) searches; for Prüm comparison and
    exchange :func:`prum_genotype` keeps the first and makes the others wildcards."""
    alleles = [parse_allele(a, locus) for a in raw_alleles if a.strip()]
    if not alleles:
        raise ValidationFailed(f"locus {locus} has no allele")
    if len(alleles) == 1:
        alleles.append(alleles[0])
    return tuple(alleles)


def make_profile(
    profile_id: str,
    loci: Mapping[str, Iterable[str]],
    **attributes: object,
) -> Profile:
    """Build a harmonised profile from raw locus names and raw allele values.

    Unknown loci (for example Y-STRs) are dropped with a warning; two raw names that harmonise
    to the same locus are an error. Other keyword arguments are :class:`Profile` fields.
    """
    if not profile_id.strip():
        raise ValidationFailed("profile id is empty")
    genotypes: dict[str, Genotype] = {}
    warnings: list[str] = []
    for raw_locus, raw_alleles in loci.items():
        locus = canonical_locus(raw_locus)
        if locus is None:
            warnings.append(f"unknown locus {raw_locus!r} ignored")
            continue
        if locus in genotypes:
            raise ValidationFailed(f"locus {locus} appears twice in profile {profile_id}")
        genotypes[locus] = make_genotype(raw_alleles, locus)
    return Profile(profile_id.strip(), genotypes, warnings=tuple(warnings), **attributes)  # type: ignore[arg-type]


def prum_genotype(genotype: Genotype) -> tuple[Allele, Allele]:
    """The two-allele form used for exchange: with three alleles the first is kept and the other
    two become wildcards (``rules.WILDCARD_SOURCE``), i.e. (first, wildcard)."""
    if len(genotype) == 1:
        return genotype[0], genotype[0]
    if len(genotype) == 2:
        return genotype[0], genotype[1]
    return genotype[0], WILDCARD_ALLELE


def exchange_flags(profile: Profile) -> list[str]:
    """Reasons why a profile may not be offered for cross-border comparison (empty when fine)."""
    flags: list[str] = []
    if not profile.single_source or any(len(g) > 3 for g in profile.loci.values()):
        flags.append(FLAG_MIXTURE)
    designated = profile.designated_loci()
    if len(designated) < rules.MIN_DESIGNATED_LOCI:
        flags.append(FLAG_TOO_FEW_LOCI)
    if profile.sample_type == rules.SampleType.REFERENCE_PERSON:
        ess = [locus for locus in rules.ESS_ORIGINAL.loci if locus in designated]
        if len(ess) < rules.MIN_ESS_ORIGINAL_LOCI_REFERENCE:
            flags.append(FLAG_TOO_FEW_ESS)
    return flags


def exchangeable(profile: Profile) -> bool:
    """True when the profile meets the Prüm exchange rules."""
    return not exchange_flags(profile)


__all__ = [
    "FLAG_MIXTURE",
    "FLAG_TOO_FEW_ESS",
    "FLAG_TOO_FEW_LOCI",
    "canonical_locus",
    "exchange_flags",
    "exchangeable",
    "locus_key",
    "make_genotype",
    "make_profile",
    "parse_allele",
    "prum_genotype",
    "repeat_bases",
]
