"""The EDIFACT tokenizer: service characters, release, line breaks, odd terminators, envelope."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.errors import MalformedInput
from passerelle.pnr.edifact import (
    EdifactError,
    NotEdifact,
    ServiceChars,
    split_interchange,
    tokenize,
)


def tags(text: str | bytes) -> list[str]:
    return [s.tag for s in tokenize(text).segments]


def test_defaults_apply_without_una() -> None:
    tokens = tokenize("UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'TIF+DUPONT+JEANMR:A:1'UNT+3+1'")
    assert tokens.service == ServiceChars()
    tif = tokens.segments[2]
    assert (tif.tag, tif.elements, tif.number) == ("TIF", [["DUPONT"], ["JEANMR", "A", "1"]], 3)


def test_una_with_other_service_characters() -> None:
    tokens = tokenize("UNA|#,!*~UNB#IATA|1~TIF#VAN DAMME#ELS|A|1~")
    assert tokens.service == ServiceChars("|", "#", ",", "!", "*", "~")
    assert tokens.segments[1].elements == [["VAN DAMME"], ["ELS", "A", "1"]]


def test_release_character_keeps_service_characters_as_data() -> None:
    seg = tokenize("TIF+D?'HONDT+A??B?+C?:D:A:1'").segments[0]
    assert seg.elements == [["D'HONDT"], ["A?B+C:D", "A", "1"]]
    assert seg.raw == "TIF+D'HONDT+A?B+C:D:A:1"


def test_release_character_declared_in_una_is_honoured() -> None:
    seg = tokenize("UNA:+.\\*'LTS+0/O/SS/LK \\*1A/E\\*'").segments[0]
    assert seg.get(0) == "0/O/SS/LK *1A/E*"


def test_segments_split_over_lines_are_joined() -> None:
    text = (
        "ADD++702:45 HIGH\r\nSTREET:SLOUGH'\r\n"
        "SSR+DOCS:HK::DL:::::/P/GBR/1/GBR/12JUL64/M/23AUG19/SMITHJ\nR/JOHN'"
    )
    segs = tokenize(text).segments
    assert segs[0].get(1, 1) == "45 HIGHSTREET"
    assert segs[1].get(0, 8).endswith("/SMITHJR/JOHN")


def test_typographic_apostrophe_is_a_terminator() -> None:
    assert tags("UNA:+.?*'RCI+1A:X49V9U\u2019\nTIF+KIM+KONG:A:3'") == ["RCI", "TIF"]
    # and the reverse: UNA declares ’ but the segments end with '
    assert tags("UNA:+.\\*\u2019 UNB+IATA:1'UNH+1+PNRGOV'") == ["UNB", "UNH"]


def test_short_una_assumes_the_missing_decimal_mark() -> None:
    tokens = tokenize("UNA:+\\*'\nUNB+IATA:1+1A'")
    assert tokens.service.release == "\\"
    assert tokens.service.terminator == "'"
    assert tokens.warnings


def test_empty_segments_are_counted_and_skipped() -> None:
    tokens = tokenize("SRC'  '' \r\n'RCI+AF:ABC123'")
    assert [s.tag for s in tokens.segments] == ["SRC", "RCI"]
    assert tokens.empty == 3
    assert tokens.segments[1].number == 2


def test_unreadable_segment_is_reported_with_its_number_and_raw_text() -> None:
    tokens = tokenize("SRC'!!garbage+1'RCI+AF:ABC123'")
    assert [s.tag for s in tokens.segments] == ["SRC", "RCI"]
    (bad,) = tokens.invalid
    assert (bad.number, bad.raw) == (2, "!!garbage+1")
    assert "not a segment" in bad.reason


@pytest.mark.parametrize("text", ["", "   \r\n", "!!!'???'", b"\xef\xbb\xbf"])
def test_no_segment_at_all_is_a_typed_error(text: str | bytes) -> None:
    with pytest.raises(NotEdifact):
        tokenize(text)


def test_latin1_bytes_are_decoded() -> None:
    assert tokenize("TIF+MÜLLER+JOSÉ'".encode("latin-1")).segments[0].get(0) == "MÜLLER"


def test_envelope_groups_and_messages() -> None:
    text = (
        "UNB+IATA:1+AF'UNG+PNRGOV+AF'UNH+1+PNRGOV:13:1:IA'MSG+:22'UNT+3+1'"
        "UNH+2+PAXLST:D:05B:UN'BGM+745'UNE+2'UNZ+1'"
    )
    interchange = split_interchange(tokenize(text))
    assert [m.type for m in interchange.messages] == ["PNRGOV", "PAXLST"]
    assert interchange.messages[0].group is not None
    assert [s.tag for s in interchange.messages[1].body] == ["BGM"]
    assert any("no UNT" in w for w in interchange.warnings)


def test_segments_outside_messages_are_stray() -> None:
    interchange = split_interchange(tokenize("UNB+IATA:1'TIF+X+Y'UNH+1+PNRGOV'SRC'UNT+5+1'"))
    assert [(s.number, s.raw) for s in interchange.stray] == [(2, "TIF+X+Y")]
    assert any("UNT counts 5 segments, message has 3" in w for w in interchange.warnings)


edifactish = st.text(
    alphabet=st.sampled_from("UNAHBT+:'?*.\\\u2019 \r\nABCSRCIF0129"), max_size=300
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(edifactish, st.text(max_size=200), st.binary(max_size=200)))
def test_fuzz_tokenizer_raises_only_typed_errors(data: str | bytes) -> None:
    try:
        tokens = tokenize(data)
    except EdifactError as exc:
        assert isinstance(exc, MalformedInput)
        assert exc.segment >= 0
        return
    split_interchange(tokens)
    for seg in tokens.segments:
        assert len(seg.tag) == 3


@pytest.mark.parametrize("count", ["²", "1³", "9" * 5000])
def test_unt_count_that_is_not_ascii_digits_is_a_warning(count: str) -> None:
    interchange = split_interchange(tokenize(f"UNH+1+PNRGOV'SRC'UNT+{count}+1'"))
    assert len(interchange.messages) == 1
    (warning,) = interchange.warnings
    assert "is not a number" in warning
    assert len(warning) < 80  # a 5,000-digit count is not copied into the report
