"""parse_file: format detection, quarantine with raw text, the JSON Lines summary."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.pnr.ingest import parse_file
from passerelle.pnr.synth import osdm_booking
from tests.pnr.conftest import pnrgov


def test_summary_has_exactly_the_documented_keys(samples: Path) -> None:
    summary = parse_file(samples / "pnr4.txt").summary()
    assert list(summary) == [
        "file",
        "messages",
        "pnrs",
        "passengers",
        "record_locators",
        "quarantined",
    ]
    assert summary["file"].endswith("pnr4.txt")
    assert (summary["messages"], summary["pnrs"], summary["passengers"]) == (1, 1, 1)
    assert summary["record_locators"] == ["0995F0"]
    assert summary["quarantined"] == []


def test_bytes_and_path_give_the_same_result(samples: Path) -> None:
    data = (samples / "codeshare.edi").read_bytes()
    from_bytes = parse_file(data, "codeshare.edi")
    from_path = parse_file(samples / "codeshare.edi", "codeshare.edi")
    assert from_bytes.summary() == from_path.summary()
    assert from_bytes.digest == from_path.digest


def test_osdm_json_is_detected() -> None:
    doc = osdm_booking(random.Random(3), 0)
    result = parse_file(json.dumps(doc).encode(), "booking.json")
    assert result.format == "osdm"
    assert result.record_locators == [doc["bookingCode"]]
    assert result.accepted


def test_invalid_osdm_is_quarantined_whole_with_the_reason() -> None:
    raw = b'{"id": "B1", "createdOn": "2026-01-01T00:00:00Z", "passengers": []}'
    result = parse_file(raw, "bad.json")
    (item,) = result.quarantined
    assert (item.segment, item.raw) == (0, raw.decode())
    assert "passengers" in item.reason


def test_not_edifact_is_quarantined_whole() -> None:
    result = parse_file(b"hello world", "x.txt")
    (item,) = result.quarantined
    assert item.raw == "hello world"
    assert result.summary()["quarantined"] == [{"segment": item.segment, "reason": item.reason}]


def test_bad_segment_is_quarantined_but_the_rest_accepted() -> None:
    text = pnrgov("SRC", "RCI+AF:OK1234", "TIF+MAES+ELS:A:1", "12345", "TIF+CLAES+LUC:A:2")
    result = parse_file(text.encode(), "push.edi")
    assert [p.full_name for p in result.passengers] == ["MAES ELS", "CLAES LUC"]
    (item,) = result.quarantined
    assert (item.segment, item.raw) == (9, "12345")
    assert not result.accepted


segment_texts = st.sampled_from(
    [
        "SRC",
        "RCI+AF:ABC123",
        "TIF+A+B:A:1",
        "TIF+X:G",
        "SSR+DOCS:HK::::::/P/BEL",
        "SSR+SEAT:HK+1A::1",
        "SSR+SEAT",
        "TVL+010126:0900+CDG+BRU+AF+1",
        "TVL",
        "RPI+1+HK",
        "TRI",
        "SSD+1A",
        "TBD++2:20",
        "ABI",
        "SAC+++X",
        "DAT+700:010126",
        "DAT",
        "IFT+4:43+X",
        "IFT",
        "FOP+CC",
        "ADD++700:X:Y:Z:A:B:C:D",
        "ADD",
        "EQN+1",
        "TKT+1",
        "MON+T:1:EUR",
        "PTK+NR++010126",
        "FTI+AF:1",
        "EBD+EUR:1+2",
        "LTS+HALAL",
        "ORG+AF+9TIF+GLUED+NAME:A:1",
        "NAD+FL+++A:B",
        "DOC+P+1",
        "DTM+329:800101",
        "UNH+2+PAXLST",
        "UNH+3+PNRGOV",
        "UNT+2+1",
        "UNE",
        "UNG+X",
        "'",
        "?",
        "+",
        ":",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(segment_texts, max_size=40))
def test_fuzz_parse_file_never_raises(segments: list[str]) -> None:
    text = "UNB+IATA:1'UNH+1+PNRGOV:13:1:IA'" + "'".join(segments) + "'"
    result = parse_file(text.encode(), "fuzz.edi")
    assert len(result.record_locators) == len(result.pnrs)
    assert all(q.raw for q in result.quarantined if q.segment)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_fuzz_parse_file_on_any_bytes_never_raises(data: bytes) -> None:
    result = parse_file(data, "any.bin")
    assert result.accepted or all(q.file == "any.bin" for q in result.quarantined)


def test_a_push_of_garbage_segments_is_refused_whole_with_one_raw_item() -> None:
    text = "UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'" + "XX'" * 150_000 + "UNT+3+1'UNZ+1+1'"
    result = parse_file(text.encode(), "junk.edi")
    assert result.refused.startswith("push refused: 150000 of its 150004 segments")
    assert [(q.segment, q.raw) for q in result.quarantined] == [(0, text)]
    assert result.quarantined_total == 150_000
    assert (result.pnrs, result.messages) == ([], 0)
    assert len(json.dumps(result.summary())) < 1_000


def test_a_push_of_too_many_segments_is_refused_before_it_is_split() -> None:
    # The red-team push: 0.9 MB, 300,000 empty segments.
    text = "UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'" + "''" * 150_000 + "UNT+3+1'UNZ+1+1'"
    result = parse_file(text.encode(), "many.edi")
    assert "about 300004 segments, more than the 200000 a push may hold" in result.refused
    assert [q.raw for q in result.quarantined] == [text]
    assert result.quarantined_total == 300_004


def test_quarantine_items_beyond_the_cap_are_counted_not_kept() -> None:
    text = pnrgov("SRC", "RCI+AF:CAP123", *["LTS+FREE TEXT"] * 50, *["X1"] * 30)
    result = parse_file(text.encode(), "cap.edi", max_quarantined=5)
    assert (len(result.quarantined), result.quarantined_total) == (5, 30)
    assert result.summary()["quarantined_total"] == 30
    assert not result.accepted and not result.refused
    assert result.record_locators == ["CAP123"]
