"""DNA: harmonised STR profiles, Prüm-rule matching, statistics and a fast search index.

The CLI sub-app lives in :mod:`passerelle.dna.cli` (``app``); it is not imported here so that
importing the domain stays cheap.

The names below are imported on first use (PEP 562), so that ``passerelle dna --help`` does
not load numpy and the services.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    )
    from passerelle.dna.service.search import search
    from passerelle.dna.stats import (
        FrequencyTable,
        Method,
        load_population,
        random_match_probability,
    )

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

#: Each name's module and attribute, imported on first use (PEP 562).
_LAZY: dict[str, tuple[str, str]] = {
    "Allele": ("passerelle.dna.profiles", "Allele"),
    "FrequencyTable": ("passerelle.dna.stats", "FrequencyTable"),
    "ImportReport": ("passerelle.dna.service", "ImportReport"),
    "MatchResult": ("passerelle.dna.matching", "MatchResult"),
    "Method": ("passerelle.dna.stats", "Method"),
    "Profile": ("passerelle.dna.profiles", "Profile"),
    "ProfileIndex": ("passerelle.dna.index", "ProfileIndex"),
    "PrumAnswer": ("passerelle.dna.service", "PrumAnswer"),
    "Quality": ("passerelle.dna.rules", "Quality"),
    "SampleType": ("passerelle.dna.rules", "SampleType"),
    "SearchHit": ("passerelle.dna.service", "SearchHit"),
    "Stringency": ("passerelle.dna.rules", "Stringency"),
    "canonical_locus": ("passerelle.dna.harmonise", "canonical_locus"),
    "codis_match": ("passerelle.dna.matching", "codis_match"),
    "compare_databases": ("passerelle.dna.service", "compare_databases"),
    "compare_profiles": ("passerelle.dna.matching", "compare_profiles"),
    "exchange_flags": ("passerelle.dna.harmonise", "exchange_flags"),
    "import_profiles": ("passerelle.dna.service", "import_profiles"),
    "load_population": ("passerelle.dna.stats", "load_population"),
    "load_profiles": ("passerelle.dna.service", "load_profiles"),
    "make_profile": ("passerelle.dna.harmonise", "make_profile"),
    "national_search": ("passerelle.dna.service", "national_search"),
    "parse_allele": ("passerelle.dna.harmonise", "parse_allele"),
    "prum_answer": ("passerelle.dna.service", "prum_answer"),
    "prum_match": ("passerelle.dna.matching", "prum_match"),
    "random_match_probability": ("passerelle.dna.stats", "random_match_probability"),
    "search": ("passerelle.dna.service.search", "search"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)
