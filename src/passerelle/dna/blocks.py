"""Block sets: database rows sorted by the combined genotype key of a few disjoint loci.

A matching profile has at most one non-matching allele, hence at most one block that does not
match fully; if it shares two blocks of a set with the query, it is found by expanding the
query's block into every fully matching key (wildcards, microvariant neighbours) and looking
those keys up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from passerelle.errors import ValidationFailed

U8 = NDArray[np.uint8]
U16 = NDArray[np.uint16]
U32 = NDArray[np.uint32]
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
# A second pairing of the same loci: a partial query that carries too few of the pairs above
# usually carries enough of these.
CROSS_PAIR_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("D1S1656", "D12S391"),
    ("TH01", "D18S51"),
    ("D22S1045", "FGA"),
    ("D10S1248", "D21S11"),
    ("D3S1358", "D8S1179"),
    ("vWA", "D16S539"),
    ("D2S441", "D19S433"),
    ("D2S1338", "CSF1PO"),
    ("SE33", "TPOX"),
    ("D7S820", "D5S818"),
    ("D13S317", "Penta D"),
    ("Penta E", "FES"),
)
DEFAULT_BLOCK_SETS = (TRIPLE_BLOCKS, PAIR_BLOCKS, CROSS_PAIR_BLOCKS)
MAX_KEYS_PER_BLOCK = 4096


class SortedBlock:
    """Rows sorted by their combined key for one block."""

    def __init__(self, key: NDArray[np.unsignedinteger[Any]], rows: U32) -> None:
        order = np.argsort(key[rows], kind="stable")
        self.keys = key[rows][order]
        self.rows = rows[order]

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.rows.nbytes)


def carried_mask(blocks: list[tuple[int, ...]], codes: U16) -> U16:
    """Per row, bit b set when the row carries every locus of ``blocks[b]``."""
    carried = np.zeros(codes.shape[1], dtype=np.uint16)
    for b, loci in enumerate(blocks):
        has = np.ones(codes.shape[1], dtype=bool)
        for locus in loci:
            has &= codes[locus] != 0
        carried[has] |= np.uint16(1 << b)
    return carried


class BlockSet:
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
        carried = np.zeros(n, dtype=np.uint16)  # bit b: the row carries every locus of b
        self.full: list[SortedBlock] = []
        self.thin: list[SortedBlock] | None = None if subset is None else []
        wide = max((len(b) for b in blocks), default=0) > 2
        for b, loci in enumerate(blocks):
            has = np.ones(n, dtype=bool)
            key: NDArray[np.unsignedinteger[Any]] = np.zeros(
                n, dtype=np.uint64 if wide else np.uint32
            )
            for j, locus in enumerate(loci):
                has &= codes[locus] != 0
                key = key | (codes[locus].astype(key.dtype) << key.dtype.type(16 * j))
            self.full.append(SortedBlock(key, np.flatnonzero(has).astype(np.uint32)))
            if self.thin is not None and subset is not None:
                self.thin.append(SortedBlock(key, np.flatnonzero(has & subset).astype(np.uint32)))
            carried[has] |= np.uint16(1 << b)
        counts = [int(np.count_nonzero(carried & np.uint16(1 << b))) for b in range(len(blocks))]
        # Blocks nearly all rows carry: a query carrying all of them leaves few rows to later
        # block sets, which then look in their small "thin" copy.
        self.common = sum(1 << b for b, c in enumerate(counts) if c >= 0.9 * n)

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in [*self.full, *(self.thin or [])])

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
            found.append(lookup_keys(table.keys, table.rows, np.sort(keys)))
        return np.concatenate(found)


POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 16)], dtype=np.uint8)


def lookup_keys(
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


__all__ = [
    "CROSS_PAIR_BLOCKS",
    "DEFAULT_BLOCK_SETS",
    "MAX_KEYS_PER_BLOCK",
    "PAIR_BLOCKS",
    "POPCOUNT",
    "TRIPLE_BLOCKS",
    "BlockSet",
    "carried_mask",
    "lookup_keys",
]
