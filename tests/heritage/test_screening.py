"""Image screening finds the nearest photograph by its exact hashes and ranks close matches by
how close they are."""

from __future__ import annotations

import pytest

from passerelle.heritage.service import imaging, screening
from passerelle.heritage.service.screening import Entry, PhotoEntry, Screener
from tests.heritage.conftest import copy_of

#: A hash with its highest bit set and its lowest 11 bits clear, and one that differs from it
#: only in those low bits: as float64 (what NumPy makes of such Python ints) they are the same.
HIGH = 0xF0F0_F0F0_F0F0_F000
LOW_BITS = 0x5A5


FLAT_COLOUR = (1 / imaging.HUE_BINS,) * imaging.HUE_BINS
FLAT_TEXTURE = (1 / imaging.TEXTURE_BINS,) * imaging.TEXTURE_BINS


def _descriptor(*values: int, angles: tuple[float, ...] = ()) -> imaging.Descriptor:
    return imaging.Descriptor(values, values, FLAT_COLOUR, FLAT_TEXTURE, angles)


def _screener(*values: int) -> Screener:
    entries = [Entry(f"o{i}", f"OBJ-{i}", f"object {i}", "stolen", "local") for i in range(2)]
    photos = [PhotoEntry(f"p{i}", i, _descriptor(v)) for i, v in enumerate(values)]
    return Screener(entries, photos)


def test_a_photograph_differing_only_in_the_lowest_bits_of_its_hashes_is_told_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(screening, "IMAGE_CANDIDATES", 1)
    monkeypatch.setattr(screening, "EXACT", 1)
    screener = _screener(HIGH | LOW_BITS, HIGH)
    # a query's hashes (one per rotation), some below 2**63: NumPy made them all float64
    query = _descriptor(HIGH | LOW_BITS, 0x0123, angles=(0.0, 6.0))
    found = screener.image_matches([query])
    assert list(found) == [0]  # the photograph hashed exactly so, not its float64 twin
    assert found[0][1][0].startswith("perceptual hash 0/64 bits apart")


def test_close_matches_keep_their_order_instead_of_tying_at_the_top_score() -> None:
    exact = HIGH | LOW_BITS
    screener = _screener(exact, exact ^ 0b11)  # the second one 2 + 2 bits away
    query = _descriptor(exact, angles=(0.0,))
    found = screener.image_matches([query])
    assert 1.0 > found[0][0] > found[1][0] > 0.5
    ranked = screener.screen(None, [query])
    assert [m.reference for m in ranked] == ["OBJ-0", "OBJ-1"]
    assert "gradient hash 2/64 bits apart" in ranked[1].reasons


def test_the_query_hashed_again_between_registered_positions_decides_a_close_call() -> None:
    a, b = HIGH, HIGH ^ 0xFF  # registered photographs 8 bits apart (per hash)
    query_hash = HIGH ^ 0x0F  # 4 bits from each: a tie on the query's own hashes
    asked: list[int] = []

    def around(n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        asked.append(n)  # the region moved between positions looks exactly like b
        return (b,) * 4, (b,) * 4

    query = imaging.Descriptor(
        (query_hash,), (query_hash,), FLAT_COLOUR, FLAT_TEXTURE, (6.0,), around=around
    )
    ranked = _screener(a, b).screen(None, [query])
    assert asked == [0]
    assert [m.reference for m in ranked] == ["OBJ-1", "OBJ-0"]
    assert ranked[0].reasons[0] == "perceptual hash 0/64 bits apart (query turned +6°)"


def test_a_query_picture_is_hashed_again_half_a_step_away_in_four_directions() -> None:
    query = imaging.describe_query(imaging.load(copy_of(3, 3)))
    assert query.around is not None
    phashes, dhashes = query.around(len(query.phashes) - 1)
    assert len(phashes) == len(dhashes) == len(imaging.DIAGONALS) == 4
    assert len(set(phashes) | set(query.phashes)) > len(query.phashes)  # new regions
