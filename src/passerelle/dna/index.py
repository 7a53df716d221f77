"""A fast, exact in-memory search index for Prüm matching at national-database scale.

Encoding (:mod:`passerelle.dna.encoding`, in the spirit of MIT Lincoln Laboratory's FastID:
small fixed-width codes processed with vector operations): one ``uint16`` genotype code per
locus and row, locus-major. A query becomes one lookup table per locus.

Storage: rows are kept grouped by which blocks they carry (in practice, by kit), so the rows a
query must scan form a few long contiguous runs read sequentially, in chunks that stay in the
CPU cache.

Candidates (:mod:`passerelle.dna.blocks`): block sets are tried in order — triples, then pairs,
then a second pairing. Set *s* finds every match that shares two of its usable blocks with the
query; it is consulted only for rows that every earlier set could miss (their "residual"):
its look-up skips whole kit groups the earlier sets cover, keeps a row only when it was found
in all but one of the usable blocks it carries, and is replaced by verifying the residual
directly when that is smaller than the look-up would be. Rows in the residual of every set are
verified directly. Verification takes loci most discriminating first and drops a row at its
second mismatched allele. The result is exact: a property test checks it against
:mod:`passerelle.dna.matching`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from passerelle.dna import rules
from passerelle.dna.blocks import DEFAULT_BLOCK_SETS, POPCOUNT, BlockSet, carried_mask
from passerelle.dna.encoding import Column, EncodedLocus, LocusColumn, QueryLocus, packed
from passerelle.dna.harmonise import parse_allele, prum_genotype
from passerelle.dna.matching import MatchResult
from passerelle.dna.profiles import Profile
from passerelle.dna.rules import Quality
from passerelle.errors import ValidationFailed

U8 = NDArray[np.uint8]
U16 = NDArray[np.uint16]
U32 = NDArray[np.uint32]
I64 = NDArray[np.int64]


# Rows taken at a time when verifying: the per-row temporaries stay in the CPU cache.
_CHUNK = 1 << 16


# Memory for the per-query-shape cache of residual groups, per process.
_STAGE_CACHE_BYTES = 128 * 2**20

# Verifying a row gathered from anywhere costs about this many rows scanned in a run.
_GATHER_COST = 6


class Work(NamedTuple):
    """What a search verifies: contiguous runs ``(start, stop)`` of stored rows, and rows
    found through the block tables (which may repeat)."""

    runs: list[tuple[int, int]]
    rows: U32


class ProfileIndex:
    """Exact Prüm search over a database held in memory (see the module docstring)."""

    def __init__(
        self,
        ids: Sequence[str] | NDArray[np.str_] | NDArray[np.bytes_],
        columns: Mapping[str, LocusColumn],
        block_sets: Iterable[Sequence[tuple[str, ...]]] = DEFAULT_BLOCK_SETS,
        scan_fraction: float = 0.5,
    ) -> None:
        """``scan_fraction``: scan every row instead when more than this share of the rows
        would have to be scanned anyway (queries with very few loci)."""
        self.ids = np.asarray(ids)
        self.scan_fraction = scan_fraction
        n = len(self.ids)
        names = sorted(locus for locus in columns if locus != rules.AMELOGENIN)
        self.loci: list[EncodedLocus] = []
        self.codes = np.zeros((len(names), n), dtype=np.uint16)
        for i, name in enumerate(names):
            column = columns[name]
            self.loci.append(self._encode(name, column, self.codes[i]))
        self.position = {locus.name: i for i, locus in enumerate(self.loci)}
        specs = list(block_sets)
        if len(specs) > 4:
            raise ValidationFailed("at most 4 block sets")
        set_blocks: list[list[tuple[int, ...]]] = []
        for spec in specs:
            blocks = [
                tuple(self.position[x] for x in block)
                for block in spec
                if all(x in self.position for x in block)
            ]
            if len({x for b in blocks for x in b}) != sum(len(b) for b in blocks):
                raise ValidationFailed("index blocks must not share loci")
            set_blocks.append(blocks)
        # Rows are stored grouped by which blocks of every set they carry (a few hundred
        # groups), so the rows a query must scan are a few contiguous runs, read sequentially.
        # ``original`` maps a stored row back to its input row.
        combined = np.zeros(n, dtype=np.uint64)
        for s, blocks in enumerate(set_blocks):
            combined |= carried_mask(blocks, self.codes).astype(np.uint64) << np.uint64(16 * s)
        order = np.argsort(combined, kind="stable")
        self.original: U32 = order.astype(np.uint32)
        self.codes = np.ascontiguousarray(self.codes[:, order])
        self.ids = self.ids[order]
        # Per stored row, the blocks of every set it carries (16 bits a set).
        self.carried: NDArray[np.uint64] = combined[order]
        self.block_sets: list[BlockSet] = []
        # Rows that every earlier set may miss even for a query carrying its common blocks.
        thin = np.ones(n, dtype=bool)
        for s, blocks in enumerate(set_blocks):
            bs = BlockSet(blocks, self.codes, thin if self.block_sets else None)
            self.block_sets.append(bs)
            thin &= POPCOUNT[_bits(self.carried, s, bs.common)] <= 1
        masks, starts = np.unique(self.carried, return_index=True)
        bounds = np.append(starts, n)
        self.group_codes = masks.astype(np.uint64)
        self.group_starts = bounds[:-1]
        self._table_cache: dict[tuple[int, str, str], QueryLocus] = {}
        self.group_sizes = np.diff(bounds)
        # Groups holding over 5 % of the rows (profiles typed with the same kit): a look-up
        # drops their rows at once when an earlier block set already covers them.
        self.big_groups = [int(g) for g in np.flatnonzero(self.group_sizes > 0.05 * n)]
        self._stage_cache: dict[tuple[int, ...], list[tuple[NDArray[np.intp], int]]] = {}
        self._stage_cache_bytes = 0
        self._all_groups: NDArray[np.intp] = np.arange(len(self.group_codes))
        # How many rows carry each genotype: orders loci by how many rows they rule out.
        self.counts = [
            np.bincount(self.codes[i], minlength=len(locus.gt1)).astype(np.int64)
            for i, locus in enumerate(self.loci)
        ]

    @staticmethod
    def _encode(name: str, column: LocusColumn, out: U16) -> EncodedLocus:
        alleles = [parse_allele(value, name) for value in column.alphabet]
        # Normalise the alphabet: equal designations share one code.
        canon = {a: i for i, a in reversed(list(enumerate(alleles)))}
        remap = np.array([canon[a] for a in alleles] + [-1], dtype=np.int64)
        first = remap[np.asarray(column.first, dtype=np.int64)]
        second = remap[np.asarray(column.second, dtype=np.int64)]
        second = np.where(second < 0, first, second)
        typed = first >= 0
        lo, hi = np.minimum(first, second), np.maximum(first, second)
        pair = lo * len(alleles) + hi
        table, inverse = np.unique(pair[typed], return_inverse=True)
        if len(table) >= 2**16:
            raise ValidationFailed(f"too many distinct genotypes at {name}")
        out[typed] = (inverse + 1).astype(np.uint16)
        gt1 = np.concatenate(([0], table // len(alleles)))
        gt2 = np.concatenate(([0], table % len(alleles)))
        return EncodedLocus(name, alleles, gt1, gt2)

    @classmethod
    def from_profiles(cls, profiles: Sequence[Profile], **kwargs: object) -> ProfileIndex:
        """Build an index from harmonised profiles (mixtures in their two-allele Prüm form)."""
        alphabets: dict[str, dict[str, int]] = {}
        raw: dict[str, tuple[list[int], list[int]]] = {}
        n = len(profiles)
        for row, profile in enumerate(profiles):
            for locus in profile.typed_loci():
                alphabet = alphabets.setdefault(locus, {})
                first, second = raw.setdefault(locus, ([-1] * n, [-1] * n))
                a, b = prum_genotype(profile.loci[locus])
                first[row] = alphabet.setdefault(a.value, len(alphabet))
                second[row] = alphabet.setdefault(b.value, len(alphabet))
        columns = {
            locus: Column(list(alphabets[locus]), np.array(f), np.array(s))
            for locus, (f, s) in raw.items()
        }
        return cls([p.profile_id for p in profiles], columns, **kwargs)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        """Bytes held by the index arrays."""
        total = self.codes.nbytes + self.ids.nbytes + sum(bs.nbytes for bs in self.block_sets)
        total += sum(c.nbytes for c in self.counts)
        return int(total + self.original.nbytes + self.carried.nbytes)

    def _tables(self, query: Profile) -> dict[int, QueryLocus]:
        """Per typed locus of the query, its comparison tables (cached per genotype)."""
        tables: dict[int, QueryLocus] = {}
        for name in query.typed_loci():
            i = self.position.get(name)
            if i is None:
                continue
            a, b = prum_genotype(query.loci[name])
            key = (i, min(a.value, b.value), max(a.value, b.value))
            table = self._table_cache.get(key)
            if table is None:
                lut = self.loci[i].lut((a, b))
                table = QueryLocus(
                    lut,
                    packed(lut),
                    np.flatnonzero((lut >= 1) & (lut <= 3)),
                    int(self.counts[i] @ (lut >= 8)),
                )
                if len(self._table_cache) < 20_000:
                    self._table_cache[key] = table
            tables[i] = table
        return tables

    def _verify(
        self, query: Profile, luts: Mapping[int, U8], rows: NDArray[np.uint32] | None
    ) -> list[MatchResult]:
        """Plain vectorised comparison of ``rows`` (every row when None) at every query locus."""
        n = len(self) if rows is None else len(rows)
        mismatched = np.zeros(n, dtype=np.int32)
        matching = np.zeros(n, dtype=np.int32)
        compared = np.zeros(n, dtype=np.int32)
        quality = np.ones(n, dtype=np.uint8)
        for i, lut in luts.items():
            column = self.codes[i] if rows is None else self.codes[i][rows]
            v = lut[column]
            mismatched += v >> 2
            full = (v >= 1) & (v <= 3)
            matching += full
            compared += v > 0
            np.maximum(quality, np.where(full, v, 1), out=quality)
        hit = (matching >= rules.MIN_MATCHING_LOCI) & (mismatched <= rules.MAX_MISMATCHED_ALLELES)
        where = np.flatnonzero(hit)
        found = where if rows is None else rows[where]
        by_input = np.argsort(self.original[found], kind="stable")
        where, found = where[by_input], found[by_input]
        return [
            self._result(query, row, int(compared[k]), int(matching[k]), int(mismatched[k]), q)
            for k, row in zip(where.tolist(), found.tolist(), strict=True)
            for q in [Quality.NEAR if mismatched[k] else Quality(int(quality[k]))]
        ]

    def _result(
        self, query: Profile, row: int, compared: int, matching: int, mismatched: int, q: Quality
    ) -> MatchResult:
        ident = self.ids[row]
        b_id = ident.decode() if isinstance(ident, bytes) else str(ident)
        return MatchResult(query.profile_id, b_id, compared, matching, mismatched, q)

    def _verify_pruned(
        self, query: Profile, tables: Mapping[int, QueryLocus], work: Work
    ) -> list[MatchResult]:
        """Like :meth:`_verify`, but loci are taken most-discriminating first and a row is
        dropped as soon as it has two mismatched alleles or cannot reach six matching loci.
        ``work`` holds contiguous runs of stored rows to scan and looked-up rows (which may
        repeat); both are taken in chunks small enough for the CPU cache. One packed uint32
        per row holds every counter (6 bits each)."""
        order = sorted(tables, key=lambda i: -tables[i].dead)
        packs = [tables[i].packed for i in order]
        alive_parts: list[U32] = []
        state_parts: list[U32] = []
        for start, stop in work.runs:
            for lo in range(start, stop, _CHUNK):
                alive, state = self._prune(order, packs, None, lo, min(stop, lo + _CHUNK))
                alive_parts.append(alive)
                state_parts.append(state)
        for lo in range(0, len(work.rows), _CHUNK):
            alive, state = self._prune(order, packs, work.rows[lo : lo + _CHUNK], 0, 0)
            alive_parts.append(alive)
            state_parts.append(state)
        if not alive_parts:
            return []
        alive, state = np.concatenate(alive_parts), np.concatenate(state_parts)
        unique_rows, first = np.unique(alive, return_index=True)
        by_input = np.argsort(self.original[unique_rows])
        unique_rows, first = unique_rows[by_input], first[by_input]
        results = []
        for row, word in zip(unique_rows.tolist(), state[first].tolist(), strict=True):
            mismatched, matching = word & 63, (word >> 6) & 63
            compared, wild, micro = (word >> 12) & 63, (word >> 18) & 63, word >> 24
            q = (
                Quality.NEAR
                if mismatched
                else Quality.MICROVARIANT
                if micro
                else (Quality.WILDCARD if wild else Quality.EXACT)
            )
            results.append(self._result(query, row, compared, matching, mismatched, q))
        return results

    def _prune(
        self, order: list[int], packs: list[U32], rows: U32 | None, start: int, stop: int
    ) -> tuple[U32, U32]:
        """Rows surviving every locus of ``order``, with their packed counters, among ``rows``
        or (when None) the stored rows ``start:stop``."""
        alive: U32 | None = None
        state = np.zeros(0, dtype=np.uint32)
        remaining = len(order)
        for k, i in enumerate(order):
            if alive is not None:
                column = self.codes[i][alive]
            elif rows is None:
                column = self.codes[i, start:stop]
            else:
                column = self.codes[i][rows]
            add = packs[k][column]
            state = add if k == 0 else state + add
            remaining -= 1
            if rows is None and k == 0 and remaining:
                continue  # a run: read two columns before the first compaction
            keep = ((state & 63) <= rules.MAX_MISMATCHED_ALLELES) & (
                ((state >> 6) & 63) + remaining >= rules.MIN_MATCHING_LOCI
            )
            if alive is None:
                where = np.flatnonzero(keep)
                alive = (where + start).astype(np.uint32) if rows is None else rows[where]
                state = state[where]
            elif not keep.all():
                alive, state = alive[keep], state[keep]
            if not len(state):
                break
        if alive is None:  # a single locus: nothing can reach six matching loci
            return np.zeros(0, dtype=np.uint32), state[:0]
        return alive, state

    def search(self, query: Profile) -> list[MatchResult]:
        """Every profile of the index that matches ``query`` under the Prüm rules, in input
        order."""
        tables = self._tables(query)
        if len(tables) < rules.MIN_MATCHING_LOCI:
            return []
        return self._verify_pruned(query, tables, self._candidates(tables))

    def candidates(self, query: Profile) -> U32 | None:
        """The stored rows a search verifies (with repeats), or None when it scans every row."""
        work = self._candidates(self._tables(query))
        if work.runs == [(0, len(self))]:
            return None
        runs = [np.arange(a, b, dtype=np.uint32) for a, b in work.runs]
        return np.concatenate([*runs, work.rows])

    def _candidates(self, tables: Mapping[int, QueryLocus]) -> Work:
        # Block set s finds every match sharing two of its usable blocks with the query; it
        # is needed only for the rows every earlier set could miss (their "residual"). Rows
        # in the residual of every set are verified directly, and so are the rows of an
        # earlier residual when they are fewer than set s's look-up would return.
        matching = {i: t.matching for i, t in tables.items()}
        plans = [bs.plan(matching) for bs in self.block_sets]
        masks = tuple(usable for usable, _ in plans)
        stages = self._stages(masks)
        if stages[-1][1] > len(self) * self.scan_fraction:
            return Work([(0, len(self))], np.zeros(0, dtype=np.uint32))
        fraction = {
            i: float(self.counts[i][t.matching].sum()) / len(self) for i, t in tables.items()
        }
        found: list[U32] = []
        for s, (bs, (usable, choices)) in enumerate(zip(self.block_sets, plans, strict=True)):
            groups, size = stages[s]
            thin = all(
                plans[t][0] & b.common == b.common for t, b in enumerate(self.block_sets[:s])
            )
            table = bs.thin if thin and bs.thin is not None else bs.full
            estimate = sum(
                len(table[b].rows) * float(np.prod([fraction[i] for i in bs.blocks[b]]))
                for b in choices
            )
            if size <= estimate:
                return self._work(groups, found)
            rows = bs.lookup(choices, thin)
            for g in self.big_groups:
                if not _contains(groups, g):  # every earlier set finds this group's matches
                    start, stop = self.group_starts[g], self.group_starts[g] + self.group_sizes[g]
                    rows = rows[(rows < start) | (rows >= stop)]
            rows, found_times = np.unique(rows, return_counts=True)
            carried = self.carried[rows]
            # Keep rows every earlier set could miss and, since a match fully matches every
            # block it shares with the query but one, rows found at least k - 1 times where k
            # is the number of usable blocks of this set they share with the query.
            keep = found_times + 1 >= POPCOUNT[_bits(carried, s, usable)]
            for t in range(s):
                keep &= POPCOUNT[_bits(carried, t, plans[t][0])] <= 1
            found.append(rows[keep])
        return self._work(stages[-1][0], found)

    def _stages(self, masks: tuple[int, ...]) -> list[tuple[NDArray[np.intp], int]]:
        """For s = 0 … number of sets: the groups of rows every set before s could miss, and
        their row count (cached per combination of usable masks, within a memory budget)."""
        cached = self._stage_cache.get(masks)
        if cached is None:
            inside = np.ones(len(self.group_codes), dtype=bool)
            cached = [(self._all_groups, len(self))]
            for s, mask in enumerate(masks):
                shared = np.bitwise_count(self.group_codes & np.uint64(mask << (16 * s)))
                inside &= shared <= 1
                groups = np.flatnonzero(inside)
                cached.append((groups, int(self.group_sizes[groups].sum())))
            size = sum(int(g.nbytes) for g, _ in cached[1:])
            if self._stage_cache_bytes + size <= _STAGE_CACHE_BYTES:
                self._stage_cache[masks] = cached
                self._stage_cache_bytes += size
        return cached

    def _work(self, groups: NDArray[np.intp], found: list[U32]) -> Work:
        """Rows of ``groups`` as long contiguous runs, plus the rows of short runs (cheaper to
        gather together than to scan one by one) and the looked-up rows ``found``."""
        starts, sizes = self.group_starts[groups], self.group_sizes[groups]
        if len(starts):
            # Groups are stored in order: merge consecutive ones, and close small gaps too
            # (scanning a few extra rows costs less than gathering rows one by one).
            ends = starts + sizes
            gaps = starts[1:] - ends[:-1]
            new = np.concatenate(([True], gaps > _GATHER_COST * sizes[1:]))
            first = np.flatnonzero(new)
            last = np.append(first[1:], len(starts)) - 1
            starts, sizes = starts[first], ends[last] - starts[first]
        long = sizes >= _CHUNK // 4
        runs = [(int(a), int(a + n)) for a, n in zip(starts[long], sizes[long], strict=True)]
        return Work(runs, np.concatenate([_ranges(starts[~long], sizes[~long]), *found]))

    def scan(self, query: Profile) -> list[MatchResult]:
        """The straightforward vectorised scan of every row (baseline for the benchmark)."""
        tables = self._tables(query)
        if len(tables) < rules.MIN_MATCHING_LOCI:
            return []
        return self._verify(query, {i: t.lut for i, t in tables.items()}, None)


def _contains(sorted_values: NDArray[np.intp], value: int) -> bool:
    k = int(np.searchsorted(sorted_values, value))
    return k < len(sorted_values) and int(sorted_values[k]) == value


def _bits(carried: NDArray[np.uint64], s: int, mask: int) -> U16:
    """The bits of block set ``s`` in ``carried`` that are also in ``mask``."""
    out: U16 = ((carried >> np.uint64(16 * s)) & np.uint64(mask)).astype(np.uint16)
    return out


def _ranges(starts: NDArray[np.integer[Any]], counts: NDArray[np.integer[Any]]) -> U32:
    """range(starts[0], starts[0]+counts[0]) + range(starts[1], …) + …, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.uint32)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    out: U32 = (np.arange(total) + offsets).astype(np.uint32)
    return out


__all__ = [
    "Column",
    "LocusColumn",
    "ProfileIndex",
]
