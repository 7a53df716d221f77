"""STR profiles: alleles, genotypes and profiles as plain immutable values.

Everything here is already harmonised (canonical locus names, normalised allele values); raw
laboratory input goes through :mod:`passerelle.dna.harmonise` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from passerelle.dna.rules import AMELOGENIN, WILDCARD, SampleType


@dataclass(frozen=True, slots=True, order=True)
class Allele:
    """One allele designation.

    ``value`` is the normalised text (``"9.3"``, ``"10"``, ``"*"`` for a wildcard, ``"X"``/``"Y"``
    at amelogenin). ``repeats`` and ``extra`` give the length: repeats full repeat units plus
    ``extra`` bases (``9.3`` is 9 repeats + 3 bases).
    """

    value: str
    repeats: int = 0
    extra: int = 0

    @property
    def wildcard(self) -> bool:
        return self.value == WILDCARD

    @property
    def numeric(self) -> bool:
        return self.repeats > 0

    def length(self, repeat_bases: int) -> int:
        """Length in bases above the flanking regions (only meaningful for numeric alleles)."""
        return self.repeats * repeat_bases + self.extra

    def __str__(self) -> str:
        return self.value


WILDCARD_ALLELE = Allele(WILDCARD)

Genotype = tuple[Allele, ...]


@dataclass(frozen=True)
class Profile:
    """An STR profile: canonical locus name → alleles, plus what the sample is and where it is from.

    A homozygous locus holds its allele twice. ``single_source`` is False for mixtures, which
    are kept nationally but never exchanged.
    """

    profile_id: str
    loci: Mapping[str, Genotype]
    sample_type: SampleType = SampleType.REFERENCE_PERSON
    kit: str = ""
    laboratory: str = ""
    national_reference: str = ""
    single_source: bool = True
    warnings: tuple[str, ...] = field(default=(), compare=False)
    #: Retention facts (CPP R53-14 and the node's terms): a person's status (``suspect`` or
    #: ``convicted``), minor at registration, listed serious offence, the registration date in
    #: the national database and, for a convicted person, the date the decision became final
    #: (ISO dates; empty: unknown).
    person_status: str = field(default="", compare=False)
    minor: bool = field(default=False, compare=False)
    listed_offence: bool = field(default=False, compare=False)
    registered_on: str = field(default="", compare=False)
    final_decision_on: str = field(default="", compare=False)

    def typed_loci(self) -> list[str]:
        """The loci used for comparison (amelogenin excluded), in a stable order."""
        return sorted(locus for locus in self.loci if locus != AMELOGENIN)

    def designated_loci(self) -> list[str]:
        """Typed loci fully designated in the Prüm form: at most two alleles, no wildcard (a
        third allele turns the others into wildcards, Decision 2008/616/JHA annex)."""
        return [
            locus
            for locus in self.typed_loci()
            if len(self.loci[locus]) <= 2 and not any(a.wildcard for a in self.loci[locus])
        ]


__all__ = ["WILDCARD_ALLELE", "Allele", "Genotype", "Profile"]
