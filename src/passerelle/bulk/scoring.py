"""Scoring as Arrow batch functions: identity's scorer and DNA's index, never a re-implementation.

Each function takes one record batch of candidate pairs (or query profiles) and returns one
batch of results; engines run them in this process (DuckDB) or on executors (Spark).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from passerelle.bulk.people import PERSON_COLUMNS
from passerelle.dna.index import ProfileIndex
from passerelle.dna.matching import MatchResult
from passerelle.identity.csvio import hit_row
from passerelle.identity.features import Features, prepare
from passerelle.identity.schemas import Match, PersonRecord
from passerelle.identity.scorer import Memo, compare

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


DNA_HIT_SCHEMA = pa.schema(
    [
        ("ord", pa.int64()),
        ("b_row", pa.int64()),
        ("a_id", pa.string()),
        ("b_id", pa.string()),
        ("compared_loci", pa.int32()),
        ("matching_loci", pa.int32()),
        ("mismatched_alleles", pa.int32()),
        ("quality", pa.int32()),
    ]
)

# The searched database, loaded once per worker process and kept for the next tasks.
_INDEXES: dict[str, tuple[ProfileIndex, NDArray[np.int64], NDArray[Any]]] = {}


def load_database(path: str) -> None:
    """Load the searched database in this process now: worker processes forked afterwards
    (the DuckDB engine's) then share one copy of its index instead of each building its own."""
    _index(path)


def _index(path: str) -> tuple[ProfileIndex, NDArray[np.int64], NDArray[Any]]:
    """The index of a wide profile dataset, with ids sorted for row look-ups."""
    from passerelle.bulk.profiles import index_from_wide

    found = _INDEXES.get(path)
    if found is None:
        _INDEXES.clear()
        index = index_from_wide(Path(path))
        order = np.argsort(index.ids, kind="stable").astype(np.int64)
        found = _INDEXES[path] = (index, order, index.ids[order])
    return found


def _tail(m: MatchResult) -> tuple[int, int]:
    return m.mismatched_alleles, int(m.quality)


def search_profiles(database: str, loci: tuple[str, ...], batch: pa.RecordBatch) -> pa.RecordBatch:
    """Query profiles (wide rows over ``loci``) → every Prüm match in the wide dataset
    ``database``, found by the DNA package's own ``ProfileIndex.search``."""
    from passerelle.bulk.profiles import profiles_of

    index, order, sorted_ids = _index(database)
    out: dict[str, list[object]] = {name: [] for name in DNA_HIT_SCHEMA.names}
    for ordinal, query in profiles_of(batch, loci):
        for m in index.search(query):
            cells = (ordinal, 0, m.a_id, m.b_id, m.compared_loci, m.matching_loci, *_tail(m))
            for name, cell in zip(DNA_HIT_SCHEMA.names, cells, strict=True):
                out[name].append(cell)
    if out["b_id"]:
        # The input row of each matched profile in the database: output follows its order
        # (the index stores rows grouped by kit; ``original`` maps them back).
        wanted = np.asarray(out["b_id"], dtype=sorted_ids.dtype)
        out["b_row"] = index.original[order[np.searchsorted(sorted_ids, wanted)]].tolist()
    return pa.record_batch([out[n] for n in DNA_HIT_SCHEMA.names], schema=DNA_HIT_SCHEMA)


__all__ = [
    "DNA_HIT_SCHEMA",
    "HIT_SCHEMA",
    "load_database",
    "score_candidates",
    "search_profiles",
]
