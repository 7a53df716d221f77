"""Identity matching: find the same person across scripts, spellings and documents.

A pure core library (no web, storage or privacy imports). Typical use::

    watchlist = Watchlist([PersonRecord("w1", full_name="Sergei Ivanov")])
    screen(PersonRecord("r1", full_name="Сергей Иванов"), watchlist)  # -> [Match(...)]
"""

from passerelle.identity.countries import normalise_country
from passerelle.identity.dates import PartialDate, compare_dates, parse_date
from passerelle.identity.documents import compare_documents, normalise_document
from passerelle.identity.features import prepare
from passerelle.identity.index import Watchlist
from passerelle.identity.mrz import MrzData, check_digit, parse_mrz
from passerelle.identity.rules import DEFAULT_THRESHOLD
from passerelle.identity.schemas import Explanation, Match, NamePair, PersonRecord
from passerelle.identity.scorer import explain
from passerelle.identity.service import screen, screen_many

__all__ = [
    "DEFAULT_THRESHOLD",
    "Explanation",
    "Match",
    "MrzData",
    "NamePair",
    "PartialDate",
    "PersonRecord",
    "Watchlist",
    "check_digit",
    "compare",
    "compare_dates",
    "compare_documents",
    "normalise_country",
    "normalise_document",
    "parse_date",
    "parse_mrz",
    "prepare",
    "screen",
    "screen_many",
]


def compare(a: PersonRecord, b: PersonRecord) -> Match:
    """Score two people directly (no index); the Match's entry_id is ``b.id``."""
    value, explanation = explain(prepare(a), prepare(b))
    return Match(b.id, value, explanation)
