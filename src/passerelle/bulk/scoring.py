"""Scoring as Arrow batch functions: identity's scorer and DNA's index, never a re-implementation.

Each function takes one record batch of candidate pairs (or query profiles) and returns one
batch of results; engines run them in this process (DuckDB) or on executors (Spark).
"""

from __future__ import annotations

import pyarrow as pa

from passerelle.bulk.people import PERSON_COLUMNS
from passerelle.identity import Features, Match, Memo, PersonRecord, hit_row, prepare
from passerelle.identity import compare_features as compare

HIT_SCHEMA = pa.schema(
    [
        ("ord", pa.int64()),
        ("score", pa.float64()),
        ("record_id", pa.string()),
        ("entry_id", pa.string()),
        ("score_text", pa.string()),
        ("explanation", pa.string()),
    ]
)

# Prepared watchlist entries kept per worker process (entries recur across batches and
# partitions): room for a whole national watchlist (≈ 1 GB per million entries). Keyed by
# slot and checked against the entry id, and cleared when a job starts (clear_entry_cache):
# a process that runs several jobs must never score against another job's entry.
_ENTRY_CACHE: dict[int, tuple[str, Features]] = {}
_ENTRY_CACHE_SIZE = 3_000_000


def clear_entry_cache() -> None:
    """Forget the prepared entries of earlier jobs (called when a screening job starts)."""
    _ENTRY_CACHE.clear()


def _people(batch: pa.RecordBatch, prefix: str, rows: list[int]) -> list[PersonRecord]:
    """The people in columns ``prefix…`` of ``rows`` (only those rows are converted)."""
    names = [prefix + c for c in PERSON_COLUMNS]
    data = batch.select(names).take(pa.array(rows, pa.int64())).to_pydict()
    return [PersonRecord(*values) for values in zip(*(data[n] for n in names), strict=True)]


def score_candidates(threshold: float, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Candidate pairs (``candidates_sql`` rows) → hits at or above ``threshold``.

    Uses :func:`passerelle.identity.scorer.compare` exactly as ``screen_features`` does, and
    formats rows with :func:`passerelle.identity.csvio.hit_row`. Only the first row of each
    record and the rows of entries not yet prepared in this process are converted to Python.
    """
    ords: list[int] = batch.column("ord").to_pylist()
    slots: list[int] = batch.column("slot").to_pylist()
    entry_ids: list[str] = batch.column("e_id").to_pylist()
    if len(_ENTRY_CACHE) + len(slots) > _ENTRY_CACHE_SIZE:
        _ENTRY_CACHE.clear()
    first_rows: dict[int, int] = {}
    missing: dict[int, int] = {}
    for row, (ordinal, slot, entry_id) in enumerate(zip(ords, slots, entry_ids, strict=True)):
        first_rows.setdefault(ordinal, row)
        cached = _ENTRY_CACHE.get(slot)
        if cached is None or cached[0] != entry_id:
            missing.setdefault(slot, row)
    for slot, entry in zip(missing, _people(batch, "e_", list(missing.values())), strict=True):
        _ENTRY_CACHE[slot] = (entry.id, prepare(entry))
    queries: dict[int, tuple[PersonRecord, Features, Memo]] = {
        ordinal: (record, prepare(record), {})
        for ordinal, record in zip(
            first_rows, _people(batch, "r_", list(first_rows.values())), strict=True
        )
    }
    out: dict[str, list[object]] = {name: [] for name in HIT_SCHEMA.names}
    for ordinal, slot, entry_id in zip(ords, slots, entry_ids, strict=True):
        record, features, memo = queries[ordinal]
        value, explanation = compare(features, _ENTRY_CACHE[slot][1], memo, floor=threshold)
        if value >= threshold and explanation is not None:
            cells = hit_row(record, Match(entry_id, value, explanation))
            for name, cell in zip(HIT_SCHEMA.names, (ordinal, value, *cells), strict=True):
                out[name].append(cell)
    return pa.record_batch([out[n] for n in HIT_SCHEMA.names], schema=HIT_SCHEMA)


__all__ = [
    "HIT_SCHEMA",
    "score_candidates",
]
