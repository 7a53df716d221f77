"""Multi-index hashing (Norouzi, Punjani & Fleet, CVPR 2012) for Hamming-distance search over
perceptual hashes of one or several 64-bit words, and the linear scan it is benchmarked against.

Each entry is cut into 16-bit substrings, one table per substring (four per word: a pHash and
its dHash side by side make eight). Two entries within distance ``T·(s + 1) - 1`` over ``T``
substrings share at least one substring within distance ``s`` (pigeonhole), so a search probes,
in each table, the buckets of the query's substrings with up to ``s`` bits flipped, for
``s = 0, 1 …`` until ``k`` owners are known to be nearest, or up to ``MAX_RADIUS`` (beyond it,
entries sharing a substring within ``MAX_RADIUS`` bits are still found). Every query hash of a
photograph (its rotations and scales) is probed at once: the bucket ranges of all query hashes
× tables × flip masks are gathered in one NumPy pass and the exact distances computed on their
union only, so the cost follows the buckets' fill, not the number of entries. Tables are one
sorted array of entry numbers with bucket offsets, not Python dictionaries."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt

BITS = 16
PER_WORD = 64 // BITS
#: Largest probing radius per substring. With eight tables (pHash + dHash) radius 1 finds every
#: entry within 15 bits, and radius 2 would gather ten times as many buckets.
MAX_RADIUS = 1
NONE = 32767
#: Beyond MAX_RADIUS, the WIDEN query hashes nearest so far (the likeliest rotation and scale)
#: are probed up to WIDEN_RADIUS more. Measured 2026-12-03 on generated copies: at 20,000
#: photographs the true object is among the 200 candidates for 0.963 of 300 copies with none,
#: 0.977 with one, 0.983 with two, at 1.7× and 2.5× the probing time of none. Since the search
#: no longer sorts every probed entry (2026-12-04) two cost what one did: at 100,000 objects
#: recall@10 0.960 with one, 0.968 with two (600 copies), search CPU p99 32 → 40 ms.
#: Capping crowded buckets instead lost 3 to 7 points.
WIDEN = 2
WIDEN_RADIUS = 1
#: ... unless their buckets hold more entries than this: then fewer query hashes are widened.
#: Crowded buckets made the slowest queries (at 100,000 objects, 2 query hashes at radius 2
#: probe 185,000 entries at the median, 322,000 at p99); 240,000 is their 80th percentile.
WIDEN_BUDGET = 240_000

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


def _masks(ring: int) -> I64:
    """16-bit masks with exactly ``ring`` bits set."""
    return np.array(
        [sum(1 << b for b in bits) for bits in combinations(range(BITS), ring)], dtype=np.int64
    )


RINGS = [_masks(r) for r in range(3)]
SHIFTS = np.arange(PER_WORD, dtype=np.uint64) * np.uint64(BITS)


def _spans(lo: I64, lengths: I64) -> I64:
    """The positions ``lo[i] … lo[i] + lengths[i] - 1`` of every span, one after the other."""
    return np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))


def _words(values: Sequence[int] | Sequence[Sequence[int]] | U64, width: int = 0) -> U64:
    """Hashes as a 2-D array: one row per hash, one column per 64-bit word."""
    a = np.asarray(values, dtype=np.uint64)
    if a.ndim == 1:
        a = a[:, None]
    if width and a.size == 0:
        a = a.reshape(0, width)
    return a


class MultiIndex:
    """Entries ``hashes[i]`` (a 64-bit int, or a row of several) owned by ``owners[i]``
    (several entries per object)."""

    def __init__(
        self, hashes: Sequence[int] | Sequence[Sequence[int]] | U64, owners: Sequence[int] | I64
    ) -> None:
        self.hashes = _words(hashes, 1)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.size = int(self.owners.max()) + 1 if self.owners.size else 0
        self.words = self.hashes.shape[1]
        self.columns = [np.ascontiguousarray(self.hashes[:, w]) for w in range(self.words)]
        self.tables = self.words * PER_WORD
        n = self.hashes.shape[0]
        orders, starts = [], []
        for keys in self._keys(self.hashes).T:
            orders.append(np.argsort(keys, kind="stable").astype(np.int32))
            start = np.zeros(1 << BITS | 1, dtype=np.int64)
            np.cumsum(np.bincount(keys, minlength=1 << BITS), out=start[1:])
            starts.append(start + len(orders[:-1]) * n)
        #: entry numbers, table after table, each table sorted by its substring
        self.order = np.concatenate(orders)
        #: row ``t``: where each substring's bucket of table ``t`` begins in ``order``
        self.starts = np.stack(starts)
        #: entry numbers by owner, and where each owner's begin
        self.by_owner = np.argsort(self.owners, kind="stable")
        self.owner_starts = np.searchsorted(
            self.owners[self.by_owner], np.arange(self.size + 1)
        ).astype(np.int64)

    def __len__(self) -> int:
        return int(self.hashes.shape[0])

    @staticmethod
    def _keys(rows: U64) -> npt.NDArray[np.uint16]:
        """The 16-bit substrings of each row (one column per table)."""
        keys = (rows[:, :, None] >> SHIFTS[None, None, :]) & np.uint64(0xFFFF)
        return keys.reshape(rows.shape[0], rows.shape[1] * PER_WORD).astype(np.uint16)

    def _ranges(self, q: U64, masks: I64) -> tuple[I64, I64]:
        """Where the buckets of every query substring with each of ``masks`` flipped begin in
        ``order``, and their lengths."""
        probes = (
            self._keys(q).astype(np.int64)[:, :, None] ^ masks[None, None, :]
        )  # query × table × mask
        rows = np.broadcast_to(np.arange(self.tables)[None, :, None], probes.shape)
        lo = self.starts[rows, probes].ravel()
        return lo, self.starts[rows, probes + 1].ravel() - lo

    def _gather(self, lo: I64, lengths: I64) -> I64:
        """The entries of those buckets (an entry found twice is listed twice)."""
        return self.order[_spans(lo, lengths)].astype(np.int64)

    def distances(self, entries: I64, q: U64) -> npt.NDArray[np.uint8]:
        """Hamming distances, query hashes × entries, summed over the words (one contiguous
        column per word: gathering a column is ten times faster than gathering rows)."""
        d = np.empty((q.shape[0], entries.size), dtype=np.uint8)
        x = np.empty((q.shape[0], entries.size), dtype=np.uint64)
        for w, column in enumerate(self.columns):
            np.bitwise_xor(column.take(entries)[None, :], q[:, w, None], out=x)
            if w == 0:
                np.bitwise_count(x, out=d)
            else:
                d += np.bitwise_count(x)
        return d

    def search(
        self, queries: Sequence[int] | Sequence[Sequence[int]] | U64, k: int, keep: int = 0
    ) -> dict[int, tuple[int, int]]:
        """The ``k`` nearest owners: owner -> (distance, index of the nearest query). Stops at
        the first radius where ``k`` owners are known to be nearest, or at MAX_RADIUS (then the
        nearest found so far); returns up to ``keep`` (≥ k) of the nearest found, for a
        re-ranking that needs more candidates than the exact top ``k``. The distance returned
        for an owner is its exact one, over all its entries, probed or not."""
        q = _words(queries, self.words)
        if not len(self) or not q.size:
            return {}
        best = np.full(self.size, NONE, dtype=np.int16)
        nearest = np.full(q.shape[0], NONE, dtype=np.int64)  # per query hash
        seen = np.zeros(len(self), dtype=bool)
        for ring in range(MAX_RADIUS + WIDEN_RADIUS + 1):
            rows = np.arange(q.shape[0])
            if ring > MAX_RADIUS:  # only the query hashes that came nearest so far
                rows = np.argsort(nearest, kind="stable")[:WIDEN]
            lo, lengths = self._ranges(q[rows], RINGS[ring])
            while ring > MAX_RADIUS and rows.size > 1 and int(lengths.sum()) > WIDEN_BUDGET:
                rows = rows[:-1]  # crowded buckets: widen fewer query hashes
                lo, lengths = self._ranges(q[rows], RINGS[ring])
            entries = self._gather(lo, lengths)
            entries = entries[~seen[entries]]  # not again at a larger radius
            seen[entries] = True
            if entries.size:
                dist = self.distances(entries, q)
                np.minimum(nearest, dist.min(axis=1), out=nearest)
                # the nearest query hash per entry is not needed here: it is found again
                # for the owners returned only (an argmin and a sort of every probed entry
                # were a third of a search)
                np.minimum.at(best, self.owners[entries], dist.min(axis=0).astype(np.int16))
            # every entry within tables * (ring + 1) - 1 bits of every query hash is now known
            if int(np.count_nonzero(best <= self.tables * (ring + 1) - 1)) >= k:
                break
        found = np.flatnonzero(best < NONE)
        top = found[np.argsort(best[found], kind="stable")[: max(k, keep)]]
        return self._exact(top, q)

    def _exact(self, owners: I64, q: U64) -> dict[int, tuple[int, int]]:
        """Owner -> (distance, nearest query hash) over all the entries of ``owners``, in
        the order given."""
        lo = self.owner_starts[owners]
        lengths = self.owner_starts[owners + 1] - lo
        if not int(lengths.sum()):
            return {}
        dist = self.distances(self.by_owner[_spans(lo, lengths)], q).astype(np.int64)
        # per entry: distance * queries + nearest query, so one minimum gives both
        keyed = (dist * q.shape[0] + np.arange(q.shape[0])[:, None]).min(axis=0)
        per_owner = np.minimum.reduceat(keyed, np.cumsum(lengths) - lengths)
        return {
            int(o): (int(v) // q.shape[0], int(v) % q.shape[0])
            for o, v in zip(owners.tolist(), per_owner.tolist(), strict=True)
        }

    def scan(
        self, queries: Sequence[int] | Sequence[Sequence[int]] | U64, k: int, keep: int = 0
    ) -> dict[int, tuple[int, int]]:
        """The same answer by a linear scan of every hash (the benchmark's comparison)."""
        q = _words(queries, self.words)
        if not len(self) or not q.size:
            return {}
        dist = self.distances(np.arange(len(self)), q)
        which = dist.argmin(axis=0)
        low = dist[which, np.arange(dist.shape[1])]  # uint8: a stable sort is a radix sort
        per_owner: dict[int, tuple[int, int]] = {}
        top = np.argsort(low, kind="stable")
        for i in top.tolist():
            owner = int(self.owners[i])
            if owner not in per_owner:
                per_owner[owner] = (int(low[i]), int(which[i]))
                if len(per_owner) >= max(k, keep):
                    break
        return per_owner
