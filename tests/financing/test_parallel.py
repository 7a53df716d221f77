"""Matching in worker processes: the same matches, in the same order, as one process."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from passerelle.financing.service import bloom, keys, parallel
from passerelle.identity import PersonRecord as P

NOW = datetime(2026, 12, 3, tzinfo=UTC)
GIVEN = ["Sergei", "Youssef", "Marie", "Ahmed", "Anna", "Jean-Luc", "Fatima", "Pieter"]
FAMILY = ["Ivanov", "Haddad", "Peeters", "Benali", "Janssens", "Lefèvre", "Dubois", "Mertens"]


def people(prefix: str, count: int, shift: int) -> list[P]:
    return [
        P(f"{prefix}{i}", given_names=GIVEN[(i + shift) % 8], family_name=FAMILY[i * 3 % 8],
          date_of_birth=f"{1950 + i % 40}-{1 + i % 12:02d}-{1 + (i + shift) % 28:02d}")
        for i in range(count)
    ]  # fmt: skip


@pytest.fixture
def matcher_and_candidates() -> tuple[bloom.Matcher, list[P]]:
    key = keys.generate(NOW)
    flt, _ = bloom.build(key, people("S", 300, 0))
    undated = [
        replace(p, id=f"D{i}", date_of_birth=None) for i, p in enumerate(people("D", 150, 0))
    ]
    strangers = [P(f"X{i}", full_name=f"Bartholomew Okonkwo-Whitfield {i}") for i in range(50)]
    return bloom.Matcher(flt, key), people("C", 200, 0) + strangers + undated


def test_two_processes_find_the_same_matches_in_the_same_order(
    matcher_and_candidates: tuple[bloom.Matcher, list[P]], monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher, candidates = matcher_and_candidates
    monkeypatch.setattr(parallel, "SLICE", 37)  # eleven slices over two processes
    alone = matcher.best(candidates)
    assert [cid[0] for cid, _, _ in alone] == ["C"] * 200 + ["D"] * 150  # no stranger
    assert parallel.best(matcher, candidates, workers=2) == alone
    assert parallel.best(matcher, candidates, workers=1) == alone
    assert parallel.best(matcher, candidates, 0.95, workers=3) == matcher.best(candidates, 0.95)


def test_the_default_is_the_usable_cores_within_bounds() -> None:
    assert 1 <= parallel.default_workers() <= parallel.MAX_WORKERS
