"""Regulatory and technical constants of the DNA domain, each with its source.

A lawyer or a forensic biologist should be able to review this file without reading code.
Where the project's issue #7 fixes a rule that the reference notes mark "(verify)", the issue's
wording governs and is cited as the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Final


@dataclass(frozen=True)
class LociList:
    """A named list of loci and the text it comes from."""

    name: str
    loci: tuple[str, ...]
    source: str


AMELOGENIN: Final = "Amelogenin"

ESS = LociList(
    name="ESS",
    loci=(
        "D3S1358",
        "vWA",
        "D8S1179",
        "D21S11",
        "D18S51",
        "TH01",
        "FGA",
        "D1S1656",
        "D2S441",
        "D10S1248",
        "D12S391",
        "D22S1045",
    ),
    source="European Standard Set, Council Resolution 2009/C 296/01 of 30 November 2009",
)

ESS_ORIGINAL = LociList(
    name="ESS-7",
    loci=ESS.loci[:7],
    source="Council Resolution 2001/C 187/01 (the original seven ESS loci), kept by 2009/C 296/01",
)

PRUM = LociList(
    name="Prüm",
    loci=(
        "vWA",
        "TH01",
        "D21S11",
        "FGA",
        "D8S1179",
        "D3S1358",
        "D18S51",
        AMELOGENIN,
        "TPOX",
        "CSF1PO",
        "D13S317",
        "D7S820",
        "D5S818",
        "D16S539",
        "D2S1338",
        "D19S433",
        "Penta D",
        "Penta E",
        "FES",
        "F13A1",
        "F13B",
        "SE33",
        "CD4",
        "GABA",
    ),
    source="Council Decision 2008/616/JHA, Annex, Chapter 1, point 1.1 (up to 24 loci)",
)

CODIS_CORE = LociList(
    name="CODIS-20",
    loci=(
        "CSF1PO",
        "FGA",
        "TH01",
        "TPOX",
        "vWA",
        "D3S1358",
        "D5S818",
        "D7S820",
        "D8S1179",
        "D13S317",
        "D16S539",
        "D18S51",
        "D21S11",
        "D1S1656",
        "D2S441",
        "D2S1338",
        "D10S1248",
        "D12S391",
        "D19S433",
        "D22S1045",
    ),
    source="FBI CODIS core loci, expanded to 20 loci on 1 January 2017",
)

FREQUENCY_TABLE_LOCI = LociList(
    name="norSTR",
    loci=(
        "D2S1360",
        "D3S1744",
        "D3S3045",
        "D4S2366",
        "D5S2500",
        "D5S2800",
        "D6S474",
        "D6S477",
        "D7S3048",
        "D7S1517",
        "D8S1132",
        "D9S1122",
        "D10S1435",
        "D10S2325",
        "D11S2368",
        "D13S325",
        "D14S1434",
        "D15S659",
        "D17S1301",
        "D18S1364",
        "D19S253",
        "D20S482",
        "D21S2055",
        "D22GATA198B05",
    ),
    # D11S554, D17S906 and APOAI1 are left out: the tables give them as fragment sizes in
    # bases, not in repeat units, so their alleles cannot be compared with this notation.
    source="Further loci of the shipped norSTR frequency tables (data/README.md)",
)

LOCI_LISTS: Final = {lst.name: lst for lst in (ESS, ESS_ORIGINAL, PRUM, CODIS_CORE)}

# Locus spellings met in laboratory exports; compared after removing case, spaces, hyphens and
# underscores. Source: issue #7 (THO1, AMEL) and common kit naming (Promega, Thermo Fisher).
LOCUS_ALIASES: Final[dict[str, str]] = {
    "THO1": "TH01",
    "AMEL": "Amelogenin",
    "AM": "Amelogenin",
    "VWA31": "vWA",
    "FIBRA": "FGA",
    "FGAFIBRA": "FGA",
    "PENTAD": "Penta D",
    "PENTAE": "Penta E",
    "PD": "Penta D",
    "PE": "Penta E",
    "F13A01": "F13A1",
    "FESFPS": "FES",
    "CSF1P0": "CSF1PO",
    "TP0X": "TPOX",
}

# Repeat unit length in bases. Source: issue #7 — all loci are tetranucleotide except Penta D,
# Penta E and CD4, which are pentanucleotide.
PENTANUCLEOTIDE_LOCI: Final = frozenset({"Penta D", "Penta E", "CD4"})
TETRA_REPEAT: Final = 4
PENTA_REPEAT: Final = 5

# Wildcards (match any allele). Council Decision 2008/616/JHA, Annex, Chapter 1: ANY non-numeric
# allele value except at amelogenin (e.g. o, f, r, na, nr, un, "OL") becomes the wildcard, as do
# the values 0, 1 and 99; with three alleles at a locus the first is kept and the other two
# become wildcards [read: annex quoted at http://basarctic.blogg.se/2022/november/
# true-code-for-renault-327.html; checked 2026-12-03]. The set lists the usual values (examples;
# the rule is "not a number"); the numeric ones are the annex's.
WILDCARD_VALUES: Final = frozenset({"*", "o", "f", "r", "na", "nr", "un", "0", "1", "99"})
NUMERIC_WILDCARDS: Final = frozenset({"0", "1", "99"})
WILDCARD_SOURCE: Final = "Council Decision 2008/616/JHA, Annex, Chapter 1 (checked 2026-12-03)"
WILDCARD: Final = "*"

# Plausible allele range (repeats) for validation; observed STR alleles lie within 2–60 repeats
# (SE33 reaches ~52). Source: STRBase allele ranges (NIST), rounded outward.
MIN_REPEATS: Final = 2
MAX_REPEATS: Final = 80

# Prüm comparison thresholds. Source: issue #7 ("at least 6 loci match and at most one allele in
# total does not match"), Council Decision 2008/616/JHA, Annex, Chapter 1, point 1.2.
MIN_MATCHING_LOCI: Final = 6
MAX_MISMATCHED_ALLELES: Final = 1

# Exchange rules. Source: issue #7 ("single source, at least 6 designated loci besides
# amelogenin"); Council Decision 2008/616/JHA, Annex, Chapter 1, point 1.1.
MIN_DESIGNATED_LOCI: Final = 6
# Reference profiles of persons also need at least 6 of the 7 original ESS loci (ESS_ORIGINAL)
# fully designated, or they are not exchanged: "Les profils ADN de référence doivent comporter
# au moins 6 des 7 loci de l'ESS" — Decision 2008/616/JHA, Annex, Chapter 1, point 1.1 [read,
# OJ L 210 of 6.8.2008, FR text; checked 2026-12-03].
MIN_ESS_ORIGINAL_LOCI_REFERENCE: Final = 6
ESS_REFERENCE_SOURCE: Final = "Council Decision 2008/616/JHA, Annex, Chapter 1, point 1.1"


class Quality(IntEnum):
    """Prüm match quality classes. Source: issue #7."""

    EXACT = 1
    WILDCARD = 2
    MICROVARIANT = 3
    NEAR = 4


