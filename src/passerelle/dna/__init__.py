"""DNA: harmonised STR profiles, Prüm-rule matching, statistics and a fast search index.

The CLI sub-app lives in :mod:`passerelle.dna.cli` (``app``); it is not imported here so that
importing the domain stays cheap.
"""

from passerelle.dna.harmonise import canonical_locus, exchange_flags, make_profile, parse_allele
from passerelle.dna.index import ProfileIndex
from passerelle.dna.matching import MatchResult, codis_match, compare_profiles, prum_match
from passerelle.dna.profiles import Allele, Profile
from passerelle.dna.rules import Quality, SampleType, Stringency
from passerelle.dna.service import (
    ImportReport,
    PrumAnswer,
    SearchHit,
    compare_databases,
    import_profiles,
    load_profiles,
    national_search,
    prum_answer,
    search,
)
from passerelle.dna.stats import FrequencyTable, Method, load_population, random_match_probability

__all__ = [
    "Allele",
    "FrequencyTable",
    "ImportReport",
    "MatchResult",
    "Method",
    "Profile",
    "ProfileIndex",
    "PrumAnswer",
    "Quality",
    "SampleType",
    "SearchHit",
    "Stringency",
    "canonical_locus",
    "codis_match",
    "compare_databases",
    "compare_profiles",
    "exchange_flags",
    "import_profiles",
    "load_population",
    "load_profiles",
    "make_profile",
    "national_search",
    "parse_allele",
    "prum_answer",
    "prum_match",
    "random_match_probability",
    "search",
]
