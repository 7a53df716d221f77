"""Identity matching: find the same person across scripts, spellings and documents.

A pure core library (no web, storage or privacy imports). Typical use::

    watchlist = Watchlist([PersonRecord("w1", full_name="Sergei Ivanov")])
    screen(PersonRecord("r1", full_name="Сергей Иванов"), watchlist)  # -> [Match(...)]
"""

from passerelle.identity import rules
from passerelle.identity.countries import normalise_country
from passerelle.identity.csvio import (
    NUMERIC_OUTPUT_COLUMNS,
    OPTIONAL_COLUMNS,
    OUTPUT_COLUMNS,
    Reject,
    check_date,
    count_rows,
    hit_row,
    read_people,
    rejects_path,
    write_rejects,
)
from passerelle.identity.dates import PartialDate, compare_dates, parse_date
from passerelle.identity.documents import compare_documents, normalise_document
from passerelle.identity.features import Features, prepare
from passerelle.identity.index import Watchlist, index_keys, key_weight
from passerelle.identity.mrz import MrzData, check_digit, parse_mrz
from passerelle.identity.rules import DEFAULT_THRESHOLD
from passerelle.identity.schemas import Explanation, Match, NamePair, PersonRecord
from passerelle.identity.scorer import Memo, explain
from passerelle.identity.scorer import compare as compare_features
from passerelle.identity.service import screen, screen_features, screen_many
from passerelle.identity.watchlists import NodeWatchlists, node_watchlists

__all__ = [
    "DEFAULT_THRESHOLD",
    "NUMERIC_OUTPUT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "OUTPUT_COLUMNS",
    "Explanation",
    "Features",
    "Match",
    "Memo",
    "MrzData",
    "NamePair",
    "NodeWatchlists",
    "PartialDate",
    "PersonRecord",
    "Reject",
    "Watchlist",
    "check_date",
    "check_digit",
    "compare",
    "compare_dates",
    "compare_documents",
    "compare_features",
    "count_rows",
    "hit_row",
    "index_keys",
    "key_weight",
    "node_watchlists",
    "normalise_country",
    "normalise_document",
    "parse_date",
    "parse_mrz",
    "prepare",
    "read_people",
    "rejects_path",
    "rules",
    "screen",
    "screen_features",
    "screen_many",
    "write_rejects",
]


def compare(a: PersonRecord, b: PersonRecord) -> Match:
    """Score two people directly (no index); the Match's entry_id is ``b.id``."""
    value, explanation = explain(prepare(a), prepare(b))
    return Match(b.id, value, explanation)
