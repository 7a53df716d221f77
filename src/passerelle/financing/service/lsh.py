"""Blocking for the encoded filter: which (candidate, row) pairs are scored at all.

Scoring every pair of a million candidates and a 100,000-row filter is 10¹¹ Dice
coefficients; this index brings it to a few dozen rows per candidate. It is multi-bit-sample
locality-sensitive hashing on Hamming distance: a *table* reads a fixed sample of bit positions
of a row and packs them into one 64-bit bucket key; two rows whose vectors are close agree on
every sampled bit of some table far more often than two unrelated rows. Three families of
tables (:data:`FAMILIES`) follow the score (:func:`bloom.dice`), where a pair reaches the
threshold in three ways:

- ``strict``: nearly the same names, whatever the dates (many name bits, no date bit);
- ``dated``: similar names *and* a similar date of birth (fewer name bits plus date bits) —
  the bits of a date vector are shared by two dates that agree on two of year, month, day;
- ``undated``: similar names when either side has no date (the score is then the names'
  alone); such pairs only are kept from these tables.

A table samples the bits of one name vector (spelling or skeleton, alternately: a name written
in Arabic script has an empty spelling vector and is found through its skeleton). A sample
with fewer than the family's ``min_ones`` set name bits says nothing (most rows share it: a
bit is set in about one position in nine) and is not indexed, and a
bucket holding more than :data:`BUCKET_CAP` rows (a very common name) is dropped: its rows are
still found through the other tables. A pair is scored when it shares buckets in at least the
family's ``min_tables`` tables. The positions are fixed and public: they depend on nothing
secret (the rows are already keyed), so both sides index the same way.

Recall and speed of these settings: ``benchmarks/financing_match.py`` and
``docs/benchmarks/financing.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from passerelle.financing.service.encoding import BITS, BYTES, DATE_BITS

Matrix = npt.NDArray[np.uint8]
Ints = npt.NDArray[np.int64]

BUCKET_CAP = 100
_SEED = 20091
_MIX_KEY = np.uint64(0xBF58476D1CE4E5B9)
_MIX_TABLE = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Family:
    name: str
    tables: int
    name_bits: int
    date_bits: int
    min_tables: int
    min_ones: int


FAMILIES = (
    Family("strict", tables=32, name_bits=56, date_bits=0, min_tables=1, min_ones=4),
    Family("dated", tables=96, name_bits=20, date_bits=16, min_tables=2, min_ones=2),
    Family("undated", tables=32, name_bits=40, date_bits=0, min_tables=2, min_ones=3),
)


def _positions(family: Family, rng: np.random.Generator) -> Ints:
    rows = []
    for table in range(family.tables):
        half = (table % 2) * BITS
        names = half + rng.choice(BITS, family.name_bits, replace=False)
        dates = 2 * BITS + rng.choice(DATE_BITS, family.date_bits, replace=False)
        rows.append(np.concatenate([names, dates]))
    return np.asarray(rows, dtype=np.int64)


def dated(rows: Matrix) -> npt.NDArray[np.bool_]:
    """Rows whose date vector is not empty (a date of birth, or part of one, is known)."""
    return np.asarray(rows[:, 2 * BYTES :].any(axis=1))


def _bits(rows: Matrix) -> Matrix:
    return np.unpackbits(np.ascontiguousarray(rows), axis=1, bitorder="little")


def _keys(bits: Matrix, positions: Ints, family: Family) -> npt.NDArray[np.uint64]:
    """Bucket key of every (row, table) from the rows' unpacked bits; 0 where the sample has
    too few name bits."""
    n, tables = len(bits), len(positions)
    sel = bits[:, positions.ravel()].reshape(n, tables, positions.shape[1])
    ones = sel[:, :, : family.name_bits].sum(axis=-1, dtype=np.int32)
    packed = np.packbits(sel, axis=-1, bitorder="little")
    wide = np.zeros((n, tables, 8), dtype=np.uint8)
    wide[:, :, : packed.shape[2]] = packed
    keys = wide.view(np.uint64)[:, :, 0] * _MIX_KEY
    keys ^= np.arange(1, tables + 1, dtype=np.uint64) * _MIX_TABLE
    keys[ones < family.min_ones] = 0
    return keys


class _Table:
    """One family's tables over the filter: bucket keys sorted, with their rows."""

    def __init__(self, family: Family, positions: Ints, rows: Matrix, keep: npt.NDArray[np.bool_]):
        self.family, self.positions = family, positions
        keys_list, rows_list = [], []
        for start in range(0, len(rows), 20_000):
            part = rows[start : start + 20_000]
            keys = _keys(_bits(part), positions, family)
            keys[~keep[start : start + 20_000]] = 0
            valid = np.nonzero(keys)
            keys_list.append(keys[valid])
            rows_list.append(valid[0] + start)
        keys = np.concatenate(keys_list) if keys_list else np.zeros(0, np.uint64)
        owners = np.concatenate(rows_list) if rows_list else np.zeros(0, np.int64)
        order = np.argsort(keys, kind="stable")
        keys, owners = keys[order], owners[order]
        buckets, starts, counts = np.unique(keys, return_index=True, return_counts=True)
        small = counts <= BUCKET_CAP
        #: Distinct bucket keys, where each bucket's rows start in ``owners``, how many.
        self.buckets, self.starts, self.counts = buckets[small], starts[small], counts[small]
        self.owners = owners.astype(np.int64)

    def pairs(self, bits: Matrix) -> tuple[Ints, Ints]:
        """(candidate, filter row) pairs sharing a bucket, once per shared bucket."""
        tables = len(self.positions)
        keys = _keys(bits, self.positions, self.family).ravel()
        order = np.argsort(keys)  # sorted needles: searchsorted walks the buckets in order
        place = np.searchsorted(self.buckets, keys[order])
        place = np.minimum(place, max(len(self.buckets) - 1, 0))
        hit_sorted = (
            (self.buckets[place] == keys[order]) & (keys[order] != 0)
            if len(self.buckets)
            else np.zeros(len(keys), dtype=bool)
        )
        hit = order[hit_sorted]
        bucket = place[hit_sorted]
        sizes = self.counts[bucket]
        cand = np.repeat(hit // tables, sizes).astype(np.int64)
        offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        found = self.owners[np.repeat(self.starts[bucket], sizes) + offsets]
        return cand, found


class Index:
    """The three families of tables over one filter's rows."""

    def __init__(self, rows: Matrix) -> None:
        rng = np.random.default_rng(_SEED)
        self.size = len(rows)
        self.row_dated = dated(rows)
        everyone = np.ones(len(rows), dtype=bool)
        self.tables = [
            _Table(f, _positions(f, rng), rows, self.row_dated if f.name == "dated" else everyone)
            for f in FAMILIES
        ]

    def candidates(self, rows: Matrix) -> tuple[Ints, Ints]:
        """Distinct (candidate index, filter row) pairs to score, sorted by candidate."""
        width = np.int64(max(self.size, 1))
        query_dated = dated(rows)
        bits = _bits(rows)
        codes = []
        for table in self.tables:
            cand, found = table.pairs(bits)
            if table.family.name == "dated":
                keep = query_dated[cand]
            elif table.family.name == "undated":
                keep = ~query_dated[cand] | ~self.row_dated[found]
            else:
                keep = np.ones(len(cand), dtype=bool)
            code = cand[keep] * width + found[keep]
            if table.family.min_tables > 1:
                code, seen = np.unique(code, return_counts=True)
                code = code[seen >= table.family.min_tables]
            codes.append(code)
        kept = np.unique(np.concatenate(codes)) if codes else np.zeros(0, np.int64)
        return kept // width, kept % width
