"""Dates of birth with unknown parts; document numbers; country codes."""

from __future__ import annotations

import pytest

from passerelle.errors import MalformedInput
from passerelle.identity import (
    PartialDate,
    compare_dates,
    compare_documents,
    normalise_country,
    parse_date,
)


def test_partial_dates_parse() -> None:
    assert parse_date("1965") == PartialDate(1965)
    assert parse_date("1965-04") == PartialDate(1965, 4)
    assert parse_date("1965-04-12") == PartialDate(1965, 4, 12)
    assert parse_date("1965-XX-XX") == PartialDate(1965)
    assert parse_date("1965-00-00") == PartialDate(1965)
    assert parse_date("") is None


@pytest.mark.parametrize("bad", ["12/04/1965", "1965-13-01", "1965-04-32", "65", "abcd"])
def test_unreadable_dates_are_reported(bad: str) -> None:
    with pytest.raises(MalformedInput):
        parse_date(bad)


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        ("1965-04-12", "1965-04-12", "exact"),
        ("1965", "1965-04-12", "compatible"),
        ("1965-04", "1965-04-12", "compatible"),
        ("1965-04-12", "1965-12-04", "day/month swapped"),
        ("1965-04-12", "1966-04-12", "one-digit typo"),
        ("1965-04-12", "1965-04-13", "one-digit typo"),
        ("1965-04-12", "1971-09-30", "conflict"),
        ("1965", "1966", "conflict"),
        ("1965-04-12", "", "unknown"),
    ],
)
def test_date_comparison_is_labelled_and_symmetric(a: str, b: str, label: str) -> None:
    assert compare_dates(parse_date(a), parse_date(b)) == label
    assert compare_dates(parse_date(b), parse_date(a)) == label


def test_documents_match_despite_ocr_confusions() -> None:
    assert compare_documents("AB1234567", "FR", "ab 123-4567", "FRA") == "exact"
    assert compare_documents("A81234S67", "FRA", "AB1234567", "FRA") == "OCR confusion"
    assert compare_documents("0I5B", None, "OISB", None) == "OCR confusion"
    assert compare_documents("AB1234567", "FRA", "AB1234568", "FRA") == "different"


def test_same_number_from_another_country_is_another_document() -> None:
    assert compare_documents("AB1234567", "FRA", "AB1234567", "BEL") == "other country"
    assert compare_documents("AB1234567", None, "AB1234567", "BEL") == "exact"


def test_country_codes_normalise_to_alpha3_including_icao_specials() -> None:
    assert normalise_country("be") == "BEL"
    assert normalise_country("BEL") == "BEL"
    assert normalise_country("D") == "DEU"
    assert normalise_country("D<<") == "DEU"
    assert normalise_country("GBN") == "GBR"
    assert normalise_country("XXA") == "XXA"
    assert normalise_country("ZZZ") is None
    assert normalise_country("") is None
