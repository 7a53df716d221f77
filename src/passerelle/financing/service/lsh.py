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
  alone); a dated candidate looks these tables up among the undated rows only.

A table samples one window of consecutive bits of one name vector (spelling or skeleton,
alternately: a name written in Arabic script has an empty spelling vector and is found through
its skeleton), plus, in the dated family, a window of the date vector (each table its own).
The keyed hashes put every token's bits at independent uniform positions, so a window of
consecutive positions is as good a sample as scattered ones, and it is read from two 64-bit
words with two shifts instead of one gather per bit. A family's name windows in one vector do
not overlap. A sample with
fewer than the family's ``min_ones`` set name bits says nothing (most rows share it: a bit is
set in about one position in nine) and is not indexed, and a bucket holding more than
:data:`BUCKET_CAP` rows (a very common name) is dropped: its rows are still found through the
other tables. A pair is scored when it shares buckets in at least the family's ``min_tables``
tables. The windows are fixed and public: they depend on nothing secret (the rows are already
keyed), so both sides index the same way.

Recall and speed of these settings: ``benchmarks/financing_match.py`` and
``docs/benchmarks/financing.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from passerelle.financing.service.encoding import BITS, BYTES, DATE_BITS

Matrix = npt.NDArray[np.uint8]
Ints = npt.NDArray[np.int64]
Words = npt.NDArray[np.uint64]
Codes = npt.NDArray[Any]  # int64, or uint32 when the codes fit

BUCKET_CAP = 100
_MIX_KEY = np.uint64(0xBF58476D1CE4E5B9)
_MIX_TABLE = np.uint64(0x9E3779B97F4A7C15)
_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


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


@dataclass(frozen=True)
class _Windows:
    """Where each table of a family reads: word, shift and mask of its name and date windows."""

    word: Ints
    shift: npt.NDArray[np.uint64]
    spill: npt.NDArray[np.uint64]  # left shift of the next word, 0 when the window fits in one
    keep: npt.NDArray[np.uint64]  # all ones where the next word is read, else 0
    mask: npt.NDArray[np.uint64]