# Quality classes that need laboratory confirmation before anyone acts on a hit.
# Source: issue #7 (cross-border section).
NEEDS_LAB_CONFIRMATION: Final = frozenset({Quality.MICROVARIANT, Quality.NEAR})


class Stringency(StrEnum):
    """CODIS search stringencies for national searches. Source: FBI NDIS Operational
    Procedures Manual, "search stringency" (high: identical allele sets; moderate: one allele
    set contains the other, for mixtures; low: at least one shared allele)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"


# Minimum compared loci for a CODIS-stringency national search; a national parameter, aligned
# by default with the Prüm threshold above so that both search modes agree on small profiles.
CODIS_MIN_LOCI: Final = 6


class SampleType(StrEnum):
    """Kinds of samples held in national databases. Source: issue #7."""

    REFERENCE_PERSON = "reference_person"
    CRIME_STAIN = "crime_stain"
    MISSING_PERSON = "missing_person"
    UNIDENTIFIED_REMAINS = "unidentified_remains"


# Statistics. Source: National Research Council, "The Evaluation of Forensic DNA Evidence"
# (NRC II, 1996), recommendation 4.1 (θ = 0.01; 0.03 for small isolated populations),
# formula 4.10 (Balding–Nichols), and the minimum allele frequency 5/(2N).
DEFAULT_THETA: Final = 0.01
ISOLATED_POPULATION_THETA: Final = 0.03
MIN_ALLELE_COUNT: Final = 5

# Shipped frequency tables (norSTR, MIT). Source: data/README.md.
POPULATIONS: Final[dict[str, str]] = {
    "europe": "EuropaDB_v2023.txt",
    "north_africa": "AfrikaDB_v2023.txt",
    "west_asia": "VestAsiaDB_v2023.txt",
    "norway": "NorskDB_v2023.txt",
}
DEFAULT_POPULATION: Final = "europe"


# --- Node storage: purposes, legal bases and retention ---------------------------------------

#: Purpose and legal basis recorded with every access to stored profiles (audit log).
PURPOSE: Final = "DNA identification (criminal investigation)"
LEGAL_BASIS: Final = (
    "Council Decision 2008/615/JHA arts. 2-7; Directive (EU) 2016/680 art. 10; national DNA "
    "database law (FR: CPP arts. 706-54 ff.; BE: loi du 22 mars 1999)"
)
#: Legal basis of a cross-border search and its follow-up.
PRUM_LEGAL_BASIS: Final = "Council Decision 2008/615/JHA arts. 3-5 (automated DNA search)"


