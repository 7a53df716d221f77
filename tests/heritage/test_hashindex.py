"""The multi-index finds the same nearest owners as a linear scan of every hash."""

from __future__ import annotations

import random

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
