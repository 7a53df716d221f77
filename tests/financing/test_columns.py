"""The columnar selection sets aside most ordinary transfers and never changes a finding: the
rules over the kept transfers find exactly what they find over all of them, planted patterns
of 3 to 5 hops included."""

from __future__ import annotations

import random

import numpy as np

from passerelle.financing.service import columns
from passerelle.financing.service.flows import DAY, Edge, _rules, detect, detect_columns

T0 = 1_780_000_000.0


def traffic(seed: int) -> list[Edge]:
    rng = random.Random(seed)
    edges = [
        Edge(f"A{rng.randrange(600)}", f"A{rng.randrange(600)}",
             round(rng.lognormvariate(6, 1.5), 2), T0 + rng.random() * 365 * DAY)
        for _ in range(3000)
    ]  # fmt: skip
    at = T0 + 100 * DAY
    edges += [Edge(f"D{i}", "HUB", 40.0, at + i * 600) for i in range(12)]
    edges += [Edge("STR", f"S{i}", 13_000.0, at + i * DAY) for i in range(3)]
    hops = ["R0", "R1", "R2", "R3", "R4"]  # a five-hop round trip
    edges += [Edge(hops[i], hops[(i + 1) % 5], 5000.0, at + i * DAY) for i in range(5)]
    edges += [Edge(f"Q{i}", f"Q{i + 1}", 9000.0 - 100 * i, at + i * 3600) for i in range(4)]
    rng.shuffle(edges)
    return edges


def signatures(drafts: list[object]) -> list[str]:
    return sorted(d.signature for d in drafts)  # type: ignore[attr-defined]


def test_the_selection_changes_no_finding_and_sets_most_transfers_aside() -> None:
    for seed in (1, 2, 3):
        edges = traffic(seed)
        found = detect(edges)
        assert signatures(found) == signatures(_rules(edges)), seed
        rules_hit = {d.rule for d in found}
        assert {"fan_in", "structuring", "round_trip", "quick_chain"} <= rules_hit
        ids: dict[str, int] = {}
        src = np.array([ids.setdefault(e.src, len(ids)) for e in edges], dtype=np.int64)
        dst = np.array([ids.setdefault(e.dst, len(ids)) for e in edges], dtype=np.int64)
        amount = np.array([e.amount for e in edges])
        at = np.array([e.at for e in edges])
        kept = columns.select(src, dst, amount, at)
        assert kept.sum() < len(edges) / 2
        names = sorted(ids, key=ids.__getitem__)
        assert signatures(detect_columns(src, dst, amount, at, names)) == signatures(found)


def test_no_transfers_no_selection() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert len(columns.select(empty, empty, empty.astype(float), empty.astype(float))) == 0
    assert detect([]) == []
