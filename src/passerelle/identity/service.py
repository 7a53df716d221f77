"""Screening: a record against a watchlist, and a file of records against a file of entries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from passerelle.errors import ValidationFailed
from passerelle.identity import rules
from passerelle.identity.features import Features, prepare
from passerelle.identity.index import Watchlist
from passerelle.identity.schemas import Match, PersonRecord
from passerelle.identity.scorer import Memo, compare

DEFAULT_THRESHOLD = rules.DEFAULT_THRESHOLD


def _check_threshold(threshold: float) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise ValidationFailed(f"threshold {threshold} is outside [0, 1]")


def screen_features(
    query: Features,
    watchlist: Watchlist,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = rules.CANDIDATE_LIMIT,
) -> list[Match]:
    """Matches of a prepared record, best first (ties by entry id)."""
    matches: list[Match] = []
    memo: Memo = {}
    for slot in watchlist.candidates(query, limit):
        entry = watchlist.features(slot)
        record = watchlist.record(slot)
        if entry is None or record is None:
            continue
        value, explanation = compare(query, entry, memo, floor=threshold)
        if value >= threshold and explanation is not None:
            matches.append(Match(record.id, value, explanation))
    matches.sort(key=lambda m: (-m.score, m.entry_id))
    return matches


def screen(
    record: PersonRecord, watchlist: Watchlist, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """Every watchlist entry scoring at or above ``threshold`` against ``record``, best first.

    Matches are candidates for a human reviewer, never decisions (DESIGN principle 5).
    """
    _check_threshold(threshold)
    return screen_features(prepare(record), watchlist, threshold)


def screen_many(
    records: Iterable[PersonRecord],
    watchlist: Watchlist,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[PersonRecord, Match]]:
    """(record, match) for every record and each of its matches, in input order."""
    _check_threshold(threshold)
    for record in records:
        for match in screen_features(prepare(record), watchlist, threshold):
            yield record, match
        if progress is not None:
            progress(1)
