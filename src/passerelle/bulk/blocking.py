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

Pairs below the record's minimum weight are dropped as soon as they are summed (``HAVING``):
they would rank after every pair that reaches it, so the ranks of the pairs kept do not change,
and the ranking sorts far fewer rows (50,000 records and a million entries share keys in 82
million pairs, most of them through one common name only).

The text carries two Spark hints, which other engines read as comments: the partition's key
rows are spread by record (``REPARTITION``) and the watchlist's key table is broadcast to them
(``BROADCAST``). The join's output is then already grouped by record, so summing per pair and
ranking per record need no shuffle of the ~100 million joined rows, and each Spark task sums
about a thousand records' pairs in memory. A key table over ``BROADCAST_MAX_KEY_ROWS`` rows
(about two million entries) is not broadcast: the text then has no hints and Spark shuffles.

When the identity index changes how it ranks candidates, this module changes with it: the
bulk tests compare every engine with the in-memory path on the same data and fail otherwise.
"""

from __future__ import annotations

import pyarrow as pa

from passerelle.bulk.people import PERSON_COLUMNS, people_of
from passerelle.identity import Features, index_keys, prepare, rules
from passerelle.identity import key_weight as index_key_weight

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


#: Records per Spark task in the key join (see the module's notes on hints).
_RECORDS_PER_TASK = 1000

# Dropping pairs below a record's minimum weight early keeps every strong pair (counted for
# the weak-candidate limit) only while the minimum never exceeds the strong weight.
assert rules.MIN_CANDIDATE_WEIGHT <= rules.STRONG_WEIGHT, "see candidates_sql's HAVING"


#: Largest watchlist key table (rows) broadcast to the key join: 16 million rows (1 million
#: entries) fit an 8 GiB Spark driver heap with room to spare; past this the join shuffles.
BROADCAST_MAX_KEY_ROWS = 32_000_000


def candidates_sql(low: int, high: int, limit: int | None = None, *, broadcast: bool = True) -> str:
    """Candidate pairs of records ``low <= ord < high`` with both people's columns.

    Reads ``record_keys`` (this partition's key rows), ``entry_index``, ``records`` and
    ``entries``; yields ``ord, slot, r_id, r_full_name, …, e_id, e_full_name, …``.
    ``broadcast=False`` leaves out the Spark hints (for key tables over
    ``BROADCAST_MAX_KEY_ROWS``): same rows, with Spark shuffling the joined key rows instead.
    """
    top = rules.CANDIDATE_LIMIT if limit is None else limit
    strong = int(rules.STRONG_WEIGHT)
    tasks = max(1, -(-(high - low) // _RECORDS_PER_TASK))
    weight = f"sum(CASE WHEN r.single THEN {_single_weight()} ELSE r.weight END)"
    hint = "/*+ BROADCAST(e) */ " if broadcast else ""
    spread = f"/*+ REPARTITION({int(tasks)}, ord) */ " if broadcast else ""
    return f"""
WITH shared AS (
    SELECT {hint}r.ord AS ord, e.slot AS slot, {weight} AS weight,
           min(r.pos) AS first_pos, min(r.least) AS least
    FROM (SELECT {spread}* FROM record_keys) r
    JOIN entry_index e ON r.key = e.key
    GROUP BY r.ord, e.slot
    HAVING {weight} >= min(r.least)
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
    "BROADCAST_MAX_KEY_ROWS",
    "DEDUPLICATE_ENTRIES_SQL",
    "KEY_SCHEMA",
    "candidates_sql",
    "entry_index_sql",
    "key_weight",
    "least_weight",
    "person_keys",
]
