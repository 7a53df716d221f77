"""Candidate generation, expressed once: key rows from identity's own index keys, then one SQL
text that every engine runs.

It reproduces :meth:`passerelle.identity.index.Watchlist.candidates` relationally, so a bulk
run scores exactly the pairs the in-memory path scores:

1. every person becomes rows ``(ord, key, pos, weight, least, single)`` from
   :func:`passerelle.identity.index.index_keys` (``pos`` is the key's place in the query's key
   order, which the in-memory index uses to break ties);
2. one-part keys filed under more than ``POSTING_CAP`` watchlist entries are dropped;
3. records and entries are joined on the key, key weights summed per pair (a one-part key
   of a rare name counts double), and each record keeps its ``CANDIDATE_LIMIT``
   best-supported entries (ties: first key met, then entry order) that reach its minimum
   weight, of which at most ``WEAK_LIMIT`` below ``STRONG_WEIGHT``.

When the identity index changes how it ranks candidates, this module changes with it: the
bulk tests compare every engine with the in-memory path on the same data and fail otherwise.
"""

from __future__ import annotations

import pyarrow as pa

from passerelle.bulk.people import PERSON_COLUMNS, people_of
from passerelle.identity import rules
from passerelle.identity.features import Features, prepare
from passerelle.identity.index import index_keys
from passerelle.identity.index import key_weight as index_key_weight

KEY_SCHEMA = pa.schema(
    [
        ("ord", pa.int64()),
        ("key", pa.string()),
        ("pos", pa.int32()),
        ("weight", pa.int32()),
        ("least", pa.int32()),
        ("single", pa.bool_()),
    ]
)


def least_weight(f: Features) -> int:
    """The key weight a candidate must share with this query (as the in-memory index)."""
    full_parts = sum(not p.initial for p in f.parts)
    arabic = any(p.arabic for p in f.parts)
    return rules.MIN_CANDIDATE_WEIGHT if full_parts > 1 and not arabic else 1


def key_weight(key: str, single: bool) -> int:
    """Ranking weight of a shared key: one-part keys count 1 here (rarity is added in SQL),
    pair and document keys weigh exactly as in the in-memory index."""
    return 1 if single else index_key_weight(key)


def person_keys(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Batch function: people ``(ord, id, name columns…)`` → their blocking key rows."""
    ords: list[int] = []
    keys: list[str] = []
    pos: list[int] = []
    weights: list[int] = []
    leasts: list[int] = []
    singles: list[bool] = []
    for ordinal, record in people_of(batch):
        features = prepare(record)
        one_part, pairs = index_keys(features)
        least = least_weight(features)
        for i, key in enumerate((*one_part, *pairs)):
            single = i < len(one_part)
            ords.append(ordinal)
            keys.append(key)
            pos.append(i)
            weights.append(key_weight(key, single))
            leasts.append(least)
            singles.append(single)
    return pa.record_batch([ords, keys, pos, weights, leasts, singles], schema=KEY_SCHEMA)


def entry_index_sql(cap: int | None = None) -> str:
    """Watchlist key rows worth joining, with their posting-list length ``n``; one-part keys
    of over-common names are dropped. Reads ``entry_keys``; yields ``(slot, key, n)``."""
    limit = rules.POSTING_CAP if cap is None else cap
    # Only integers and fixed names are interpolated into the SQL texts of this module.
    return f"""
SELECT k.ord AS slot, k.key AS key, kept.n AS n
FROM entry_keys k
JOIN (
    SELECT key, count(*) AS n FROM entry_keys GROUP BY key
    HAVING count(*) <= {int(limit)} OR NOT bool_and(single)
) kept ON k.key = kept.key
"""  # noqa: S608


def _single_weight() -> str:
    """One-part key weight from its posting-list length: a rare name counts double."""
    return f"""CASE WHEN e.n = 1 THEN {int(rules.RARE_KEY_WEIGHT)}
         WHEN e.n <= {int(rules.RARE_POSTINGS)} THEN 2 ELSE 1 END"""


def _person_select(alias: str, prefix: str) -> str:
    return ", ".join(f"{alias}.{c} AS {prefix}{c}" for c in PERSON_COLUMNS)


def candidates_sql(low: int, high: int, limit: int | None = None) -> str:
    """Candidate pairs of records ``low <= ord < high`` with both people's columns.

    Reads ``record_keys`` (this partition's key rows), ``entry_index``, ``records`` and
    ``entries``; yields ``ord, slot, r_id, r_full_name, …, e_id, e_full_name, …``.
    """
    top = rules.CANDIDATE_LIMIT if limit is None else limit
    strong = int(rules.STRONG_WEIGHT)
    return f"""
WITH shared AS (
    SELECT r.ord AS ord, e.slot AS slot,
           sum(CASE WHEN r.single THEN {_single_weight()} ELSE r.weight END) AS weight,
           min(r.pos) AS first_pos, min(r.least) AS least
    FROM record_keys r JOIN entry_index e ON r.key = e.key
    GROUP BY r.ord, e.slot
), ranked AS (
    SELECT ord, slot, weight, least,
           row_number() OVER (PARTITION BY ord ORDER BY weight DESC, first_pos, slot) AS rank,
           sum(CASE WHEN weight >= {strong} THEN 1 ELSE 0 END) OVER (PARTITION BY ord) AS strong
    FROM shared
)
SELECT c.ord AS ord, c.slot AS slot, {_person_select("r", "r_")}, {_person_select("e", "e_")}
FROM ranked c
JOIN records r ON r.ord = c.ord
JOIN entries e ON e.ord = c.slot
WHERE c.rank <= {int(top)} AND c.weight >= c.least
  AND (c.weight >= {strong} OR c.rank - c.strong <= {int(rules.WEAK_LIMIT)})
  AND r.ord >= {int(low)} AND r.ord < {int(high)}
"""  # noqa: S608


#: Watchlist rows with one row per id, the last one read (as ``Watchlist.add(replace=True)``).
DEDUPLICATE_ENTRIES_SQL = f"""
SELECT ord, {", ".join(PERSON_COLUMNS)} FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY ord DESC) AS dup
    FROM entries_raw
) deduplicated WHERE dup = 1
"""  # noqa: S608

__all__ = [
    "DEDUPLICATE_ENTRIES_SQL",
    "KEY_SCHEMA",
    "candidates_sql",
    "entry_index_sql",
    "key_weight",
    "least_weight",
    "person_keys",
]