def _windows(starts: list[int], width: int) -> _Windows:
    word = np.array([s // 64 for s in starts], dtype=np.int64)
    shift = np.array([s % 64 for s in starts], dtype=np.uint64)
    spills = [s % 64 > 0 and s % 64 + width > 64 for s in starts]
    return _Windows(
        word=word,
        shift=shift,
        spill=np.array([(64 - s % 64) % 64 for s in starts], dtype=np.uint64),
        keep=np.array([_ONES if x else 0 for x in spills], dtype=np.uint64),
        mask=np.uint64((1 << width) - 1) * np.ones(len(starts), dtype=np.uint64),
    )


def _layout(family: Family) -> tuple[_Windows, _Windows | None]:
    """Table ``t`` reads name vector ``t % 2`` at window ``t // 2`` of the family's width
    (disjoint windows, wrapping around if a vector is too short) and, in the dated family, the
    date bits from ``37 t`` modulo 241 (the 96 tables read 96 different samples of the 256)."""
    per_vector = BITS // family.name_bits
    names = [
        (t % 2) * BITS + (t // 2 % per_vector) * family.name_bits for t in range(family.tables)
    ]
    if not family.date_bits:
        return _windows(names, family.name_bits), None
    # Date windows overlap (the date vector is short): one start per table, 37 bits apart
    # modulo the last start (241, prime), so no two tables read the same date bits.
    last = DATE_BITS - family.date_bits + 1
    dates = [2 * BITS + (t * 37) % last for t in range(family.tables)]
    return _windows(names, family.name_bits), _windows(dates, family.date_bits)


def _read(words: Words, win: _Windows) -> Words:
    low = words[:, win.word] >> win.shift
    high = (words[:, np.minimum(win.word + 1, words.shape[1] - 1)] << win.spill) & win.keep
    return (low | high) & win.mask


def dated(rows: Matrix) -> npt.NDArray[np.bool_]:
    """Rows whose date vector is not empty (a date of birth, or part of one, is known)."""
    return np.asarray(rows[:, 2 * BYTES :].any(axis=1))


def words_of(rows: Matrix) -> Words:
    """The rows as 64-bit words (36 a row)."""
    return np.ascontiguousarray(rows).view(np.uint64)


def _keys(words: Words, family: Family, layout: tuple[_Windows, _Windows | None]) -> Words:
    """Bucket key of every (row, table); 0 where the sample has too few name bits."""
    name_win, date_win = layout
    sample = _read(words, name_win)
    ones = np.bitwise_count(sample)
    if date_win is not None:
        sample |= _read(words, date_win) << np.uint64(family.name_bits)
    keys = sample * _MIX_KEY
    keys ^= np.arange(1, family.tables + 1, dtype=np.uint64) * _MIX_TABLE
    keys[ones < family.min_ones] = 0
    return keys


class _Table:
    """One family's tables over some of the filter's rows: bucket keys sorted, with their rows."""

    def __init__(self, family: Family, words: Words, keep: npt.NDArray[np.bool_]):
        self.family, self.layout = family, _layout(family)
        keys_list, rows_list = [], []
        for start in range(0, len(words), 20_000):
            keys = _keys(words[start : start + 20_000], family, self.layout)
            keys[~keep[start : start + 20_000]] = 0
            valid = np.nonzero(keys)
            keys_list.append(keys[valid])
            rows_list.append(valid[0] + start)
        keys = np.concatenate(keys_list) if keys_list else np.zeros(0, np.uint64)
        owners = np.concatenate(rows_list) if rows_list else np.zeros(0, np.int64)
        order = np.argsort(keys)  # the order within a bucket does not matter
        keys, owners = keys[order], owners[order]
        first = np.ones(len(keys), dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        buckets, counts = keys[starts], np.diff(np.append(starts, len(keys)))
        small = counts <= BUCKET_CAP
        #: Distinct bucket keys, where each bucket's rows start in ``owners``, how many.
        self.buckets, self.starts, self.counts = buckets[small], starts[small], counts[small]
        self.owners = owners.astype(np.int64)

    def pairs(self, words: Words) -> tuple[Ints, Ints]:
        """(candidate, filter row) pairs sharing a bucket, once per shared bucket."""
        if not len(self.buckets) or not len(words):
            empty = np.zeros(0, np.int64)
            return empty, empty
        keys = _keys(words, self.family, self.layout).ravel()
        order = np.argsort(keys)  # sorted needles: searchsorted walks the buckets in order
        needles = keys[order]
        place = np.minimum(np.searchsorted(self.buckets, needles), len(self.buckets) - 1)
        hit_sorted = (self.buckets[place] == needles) & (needles != 0)
        hit = order[hit_sorted]
        bucket = place[hit_sorted]
        sizes = self.counts[bucket]
        cand = np.repeat(hit // self.family.tables, sizes).astype(np.int64)
        offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        found = self.owners[np.repeat(self.starts[bucket], sizes) + offsets]
        return cand, found


def _distinct(codes: Codes) -> Codes:
    """The codes, sorted, each once (``np.unique`` without its hash table, ~20 times slower
    on these arrays in numpy 2.4)."""
    ordered: Codes = np.sort(codes)
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    distinct: Codes = ordered[first]
    return distinct


def _repeated(codes: Codes) -> Codes:
    """The codes that occur at least twice (each once at least, possibly more)."""
    ordered: Codes = np.sort(codes)
    repeated: Codes = ordered[1:][ordered[1:] == ordered[:-1]]
    return repeated


class Index:
    """The three families of tables over one filter's rows (the undated family twice: over
    every row, for undated candidates, and over the undated rows, for dated ones)."""

    def __init__(self, rows: Matrix) -> None:
        words = words_of(rows)
        self.size = len(rows)
        self.row_dated = dated(rows)
        strict, by_date, undated = FAMILIES
        everyone = np.ones(len(rows), dtype=bool)
        self.strict = _Table(strict, words, everyone)
        self.dated = _Table(by_date, words, self.row_dated)
        self.undated_all = _Table(undated, words, everyone)
        self.undated_only = _Table(undated, words, ~self.row_dated)

    def candidates(self, rows: Matrix) -> tuple[Ints, Ints]:
        """Distinct (candidate index, filter row) pairs to score, sorted by candidate."""
        width = np.int64(max(self.size, 1))
        # A pair is the code candidate * width + row, in 32 bits when it fits (faster sorts).
        small = len(rows) * int(width) < 1 << 32
        words = words_of(rows)
        query_dated = dated(rows)
        with_date, without = np.flatnonzero(query_dated), np.flatnonzero(~query_dated)

        def code(cand: Ints, found: Ints) -> Codes:
            joined = cand * width + found
            return joined.astype(np.uint32) if small else joined

        cand, found = self.strict.pairs(words)
        codes = [code(cand, found)]
        cand, found = self.dated.pairs(words[with_date])
        codes.append(_repeated(code(with_date[cand], found)))
        parts = []
        for table, which in ((self.undated_all, without), (self.undated_only, with_date)):
            cand, found = table.pairs(words[which])
            parts.append(code(which[cand], found))
        codes.append(_repeated(np.concatenate(parts)))
        kept = _distinct(np.concatenate(codes)).astype(np.int64)
        return kept // width, kept % width
