"""A fast in-memory search index for Prüm matching at national-database scale.

Encoding (in the spirit of MIT Lincoln Laboratory's FastID: small fixed-width codes scanned
with vector operations): every locus has an allele alphabet and a table of the unordered allele
pairs (genotypes) seen in the database; a profile is one ``uint16`` genotype code per locus
(0 = locus not typed), stored locus-major so one locus is one contiguous array.

A query becomes one small lookup table per locus, ``genotype code → 4·mismatches + quality``,
computed once with the exact rules of :mod:`passerelle.dna.matching`; comparing a database row is
then one table look-up per locus.

Search without reading the whole database: loci are grouped into disjoint *blocks* (triples
or pairs of ESS loci). For each block the index keeps the database rows sorted by their
combined block key. A matching profile has at most one non-matching allele, hence at most one
block that does not match fully; so if it shares at least two blocks with the query it fully
matches one of them and is found by expanding the query's block into every key that matches it
(wildcards, microvariant neighbours) and looking those keys up. Rows sharing fewer than two
blocks with the query (partial crime stains) are scanned in full. The result is exact: a
property test checks it against the reference implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from passerelle.dna import rules
from passerelle.dna.harmonise import parse_allele, prum_genotype, repeat_bases
from passerelle.dna.matching import MatchResult
from passerelle.dna.profiles import Allele, Profile
from passerelle.dna.rules import Quality
from passerelle.errors import ValidationFailed

U8 = NDArray[np.uint8]
U16 = NDArray[np.uint16]
U32 = NDArray[np.uint32]
U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]

# Disjoint blocks over the European Standard Set, which every profile typed since 2009 carries.
# Triples are used when the query and the rows carry them; pairs serve partial profiles.
TRIPLE_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("D1S1656", "TH01", "D22S1045"),
    ("D12S391", "D10S1248", "D3S1358"),
    ("D18S51", "vWA", "D2S441"),
    ("FGA", "D21S11", "D8S1179"),
    ("D16S539", "D19S433", "D2S1338"),
    ("CSF1PO", "TPOX", "D5S818"),
    ("D7S820", "D13S317", "SE33"),
)
PAIR_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("D1S1656", "TH01"),
    ("D12S391", "D22S1045"),
    ("D18S51", "D10S1248"),
    ("FGA", "D3S1358"),
    ("D21S11", "vWA"),
    ("D8S1179", "D2S441"),
    ("D16S539", "D2S1338"),
    ("D19S433", "SE33"),
    ("CSF1PO", "D7S820"),
    ("TPOX", "D13S317"),
    ("D5S818", "Penta E"),
    ("Penta D", "FES"),
)
MAX_KEYS_PER_BLOCK = 4096

_NONE, _MICRO = 3, 2


class LocusColumn(Protocol):
    """One locus of a columnar database: allele alphabet and per-row allele codes (-1 = absent).

    :class:`passerelle.synth.dna.SyntheticLocus` has this shape.
    """

    @property
    def alphabet(self) -> Sequence[str]: ...

    @property
    def first(self) -> NDArray[np.integer[Any]]: ...

    @property
    def second(self) -> NDArray[np.integer[Any]]: ...


@dataclass(frozen=True)
class Column:
    """A plain :class:`LocusColumn`."""

    alphabet: Sequence[str]
    first: NDArray[np.integer[Any]]
    second: NDArray[np.integer[Any]]


class _Locus:
    """Alphabet, genotype table and per-row genotype codes of one locus."""

    def __init__(self, name: str, alleles: list[Allele], gt1: I64, gt2: I64) -> None:
        self.name = name
        self.alleles = alleles
        unit = repeat_bases(name)
        self.length = np.array([a.length(unit) for a in alleles], dtype=np.int64)
        self.numeric = np.array([a.numeric for a in alleles], dtype=bool)
        self.wild = np.array([a.wildcard for a in alleles], dtype=bool)
        self.gt1, self.gt2 = gt1, gt2  # allele codes of genotype codes 1..n (index 0 unused)

    def kinds(self, allele: Allele) -> I64:
        """How ``allele`` compares with each alphabet allele (matching.AlleleMatch values)."""
        if allele.wildcard:
            return np.ones(len(self.alleles), dtype=np.int64)
        unit = repeat_bases(self.name)
        diff = np.abs(self.length - allele.length(unit)) if allele.numeric else None
        out = np.full(len(self.alleles), _NONE, dtype=np.int64)
        if diff is not None:
            out[self.numeric & (diff == 1)] = _MICRO
            out[self.numeric & (diff == 0)] = 0
        else:
            out[[i for i, a in enumerate(self.alleles) if a.value == allele.value]] = 0
        out[self.wild] = 1
        return out

    def lut(self, genotype: tuple[Allele, Allele]) -> U8:
        """genotype code → 4·mismatches + quality (0 for the 'not typed' code)."""
        k1, k2 = self.kinds(genotype[0]), self.kinds(genotype[1])
        straight = _score(k1[self.gt1], k2[self.gt2])
        crossed = _score(k1[self.gt2], k2[self.gt1])
        out = np.minimum(straight, crossed).astype(np.uint8)
        out[0] = 0
        return out


def _score(x: I64, y: I64) -> I64:
    mismatches = (x == _NONE).astype(np.int64) + (y == _NONE)
    quality = np.maximum(np.where(x == _NONE, 0, x + 1), np.where(y == _NONE, 0, y + 1))
    out: I64 = mismatches * 4 + np.maximum(quality, 1)
    return out


class _Sorted:
    """Rows sorted by their combined key for one block."""

    def __init__(self, key: NDArray[np.unsignedinteger[Any]], rows: U32) -> None:
        order = np.argsort(key[rows], kind="stable")
        self.keys = key[rows][order]
        self.rows = rows[order]

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.rows.nbytes)


class _BlockSet:
    """For each block of disjoint loci, the rows carrying it sorted by combined genotype key.

    ``thin`` (optional) is a second, smaller sorted copy restricted to a subset of rows: the
    rows an earlier block set may miss for queries carrying that set's common blocks.
    """

    def __init__(
        self, blocks: list[tuple[int, ...]], codes: U16, subset: NDArray[np.bool_] | None = None
    ) -> None:
        if len(blocks) > 16:
            raise ValidationFailed("at most 16 blocks per block set")
        self.blocks = blocks
        n = codes.shape[1]
        self.carried = np.zeros(n, dtype=np.uint16)  # bit b: the row carries every locus of b
        self.full: list[_Sorted] = []
        self.thin: list[_Sorted] | None = None if subset is None else []
        wide = max((len(b) for b in blocks), default=0) > 2
        for b, loci in enumerate(blocks):
            has = np.ones(n, dtype=bool)
            key: NDArray[np.unsignedinteger[Any]] = np.zeros(
                n, dtype=np.uint64 if wide else np.uint32
            )
            for j, locus in enumerate(loci):
                has &= codes[locus] != 0
                key = key | (codes[locus].astype(key.dtype) << key.dtype.type(16 * j))
            self.full.append(_Sorted(key, np.flatnonzero(has).astype(np.uint32)))
            if self.thin is not None and subset is not None:
                self.thin.append(_Sorted(key, np.flatnonzero(has & subset).astype(np.uint32)))
            self.carried[has] |= np.uint16(1 << b)
        counts = [
            int(np.count_nonzero(self.carried & np.uint16(1 << b))) for b in range(len(blocks))
        ]
        # Blocks nearly all rows carry: a query carrying all of them leaves few rows to later
        # block sets, which then look in their small "thin" copy.
        self.common = sum(1 << b for b, c in enumerate(counts) if c >= 0.9 * n)

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in [*self.full, *(self.thin or [])]) + int(self.carried.nbytes)

    def plan(self, matching: Mapping[int, I64]) -> tuple[int, dict[int, list[I64]]]:
        """The query's usable blocks (as a bit mask) and, per block, each locus' genotype codes
        that fully match the query (``matching``: locus → those codes)."""
        usable, choices = 0, {}
        for b, loci in enumerate(self.blocks):
            if any(locus not in matching for locus in loci):
                continue
            per_locus = [matching[loc] for loc in loci]
            if int(np.prod([len(c) for c in per_locus])) > MAX_KEYS_PER_BLOCK:
                continue
            usable |= 1 << b
            choices[b] = per_locus
        return usable, choices

    def lookup(self, choices: Mapping[int, list[I64]], thin: bool) -> U32:
        """Rows fully matching the query on at least one usable block (may repeat)."""
        tables = self.thin if thin and self.thin is not None else self.full
        found: list[U32] = [np.zeros(0, dtype=np.uint32)]
        for b, per_locus in choices.items():
            table = tables[b]
            keys = np.zeros(1, dtype=table.keys.dtype)
            for j, choice in enumerate(per_locus):
                shifted = choice.astype(table.keys.dtype) << table.keys.dtype.type(16 * j)
                keys = (keys[:, None] | shifted[None, :]).ravel()
            found.append(_lookup(table.keys, table.rows, np.sort(keys)))
        return np.concatenate(found)


@dataclass(frozen=True)
class _QueryLocus:
    """A query genotype's tables at one locus: result per genotype code (4·mismatches +
    quality), the same packed for verification, the fully matching codes, and how many
    database rows it rules out (two mismatched alleles)."""

    lut: U8
    packed: U32
    matching: I64
    dead: int


def _packed(lut: U8) -> U32:
    """Per genotype code: mismatches | matching<<6 | compared<<12 | wildcard<<18 | micro<<24."""
    v = lut.astype(np.uint32)
    full = (v >= 1) & (v <= 3)
    out: U32 = (
        (v >> 2)
        | (full.astype(np.uint32) << 6)
        | ((v > 0).astype(np.uint32) << 12)
        | ((v == 2).astype(np.uint32) << 18)
        | ((v == 3).astype(np.uint32) << 24)
    )
    return out


_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 16)], dtype=np.uint8)


def _lookup(
    keys: NDArray[np.unsignedinteger[Any]], rows: U32, wanted: NDArray[np.unsignedinteger[Any]]
) -> U32:
    lo = np.searchsorted(keys, wanted, side="left")
    hi = np.searchsorted(keys, wanted, side="right")
    counts = hi - lo
    hit = counts > 0
    lo, counts = lo[hit], counts[hit]
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.uint32)
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    out: U32 = rows[np.arange(total) + starts]
    return out


class ProfileIndex:
    """Exact Prüm search over a database held in memory (see the module docstring)."""

    def __init__(
        self,
        ids: Sequence[str] | NDArray[np.str_] | NDArray[np.bytes_],
        columns: Mapping[str, LocusColumn],
        block_sets: Iterable[Sequence[tuple[str, ...]]] = (TRIPLE_BLOCKS, PAIR_BLOCKS),
        scan_fraction: float = 0.25,
    ) -> None:
        """``scan_fraction``: scan every row instead when more than this share of the rows
        would have to be scanned anyway (queries with very few loci)."""
        self.ids = np.asarray(ids)
        self.scan_fraction = scan_fraction
        n = len(self.ids)
        names = sorted(locus for locus in columns if locus != rules.AMELOGENIN)
        self.loci: list[_Locus] = []
        self.codes = np.zeros((len(names), n), dtype=np.uint16)
        for i, name in enumerate(names):
            column = columns[name]
            self.loci.append(self._encode(name, column, self.codes[i]))
        self.position = {locus.name: i for i, locus in enumerate(self.loci)}
        self.block_sets: list[_BlockSet] = []
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
            bs = _BlockSet(blocks, self.codes, thin if self.block_sets else None)
            self.block_sets.append(bs)
            thin &= _POPCOUNT[bs.carried & np.uint16(bs.common)] <= 1
        # Rows grouped by which blocks of every set they carry (a few hundred groups).
        combined = np.zeros(n, dtype=np.uint64)
        for s, bs in enumerate(self.block_sets):
            combined |= bs.carried.astype(np.uint64) << np.uint64(16 * s)
        masks, inverse = np.unique(combined, return_inverse=True)
        by_mask = np.argsort(inverse, kind="stable").astype(np.uint32)
        bounds = np.searchsorted(inverse[by_mask], np.arange(len(masks) + 1))
        self.group_codes = masks.astype(np.uint64)
        self.group_rows: list[U32] = [by_mask[bounds[i] : bounds[i + 1]] for i in range(len(masks))]
        self._table_cache: dict[tuple[int, str, str], _QueryLocus] = {}
        self._residual_cache: dict[tuple[int, ...], tuple[U32, list[bool]]] = {}
        # How many rows carry each genotype: orders loci by how many rows they rule out.
        self.counts = [
            np.bincount(self.codes[i], minlength=len(locus.gt1)).astype(np.int64)
            for i, locus in enumerate(self.loci)
        ]

    @staticmethod
    def _encode(name: str, column: LocusColumn, out: U16) -> _Locus:
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
        return _Locus(name, alleles, gt1, gt2)

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
        return int(total + sum(g.nbytes for g in self.group_rows))

    def _tables(self, query: Profile) -> dict[int, _QueryLocus]:
        """Per typed locus of the query, its comparison tables (cached per genotype)."""
        tables: dict[int, _QueryLocus] = {}
        for name in query.typed_loci():
            i = self.position.get(name)
            if i is None:
                continue
            a, b = prum_genotype(query.loci[name])
            key = (i, min(a.value, b.value), max(a.value, b.value))
            table = self._table_cache.get(key)
            if table is None:
                lut = self.loci[i].lut((a, b))
                table = _QueryLocus(
                    lut,
                    _packed(lut),
                    np.flatnonzero((lut >= 1) & (lut <= 3)),
                    int(self.counts[i] @ (lut >= 8)),
                )
                if len(self._table_cache) < 50_000:
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
        self, query: Profile, tables: Mapping[int, _QueryLocus], rows: NDArray[np.uint32] | None
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
        for row, packed in zip(unique_rows.tolist(), state[first].tolist(), strict=True):
            mismatched, matching = packed & 63, (packed >> 6) & 63
            compared, wild, micro = (packed >> 12) & 63, (packed >> 18) & 63, packed >> 24
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

    def _candidates(self, tables: Mapping[int, _QueryLocus]) -> U32 | None:
        # Block set s finds every match sharing two of its usable blocks with the query; a row
        # is looked for in set s only when every earlier set could miss it (its "residual"),
        # and rows in the residual of every set are scanned.
        matching = {i: t.matching for i, t in tables.items()}
        plans = [bs.plan(matching) for bs in self.block_sets]
        scanned, pending = self._residual(tuple(usable for usable, _ in plans))
        if len(scanned) > len(self) * self.scan_fraction:
            return None
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
                rows = rows[_POPCOUNT[prior] <= 1]
            found.append(rows)
        return np.concatenate(found)

    def _residual(self, masks: tuple[int, ...]) -> tuple[U32, list[bool]]:
        """Rows in the residual of every block set, and for each set whether any row is in
        the residual of all earlier sets (cached per combination of usable masks)."""
        cached = self._residual_cache.get(masks)
        if cached is None:
            inside = np.ones(len(self.group_codes), dtype=bool)
            pending = []
            for s, mask in enumerate(masks):
                pending.append(bool(inside.any()))
                carried = (self.group_codes >> np.uint64(16 * s)) & np.uint64(mask & 0xFFFF)
                inside &= _POPCOUNT[carried.astype(np.uint16)] <= 1
            scanned = [self.group_rows[g] for g in np.flatnonzero(inside).tolist()]
            rows = np.concatenate(scanned) if scanned else np.zeros(0, dtype=np.uint32)
            cached = (rows, pending)
            if len(self._residual_cache) < 1024:
                self._residual_cache[masks] = cached
        return cached

    def scan(self, query: Profile) -> list[MatchResult]:
        """The straightforward vectorised scan of every row (baseline for the benchmark)."""
        tables = self._tables(query)
        if len(tables) < rules.MIN_MATCHING_LOCI:
            return []
        return self._verify(query, {i: t.lut for i, t in tables.items()}, None)


__all__ = ["PAIR_BLOCKS", "TRIPLE_BLOCKS", "Column", "LocusColumn", "ProfileIndex"]
