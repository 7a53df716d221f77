"""The multi-index finds the same nearest owners as a linear scan of every hash."""

from __future__ import annotations

import random

import numpy as np
import numpy.typing as npt
import pytest

from passerelle.heritage.service import hashindex
from passerelle.heritage.service.hashindex import MultiIndex


def test_multi_index_agrees_with_the_linear_scan() -> None:
    rng = random.Random(5)
    base = [rng.getrandbits(64) for _ in range(2000)]
    hashes, owners = [], []
    for owner, h in enumerate(base):
        for _ in range(3):  # three variants per owner, a few bits apart
            hashes.append(h ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64)))
            owners.append(owner)
    index = MultiIndex(hashes, owners)
    for target in rng.sample(range(2000), 25):
        query = base[target] ^ sum(1 << b for b in rng.sample(range(64), 6))
        found = index.search([query, rng.getrandbits(64)], k=5)
        scanned = index.scan([query], k=5)
        assert min(found, key=lambda o: found[o][0]) == target
        assert found[target][0] == scanned[target][0] <= 8


def test_empty_index_finds_nothing() -> None:
    assert MultiIndex([], []).search([123], k=3) == {}


def test_pairs_of_words_are_searched_by_their_summed_distance() -> None:
    """pHash and dHash side by side: eight tables, distances summed over both words."""
    rng = random.Random(8)
    base = [(rng.getrandbits(64), rng.getrandbits(64)) for _ in range(3000)]
    hashes, owners = [], []
    for owner, (p, d) in enumerate(base):
        for _ in range(4):
            hashes.append((p ^ (1 << rng.randrange(64)), d ^ (1 << rng.randrange(64))))
            owners.append(owner)
    index = MultiIndex(hashes, owners)
    assert index.tables == 8
    for target in rng.sample(range(3000), 25):
        p, d = base[target]
        flips = rng.sample(range(128), 14)  # 14 bits apart over the pair (+ up to 2 above)
        query = (
            p ^ sum(1 << b for b in flips if b < 64),
            d ^ sum(1 << (b - 64) for b in flips if b >= 64),
        )
        noise = (rng.getrandbits(64), rng.getrandbits(64))
        found = index.search([noise, query], k=3, keep=20)
        scanned = index.scan([noise, query], k=3, keep=20)
        assert min(found, key=lambda o: found[o][0]) == target
        assert found[target] == scanned[target]
        assert found[target][1] == 1  # the second query hash is the near one
        assert found[target][0] <= 16


def _flip(
    pair: tuple[int, int], per_substring: dict[int, int], rng: random.Random
) -> tuple[int, int]:
    """``pair`` with that many bits flipped in each 16-bit substring (0–7, pHash then dHash)."""
    bits = [t * 16 + b for t, n in per_substring.items() for b in rng.sample(range(16), n)]
    return (
        pair[0] ^ sum(1 << b for b in bits if b < 64),
        pair[1] ^ sum(1 << (b - 64) for b in bits if b >= 64),
    )


def test_crowded_buckets_narrow_the_widening_but_the_nearest_is_still_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over budget, only the query hash nearest so far is widened to radius 2, and finds a
    target two bits off in every substring (out of reach at radius 1)."""
    rng = random.Random(13)
    base = [(rng.getrandbits(64), rng.getrandbits(64)) for _ in range(3000)]
    target = 1296
    query = _flip(base[target], dict.fromkeys(range(8), 2), rng)  # 16 bits from the target
    # an entry sharing the query's first substring, 21 bits away: found at radius 0, it makes
    # the query hash the nearest so far
    base.append(_flip(query, dict.fromkeys(range(1, 8), 3), rng))
    index = MultiIndex(base, list(range(len(base))))
    widened: list[int] = []
    ranges = MultiIndex._ranges

    def counted(
        self: MultiIndex, q: npt.NDArray[np.uint64], masks: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        if masks.size == hashindex.RINGS[2].size:
            widened.append(q.shape[0])
        return ranges(self, q, masks)

    monkeypatch.setattr(MultiIndex, "_ranges", counted)
    noise = (rng.getrandbits(64), rng.getrandbits(64))
    found = index.search([noise, query], k=1)
    assert min(found, key=lambda o: found[o][0]) == target
    assert found[target] == (16, 1)
    assert widened == [2]  # both query hashes widened within the budget
    monkeypatch.setattr(hashindex, "WIDEN_BUDGET", 0)
    widened.clear()
    found = index.search([noise, query], k=1)
    assert found[target] == (16, 1)
    assert widened == [2, 1]  # over budget: the nearest query hash alone
