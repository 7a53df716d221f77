"""PNRGOV messages → bookings: groups, Annex I filtering, sensitive data, quarantine."""

from __future__ import annotations

from passerelle.pnr.ingest import parse_file
from tests.pnr.conftest import pnrgov

PAX = (
    "SRC",
    "RCI+AF:ABC123::250426:1015",
    "DAT+700:250426:1015",
    "IFT+4:28::AF+CTCE JEAN.D..HONDT//EXAMPLE.ORG",
    "IFT+4:28::AF+THIS PASSENGER IS A VIP",
    "TIF+D?'HONDT+JEANMR:A:1",
    "FTI+AF:123456789",
    "SSR+DOCS:HK:1:AF:::::/P/BEL/EN1234567/BEL/03MAR81/M/01JAN30/D?'HONDT/JEAN+::1",
    "SSR+KSML:HK:1:AF+::1",
    "SSR+WCHR:HK:1:AF+::1",
    "SSR+UMNR:HK:1:AF:::::UM10+::1",
    "TKT+0571234567890:T:1",
    "MON+T:210.00:EUR",
    "FOP+CC:::VI:XXXXXXXXXXXX1234:1228",
    "IFT+4:43+JEAN D?'HONDT+1 RUE DE LA LOI BRUXELLES",
    "TVL+010626:0900:010626:1010+CDG+BRU+AF:KL+1234:Y",
    "RPI+1+HK",
    "SSR+SEAT:HK:1:AF:::CDG:BRU+12C::1",
    "EQN+1",
    "RCI+AF:XYZ789",
    "ABI+1+:PARRR+PAR++AF",
    "DAT+ZT:240426:1200",
    "SAC+++X",
    "SSR+MOML:HK:1:AF",
    "SAC+++X",
    "IFT+4:19+SEAT 14A CHANGED TO 12C",
    "LTS+0/O/SR/PASSENGER REQUESTS HALAL MEAL",
)


def test_booking_is_normalised_to_annex_one_fields() -> None:
    result = parse_file(pnrgov(*PAX).encode(), "push.edi")
    assert result.quarantined == []
    (booking,) = result.pnrs
    (pax,) = booking.passengers
    assert (booking.record_locator, booking.created) == ("ABC123", "2026-04-25T10:15")
    assert booking.journey is not None and booking.journey.number == "1234"
    assert booking.contacts[0].value == "JEAN.D_HONDT@EXAMPLE.ORG"
    assert (pax.surname, pax.given_names, pax.title) == ("D'HONDT", "JEAN", "MR")
    assert (pax.date_of_birth, pax.nationality) == ("1981-03-03", "BEL")
    assert pax.documents[0].expiry == "2030-01-01"
    assert booking.payments[0].holder == "JEAN D'HONDT"
    assert booking.legs[0].operating_carrier == "KL"
    assert booking.legs[0].status == "HK"
    assert [s.seat for s in pax.seats] == ["12C"]
    assert [s.code for s in pax.services] == ["UMNR"]
    assert booking.split_locators == ["XYZ789"]
    assert [(h.action, h.when, h.what) for h in booking.history] == [
        ("X", "2026-04-24T12:00", "IFT")
    ]


def test_sensitive_data_is_deleted_on_receipt_and_counted() -> None:
    result = parse_file(pnrgov(*PAX).encode())
    text = repr(result.pnrs[0].to_dict())
    for word in ("KSML", "WCHR", "MOML", "HALAL"):
        assert word not in text
    assert result.dropped.sensitive == {
        "ssr_meal": 1,
        "ssr_medical": 1,
        "history_meal": 1,
        "text_religion": 1,
    }


def test_data_outside_annex_one_are_dropped_and_counted() -> None:
    result = parse_file(pnrgov(*PAX).encode())
    assert "VIP" not in repr(result.pnrs[0].to_dict())
    assert result.dropped.outside_annex["IFT"] == 1


def test_passenger_before_any_pnr_goes_to_quarantine_raw() -> None:
    result = parse_file(pnrgov("TIF+LOST+SOUL:A:1", *PAX).encode(), "push.edi")
    (item,) = result.quarantined
    assert (item.file, item.segment, item.raw) == ("push.edi", 6, "TIF+LOST+SOUL:A:1")
    assert "before any SRC" in item.reason
    assert result.record_locators == ["ABC123"]


def test_pnr_without_record_locator_goes_to_quarantine() -> None:
    result = parse_file(pnrgov("SRC", "TIF+NOBODY+ANNA:A:1", *PAX).encode())
    assert [q.reason for q in result.quarantined] == ["PNR without RCI record locator"]
    assert "TIF+NOBODY+ANNA:A:1" in result.quarantined[0].raw
    assert result.record_locators == ["ABC123"]


def test_glued_segment_with_missing_terminator_is_split() -> None:
    result = parse_file(pnrgov("SRC", "RCI+AF:GLU123", "ORG+AF:CDG+9TIF+MAES+ELS:A:1").encode())
    assert [p.full_name for p in result.passengers] == ["MAES ELS"]
    assert any("terminator missing before TIF" in w for w in result.warnings)


def test_unsupported_message_type_is_quarantined() -> None:
    text = "UNB+IATA:1+AF'UNH+1+INVOIC:D:96A:UN'BGM+380'UNT+3+1'UNZ+1+1'"
    result = parse_file(text.encode())
    assert [(q.segment, q.reason) for q in result.quarantined] == [
        (2, "unsupported message type 'INVOIC'")
    ]


def test_non_ascii_and_huge_numbers_are_not_read_as_numbers() -> None:
    # "²".isdigit() is True and int("²") raises: these crashed the parser (HTTP 500 on push).
    for weird in ("²", "³", "٣", "9" * 5000):
        text = pnrgov(
            f"EQN+{weird}",
            "SRC",
            "RCI+AF:NUM123",
            "TIF+DUPONT+MARIE:A:1",
            f"EBD+X+{weird}:20:KG",
            f"TVL+{weird}0626:0900+CDG+BRU+AF+1234",
            "TRI",
            "TIF+DUPONT+MARIE:A:1",
            f"TBD++{weird}:20",
        )
        result = parse_file(text.encode(), "weird.edi")
        assert result.record_locators == ["NUM123"], weird
        (marie,) = result.passengers
        assert marie.bags == 0
        assert result.pnrs[0].legs[0].departure is None


def test_bag_counts_read_ascii_digits_only() -> None:
    result = parse_file(pnrgov("SRC", "RCI+AF:BAG123", "TIF+DUPONT+MARIE:A:1", "EBD+X+2").encode())
    assert result.passengers[0].bags == 2
