"""Multi-index hashing (Norouzi, Punjani & Fleet, CVPR 2012) for Hamming-distance search over
64-bit perceptual hashes, and the linear scan it is benchmarked against.

Each hash is cut into four 16-bit substrings, one table per substring. Two hashes within
distance ``4·s + 3`` share at least one substring within distance ``s`` (pigeonhole), so a
search probes, in each table, the buckets of the query's substring with up to ``s`` bits
flipped, for ``s = 0, 1, 2 …`` until ``k`` owners are known to be nearest. Tables are sorted
arrays with bucket offsets (NumPy), not Python dictionaries: 900,000 entries stay small."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt

TABLES = 4
BITS = 16
MAX_RADIUS = 3

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


def _masks(ring: int) -> I64:
    """16-bit masks with exactly ``ring`` bits set."""
    return np.array(
        [sum(1 << b for b in bits) for bits in combinations(range(BITS), ring)], dtype=np.int64
    )


RINGS = [_masks(r) for r in range(MAX_RADIUS + 1)]


class MultiIndex:
    """Entries ``hashes[i]`` owned by ``owners[i]`` (several hashes per object)."""

    def __init__(self, hashes: Sequence[int] | U64, owners: Sequence[int] | I64) -> None:
        self.hashes = np.asarray(hashes, dtype=np.uint64)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.tables: list[tuple[I64, I64]] = []
        for t in range(TABLES):
            keys = ((self.hashes >> np.uint64(BITS * t)) & np.uint64(0xFFFF)).astype(np.int64)
            order = np.argsort(keys, kind="stable").astype(np.int64)
            starts = np.zeros(1 << BITS | 1, dtype=np.int64)
            np.cumsum(np.bincount(keys, minlength=1 << BITS), out=starts[1:])
            self.tables.append((order, starts))

    def __len__(self) -> int:
        return int(self.hashes.size)

    def _probe(self, query: int, ring: int) -> I64:
        found = []
        masks = RINGS[ring]
        for t, (order, starts) in enumerate(self.tables):
            keys = ((query >> (BITS * t)) & 0xFFFF) ^ masks
            lo, hi = starts[keys], starts[keys + 1]
            lengths = hi - lo
            total = int(lengths.sum())
            if total == 0:
                continue
            offsets = np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
            found.append(order[offsets])
        return np.concatenate(found) if found else np.empty(0, dtype=np.int64)

    def search(self, queries: Sequence[int], k: int, keep: int = 0) -> dict[int, tuple[int, int]]:
        """The ``k`` nearest owners: owner -> (distance, index of the nearest query). Stops at
        the first radius where ``k`` owners are known to be nearest, or at MAX_RADIUS (then the
        nearest found so far); returns up to ``keep`` (≥ k) of the nearest found, for a
        re-ranking that needs more candidates than the exact top ``k``."""
        if not len(self) or not queries:
            return {}
        q = np.asarray(queries, dtype=np.uint64)
        size = int(self.owners.max()) + 1
        best = np.full(size, 65, dtype=np.int64)
        best_query = np.zeros(size, dtype=np.int64)
        seen = np.zeros(len(self), dtype=bool)
        for ring in range(MAX_RADIUS + 1):
            entries = np.unique(np.concatenate([self._probe(int(v), ring) for v in queries]))
            entries = entries[~seen[entries]]
            seen[entries] = True
            if entries.size:
                dist = np.bitwise_count(self.hashes[entries][:, None] ^ q[None, :])
                which = dist.argmin(axis=1)
                low = dist[np.arange(entries.size), which].astype(np.int64)
                owners = self.owners[entries]
                order = np.argsort(-low, kind="stable")  # the nearest is written last
                improved = low[order] < best[owners[order]]
                best_query[owners[order][improved]] = which[order][improved]
                np.minimum.at(best, owners, low)
            # every entry within TABLES * (ring + 1) - 1 bits is now known
            if int((best <= TABLES * (ring + 1) - 1).sum()) >= k:
                break
        found = np.flatnonzero(best <= 64)
        top = found[np.argsort(best[found], kind="stable")[: max(k, keep)]]
        return {int(o): (int(best[o]), int(best_query[o])) for o in top}

    def scan(self, queries: Sequence[int], k: int, keep: int = 0) -> dict[int, tuple[int, int]]:
        """The same answer by a linear scan of every hash (the benchmark's comparison)."""
        if not len(self) or not queries:
            return {}
        q = np.asarray(queries, dtype=np.uint64)
        dist = np.bitwise_count(self.hashes[:, None] ^ q[None, :])
        which = dist.argmin(axis=1)
        low = dist[np.arange(dist.shape[0]), which].astype(np.int64)
        per_owner: dict[int, tuple[int, int]] = {}
        top = np.argsort(low, kind="stable")
        for i in top.tolist():
            owner = int(self.owners[i])
            if owner not in per_owner:
                per_owner[owner] = (int(low[i]), int(which[i]))
                if len(per_owner) >= max(k, keep):
                    break
        return per_owner
