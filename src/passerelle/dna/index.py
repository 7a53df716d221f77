"""A fast, exact in-memory search index for Prüm matching at national-database scale.

Encoding (:mod:`passerelle.dna.encoding`, in the spirit of MIT Lincoln Laboratory's FastID:
small fixed-width codes processed with vector operations): one ``uint16`` genotype code per
locus and row, locus-major. A query becomes one lookup table per locus.

Candidates (:mod:`passerelle.dna.blocks`): block sets are tried in order — triples, then pairs,
then a second pairing. Set *s* finds every match that shares two of its usable blocks with the
query; it is consulted only for rows that every earlier set could miss (their "residual"), and
rows in the residual of every set are verified directly. Verification takes loci most
discriminating first and drops a row at its second mismatched allele. The result is exact: a
property test checks it against :mod:`passerelle.dna.matching`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from passerelle.dna import rules
from passerelle.dna.blocks import DEFAULT_BLOCK_SETS, POPCOUNT, BlockSet
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


class ProfileIndex:
    """Exact Prüm search over a database held in memory (see the module docstring)."""

    def __init__(
        self,
        ids: Sequence[str] | NDArray[np.str_] | NDArray[np.bytes_],
        columns: Mapping[str, LocusColumn],
        block_sets: Iterable[Sequence[tuple[str, ...]]] = DEFAULT_BLOCK_SETS,
        scan_fraction: float = 0.25,
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
        self.block_sets: list[BlockSet] = []
        specs = list(block_sets)
        if len(specs) > 4:
            raise ValidationFailed("at most 4 block sets")
        # Rows that every earlier set may miss even for a query carrying its common blocks.
        thin = np.ones(n, dtype=bool)
        for spec in specs:
            blocks = [
                tuple(self.position[x] for x in block)
                for block in spec
                if all(x in self.position for x in block)
            ]
            if len({x for b in blocks for x in b}) != sum(len(b) for b in blocks):
                raise ValidationFailed("index blocks must not share loci")
            bs = BlockSet(blocks, self.codes, thin if self.block_sets else None)
            self.block_sets.append(bs)
            thin &= POPCOUNT[bs.carried & np.uint16(bs.common)] <= 1
        # Rows grouped by which blocks of every set they carry (a few hundred groups).
        combined = np.zeros(n, dtype=np.uint64)
        for s, bs in enumerate(self.block_sets):
            combined |= bs.carried.astype(np.uint64) << np.uint64(16 * s)
        masks, inverse = np.unique(combined, return_inverse=True)
        by_mask = np.argsort(inverse, kind="stable").astype(np.uint32)
        bounds = np.searchsorted(inverse[by_mask], np.arange(len(masks) + 1))
        self.group_codes = masks.astype(np.uint64)
        self.by_group: U32 = by_mask  # row numbers, grouped
        self.group_starts = bounds[:-1]
        self._table_cache: dict[tuple[int, str, str], QueryLocus] = {}
        self.group_sizes = np.diff(bounds)
        self._residual_cache: dict[tuple[int, ...], tuple[NDArray[np.intp], int, list[bool]]] = {}
        self._rows_cache: dict[tuple[int, ...], U32] = {}
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
        return int(total + self.by_group.nbytes)

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
        self, query: Profile, tables: Mapping[int, QueryLocus], rows: NDArray[np.uint32] | None
    ) -> list[MatchResult]:
        """Like :meth:`_verify`, but loci are taken most-discriminating first and a row is
        dropped as soon as it has two mismatched alleles or cannot reach six matching loci;
        ``rows`` may repeat. One packed uint32 per row holds every counter (6 bits each)."""
        order = sorted(tables, key=lambda i: -tables[i].dead)
        alive: NDArray[np.integer[Any]] | None = rows
        state = np.zeros(0, dtype=np.uint32)
        remaining = len(order)
        for k, i in enumerate(order):
            column = self.codes[i] if alive is None else self.codes[i][alive]
            add = tables[i].packed[column]
            state = add if k == 0 else state + add
            remaining -= 1
            if alive is None and k == 0 and remaining:
                continue  # full scan: read two whole columns before the first compaction
            keep = ((state & 63) <= rules.MAX_MISMATCHED_ALLELES) & (
                ((state >> 6) & 63) + remaining >= rules.MIN_MATCHING_LOCI
            )
            if alive is None:
                alive = np.flatnonzero(keep)
                state = state[alive]
            elif not keep.all():
                alive, state = alive[keep], state[keep]
            if not len(state):
                return []
        assert alive is not None
        unique_rows, first = np.unique(alive, return_index=True)
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

    def search(self, query: Profile) -> list[MatchResult]:
        """Every profile of the index that matches ``query`` under the Prüm rules, in row order."""
        tables = self._tables(query)
        if len(tables) < rules.MIN_MATCHING_LOCI:
            return []
        return self._verify_pruned(query, tables, self._candidates(tables))

    def candidates(self, query: Profile) -> U32 | None:
        """The rows a search verifies, or None when it scans every row."""
        return self._candidates(self._tables(query))

    def _candidates(self, tables: Mapping[int, QueryLocus]) -> U32 | None:
        # Block set s finds every match sharing two of its usable blocks with the query; a row
        # is looked for in set s only when every earlier set could miss it (its "residual"),
        # and rows in the residual of every set are scanned.
        matching = {i: t.matching for i, t in tables.items()}
        plans = [bs.plan(matching) for bs in self.block_sets]
        masks = tuple(usable for usable, _ in plans)
        groups, size, pending = self._residual(masks)
        if size > len(self) * self.scan_fraction:
            return None
        scanned = self._residual_rows(masks, groups)
        found: list[U32] = [scanned]
        for s, (bs, (_, choices)) in enumerate(zip(self.block_sets, plans, strict=True)):
            if not pending[s]:
                break
            thin = all(
                plans[t][0] & b.common == b.common for t, b in enumerate(self.block_sets[:s])
            )
            rows = bs.lookup(choices, thin)
            for t in range(s):
                prior = self.block_sets[t].carried[rows] & np.uint16(plans[t][0])
                rows = rows[POPCOUNT[prior] <= 1]
            found.append(rows)
        return np.concatenate(found)

    def _residual(self, masks: tuple[int, ...]) -> tuple[NDArray[np.intp], int, list[bool]]:
        """Groups of rows in the residual of every block set, their row count, and for each
        set whether any row is in the residual of all earlier sets (cached per combination of
        usable masks; small)."""
        cached = self._residual_cache.get(masks)
        if cached is None:
            inside = np.ones(len(self.group_codes), dtype=bool)
            pending = []
            for s, mask in enumerate(masks):
                pending.append(bool(inside.any()))
                carried = (self.group_codes >> np.uint64(16 * s)) & np.uint64(mask & 0xFFFF)
                inside &= POPCOUNT[carried.astype(np.uint16)] <= 1
            groups = np.flatnonzero(inside)
            cached = (groups, int(self.group_sizes[groups].sum()), pending)
            if len(self._residual_cache) < 4096:
                self._residual_cache[masks] = cached
        return cached

    def _residual_rows(self, masks: tuple[int, ...], groups: NDArray[np.intp]) -> U32:
        rows = self._rows_cache.get(masks)
        if rows is None:
            rows = _ranges(self.by_group, self.group_starts[groups], self.group_sizes[groups])
            if len(rows) <= 50_000 and len(self._rows_cache) < 1024:
                self._rows_cache[masks] = rows  # at most ~200 MB in all
        return rows

    def scan(self, query: Profile) -> list[MatchResult]:
        """The straightforward vectorised scan of every row (baseline for the benchmark)."""
        tables = self._tables(query)
        if len(tables) < rules.MIN_MATCHING_LOCI:
            return []
        return self._verify(query, {i: t.lut for i, t in tables.items()}, None)


def _ranges(values: U32, starts: NDArray[np.integer[Any]], counts: NDArray[np.integer[Any]]) -> U32:
    """values[starts[0]:starts[0]+counts[0]] + values[starts[1]:…] + …, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.uint32)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    out: U32 = values[np.arange(total) + offsets]
    return out


__all__ = [
    "Column",
    "LocusColumn",
    "ProfileIndex",
]
