"""The blocking index: near matches reach scoring, unrelated rows do not, a missing date on
either side still lets a name match through, and a crowd of namesakes larger than a bucket
is still reached."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from passerelle.financing.service import bloom, keys, lsh
from passerelle.financing.service.encoding import Encoder
from passerelle.identity import PersonRecord as P

NOW = datetime(2026, 12, 3, tzinfo=UTC)


@pytest.fixture
def encoder() -> Encoder:
    return Encoder(keys.generate(NOW))


def rows(encoder: Encoder, people: list[P]) -> bloom.Matrix:
    return bloom.encode_all(encoder, people)[1]


def pairs(index: lsh.Index, query: bloom.Matrix) -> set[tuple[int, int]]:
    cand, found = index.candidates(query)
    return set(zip(cand.tolist(), found.tolist(), strict=True))


def test_near_matches_are_candidates_and_strangers_are_not(encoder: Encoder) -> None:
    filt = rows(encoder, [
        P("a", full_name="Sergei Ivanov", date_of_birth="1980-03-04"),
        P("b", full_name="Marie Peeters", date_of_birth="1962-11-30"),
        P("c", full_name="محمد الحسن", date_of_birth="1975-01-02"),
    ])  # fmt: skip
    index = lsh.Index(filt)
    query = rows(encoder, [
        P("q0", full_name="Sergey Ivanov", date_of_birth="1980-03-05"),
        P("q1", full_name="Muhammad Hasan", date_of_birth="1975-01-02"),
        P("q2", full_name="Sergei Ivanov"),  # no date on this side
        P("q3", full_name="Bartholomew Okonkwo-Whitfield", date_of_birth="2001-07-19"),
    ])  # fmt: skip
    found = pairs(index, query)
    assert {(0, 0), (1, 2), (2, 0)} <= found
    assert not any(c == 3 for c, _ in found)
    assert (0, 1) not in found and (1, 1) not in found


def test_namesakes_beyond_the_bucket_cap_are_still_reached_through_the_dated_tables(
    encoder: Encoder,
) -> None:
    crowd = [
        P(f"s{i}", full_name="Ali Hassan",
          date_of_birth=f"{1940 + i % 60}-{1 + i % 12:02d}-{1 + i % 28:02d}")
        for i in range(lsh.BUCKET_CAP + 50)
    ]  # fmt: skip
    index = lsh.Index(rows(encoder, crowd))
    query = rows(encoder, [P("q", full_name="Ali Hassan", date_of_birth="1947-08-08")])
    found = {r for _, r in pairs(index, query)}
    # The name-only buckets hold the whole crowd and are dropped; the dated tables split it.
    assert 7 in found  # the namesake born that day


def test_an_empty_query_matches_nothing(encoder: Encoder) -> None:
    index = lsh.Index(rows(encoder, [P("a", full_name="Anna Janssens")]))
    cand, found = index.candidates(np.zeros((0, bloom.ROW), dtype=np.uint8))
    assert len(cand) == len(found) == 0
