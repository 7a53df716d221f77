"""DNA business logic: profile import and search (``search``), the node's stored profiles
(``store``), Prüm exchange with peers (``exchange``) and retention under the node's terms
(``retention``). Routes, console and CLI stay thin and call these."""

from passerelle.dna.service.search import (
    ImportReport,
    PeerHit,
    PrumAnswer,
    RowError,
    SearchHit,
    compare_databases,
    import_profiles,
    load_profiles,
    national_search,
    prum_answer,
    search,
)

__all__ = [
    "ImportReport",
    "PeerHit",
    "PrumAnswer",
    "RowError",
    "SearchHit",
    "compare_databases",
    "import_profiles",
    "load_profiles",
    "national_search",
    "prum_answer",
    "search",
]
