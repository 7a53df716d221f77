"""Posting lists filed in bulk: sorted key hashes with offsets into one array of slots.

A watchlist built from many entries at once (``Watchlist(entries)``, ``Watchlist.extend``)
files their keys here instead of in a dictionary of several million string keys: each key
becomes its 64-bit ``hash()`` (computed in C, the key string is dropped at once), the
(hash, slot) pairs are sorted once with numpy, and a key's postings are the slots between two
offsets (compressed sparse rows). A query looks its keys up by binary search.

* Postings of a key keep the order of their slots (the order in which entries were filed), so
  candidate ranking, ties included, is the same as with the dictionary.
* Two different keys with the same 64-bit hash would share their postings: about one chance in
  a million for a whole watchlist of 8 million keys, and the cost would be one more candidate
  scored, never a match the scorer does not confirm.
* Hashes of strings are salted per process: the structure is never written out or sent to
  another process (a pickled :class:`~passerelle.identity.index.Watchlist` is rebuilt from its
  records; forked workers share the parent's salt).

numpy is imported only when a bulk build happens, so that start-up stays light.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Int64s = npt.NDArray[np.int64]
    Int32s = npt.NDArray[np.int32]
else:
    Int64s = Int32s = Any


class KeyPairs:
    """(key hash, slot) pairs collected while entries are filed, before sorting."""

    __slots__ = ("hashes", "slots")

    def __init__(self) -> None:
        self.hashes = array("q")
        self.slots = array("i")

    def add(self, slot: int, keys: Sequence[str]) -> None:
        self.hashes.extend(map(hash, keys))
        self.slots.extend([slot] * len(keys))


class FrozenPostings:
    """Immutable postings of entries filed in bulk (see the module docstring)."""

    __slots__ = ("_keys", "_offsets", "_slots")

    def __init__(self, keys: Int64s, offsets: Int64s, slots: Int32s) -> None:
        self._keys = keys  # distinct key hashes, ascending
        self._offsets = offsets  # postings of _keys[i] are _slots[_offsets[i]:_offsets[i + 1]]
        self._slots = slots

    @classmethod
    def build(cls, pairs: KeyPairs, base: FrozenPostings | None = None) -> FrozenPostings:
        """Sort the pairs (after the postings of ``base``, whose slots all come first)."""
        import numpy as np

        hashes = np.frombuffer(pairs.hashes, dtype=np.int64)
        slots = np.frombuffer(pairs.slots, dtype=np.int32)
        if base is not None:
            hashes = np.concatenate((np.repeat(base._keys, np.diff(base._offsets)), hashes))
            slots = np.concatenate((base._slots, slots))
        # Stable: within one key, slots stay in the order they were filed (ascending).
        order = np.argsort(hashes, kind="stable")
        hashes, slots = hashes[order], slots[order]
        if len(hashes) == 0:
            return cls(hashes, np.zeros(1, dtype=np.int64), slots)
        starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1])))
        offsets = np.append(starts, len(hashes)).astype(np.int64)
        return cls(hashes[starts].copy(), offsets, slots)

    def __len__(self) -> int:
        return len(self._keys)

    def ranges(self, keys: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) of each key's postings; (0, 0) for a key never filed."""
        import numpy as np

        if not keys or len(self._keys) == 0:
            return [(0, 0)] * len(keys)
        wanted = np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys))
        pos = np.searchsorted(self._keys, wanted)
        pos[pos == len(self._keys)] = 0
        hit = self._keys[pos] == wanted
        starts = np.where(hit, self._offsets[pos], 0).tolist()
        ends = np.where(hit, self._offsets[pos + 1], 0).tolist()
        return list(zip(starts, ends, strict=True))

    def slots(self, start: int, end: int) -> list[int]:
        """The slots of one range, in filing order."""
        result: list[int] = self._slots[start:end].tolist()
        return result

    def items(self, keys: Sequence[str]) -> list[list[int]]:
        """Postings of each key (empty when never filed)."""
        return [self.slots(s, e) for s, e in self.ranges(keys)]