class PersonStatus(StrEnum):
    """Why a person's reference profile is held: as a suspect (``mis en cause``, CPP R53-10 I 2°)
    or convicted (R53-10 II). Traces, missing persons and remains have no person status."""

    SUSPECT = "suspect"
    CONVICTED = "convicted"


@dataclass(frozen=True)
class Term:
    """How long one class of profiles is kept: ``years`` by default, ``listed_years`` for the
    listed serious offences, and the same two for minors; counted from the profile's
    registration or, for convicted persons, from the date the decision became final. A
    re-import never restarts the count."""

    years: int
    listed_years: int
    minor_years: int
    minor_listed_years: int
    counts_from: str  # "registration" or "final_decision"

    def for_(self, *, minor: bool, listed: bool) -> int:
        if minor:
            return self.minor_listed_years if listed else self.minor_years
        return self.listed_years if listed else self.years


@dataclass(frozen=True)
class RetentionTerms:
    """A node's DNA retention terms with their national source (one per node country)."""

    country: str
    trace: Term
    suspect: Term
    convicted: Term
    source: str
    verified: bool


#: French FNAEG terms: CPP art. R53-14 as amended by décret n° 2021-1402 (in force 31 Oct 2021)
#: [read: https://www.doctrine.fr/l/texts/codes/LEGITEXT000006071154/articles/
#: LEGIARTI000006517590 ; EN: https://french-business-law.com/french-legislation-art/
#: article-r53-14-of-the-french-code-of-criminal-procedure ; checked 2026-12-03]. Traces 25 years
#: from registration, 40 for the listed offences; persons under R53-10 I 2° (suspects) 15 years
#: from registration, 25 for the listed offences (minors 10, or 15); convicted persons (R53-10
#: II) 25 years from the date the conviction became final, 40 for the listed offences (minors 15,
#: or 25). Missing persons and unidentified remains are kept as traces pending identification —
#: that assimilation is the project's, UNVERIFIED (listed in docs/privacy.md).
FR_TERMS: Final = RetentionTerms(
    country="FR",
    trace=Term(25, 40, 25, 40, "registration"),
    suspect=Term(15, 25, 10, 15, "registration"),
    convicted=Term(25, 40, 15, 25, "final_decision"),
    source="CPP art. R53-14 (décret 2021-1402), checked 2026-12-03",
    verified=True,
)
#: Built-in terms by node country. Any other node (Belgium: loi du 22 mars 1999, terms not found
#: by the legal review) must configure its own with their national source
#: (``PASSERELLE_DNA_RETENTION_TERMS``); without them the DNA package refuses to start rather
#: than inherit the French ones (Decision 2008/615/JHA art. 28(3)(b): the supplying State's law).
BUILT_IN_TERMS: Final[dict[str, RetentionTerms]] = {"FR": FR_TERMS}
TERMS_SOURCE: Final = "Council Decision 2008/615/JHA art. 28(3)(b) (national law of the holder)"

#: Match records (national and cross-border) live as long as federation messages: five years,
#: so a match never outlives the exchange that produced it.
MATCH_RETENTION_YEARS: Final = 5
MATCH_RETENTION_SOURCE: Final = (
    "Directive (EU) 2016/680 arts. 4(1)(e), 5 (time limits, periodic review); aligned with the "
    "federation message retention (5 years)"
)

__all__ = [
    "AMELOGENIN",
    "BUILT_IN_TERMS",
    "CODIS_CORE",
    "CODIS_MIN_LOCI",
    "DEFAULT_POPULATION",
    "DEFAULT_THETA",
    "ESS",
    "ESS_ORIGINAL",
    "ESS_REFERENCE_SOURCE",
    "FREQUENCY_TABLE_LOCI",
    "FR_TERMS",
    "LEGAL_BASIS",
    "LOCI_LISTS",
    "LOCUS_ALIASES",
    "MATCH_RETENTION_SOURCE",
    "MATCH_RETENTION_YEARS",
    "MAX_MISMATCHED_ALLELES",
    "MIN_DESIGNATED_LOCI",
    "MIN_ESS_ORIGINAL_LOCI_REFERENCE",
    "MIN_MATCHING_LOCI",
    "NEEDS_LAB_CONFIRMATION",
    "NUMERIC_WILDCARDS",
    "PENTANUCLEOTIDE_LOCI",
    "POPULATIONS",
    "PRUM",
    "PRUM_LEGAL_BASIS",
    "PURPOSE",
    "TERMS_SOURCE",
    "WILDCARD_SOURCE",
    "WILDCARD_VALUES",
    "LociList",
    "PersonStatus",
    "Quality",
    "RetentionTerms",
    "SampleType",
    "Stringency",
    "Term",
]
