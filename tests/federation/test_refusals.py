"""The limiter behind refusal audits: per source and error code, per window, bounded."""

from __future__ import annotations

from datetime import timedelta

from passerelle.federation import refusals
from tests.conftest import START


def test_each_source_and_error_has_its_own_allowance() -> None:
    limiter = refusals.Limiter(per_window=2, window=timedelta(minutes=1), max_sources=10)
    admitted = [limiter.admit("10.0.0.1", "signature_invalid", START)[0] for _ in range(4)]
    assert admitted == [True, True, False, False]
    assert limiter.admit("10.0.0.2", "signature_invalid", START)[0] is True
    assert limiter.admit("10.0.0.1", "bad_request", START)[0] is True


def test_a_window_that_passed_gives_one_summary_with_the_count() -> None:
    limiter = refusals.Limiter(per_window=1, window=timedelta(minutes=1), max_sources=10)
    for _ in range(4):
        limiter.admit("10.0.0.1", "signature_invalid", START)
    admitted, summaries = limiter.admit("10.0.0.9", "replay", START + timedelta(seconds=61))
    assert admitted is True
    assert [(s.source, s.error, s.suppressed) for s in summaries] == [
        ("10.0.0.1", "signature_invalid", 3)
    ]
    assert summaries[0].end - summaries[0].start == timedelta(minutes=1)
    assert limiter.admit("10.0.0.1", "signature_invalid", START + timedelta(seconds=62))[0]


def test_many_sources_stay_bounded_and_the_dropped_ones_are_summarised() -> None:
    limiter = refusals.Limiter(per_window=1, window=timedelta(minutes=1), max_sources=3)
    for source in ("a", "a", "b", "c"):
        limiter.admit(source, "signature_invalid", START)
    _, summaries = limiter.admit("d", "signature_invalid", START)
    assert [(s.source, s.suppressed) for s in summaries] == [("a", 1)]
    assert len(limiter._windows) == 3


def test_only_a_key_id_of_the_node_code_form_is_ever_logged() -> None:
    assert refusals.loggable_keyid("BE") == "BE"
    assert refusals.loggable_keyid("A" * 33) == ""
    assert refusals.loggable_keyid("peer:BE") == ""
    assert refusals.loggable_keyid("../../x") == ""
