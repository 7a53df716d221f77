"""Dates of birth with unknown parts; document numbers; country codes."""

from __future__ import annotations

import pytest

from passerelle.errors import MalformedInput
from passerelle.identity import (
    DEFAULT_THRESHOLD,
    PartialDate,
    PersonRecord,
    compare,
    compare_dates,
    compare_documents,
    normalise_country,
    parse_date,
    rules,
)
from passerelle.identity.dates import compare_birth_dates, date_delta, read_dates


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
        ("1965", "1966", "1 year apart"),
        ("1965", "1968-02-01", "3 years apart"),
        ("1965-04-12", "1965-09-30", "same year, other day"),
        ("1965~", "1967-02-01", "compatible"),
        ("1965~", "1969", "2 years apart"),
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


def test_several_dates_ranges_and_approximate_years_are_all_kept() -> None:
    assert read_dates("1975~")[0] == (PartialDate(1975, approx=2),)
    assert read_dates("1975/1977")[0] == (PartialDate(1975), PartialDate(1976), PartialDate(1977))
    assert read_dates("1975-03-01; 1976")[0] == (PartialDate(1975, 3, 1), PartialDate(1976))
    assert parse_date("1975-03-01;1976") == PartialDate(1975, 3, 1)
    assert str(PartialDate(1975, approx=2)) == "1975~"


def test_the_best_agreeing_pair_of_dates_counts() -> None:
    label, delta = compare_birth_dates(read_dates("1960;1975")[0], read_dates("1975-06-02")[0])
    assert (label, delta) == ("compatible", rules.DOB_COMPATIBLE)
    assert compare_birth_dates(read_dates("1980")[0], read_dates("1975/1977")[0])[0] == (
        "3 years apart"
    )


def test_year_distance_is_graded() -> None:
    deltas = [date_delta(compare_dates(PartialDate(1970), PartialDate(1970 + k))) for k in range(8)]
    assert deltas[1] > deltas[2] > deltas[3] > deltas[5] > deltas[6] == rules.DOB_CONFLICT
    assert deltas[7] == rules.DOB_CONFLICT


@pytest.mark.parametrize(
    ("text", "kept", "problem"),
    [
        ("1974-01-32", (PartialDate(1974, 1),), "impossible day"),
        ("1974-02-30", (PartialDate(1974, 2),), "impossible day"),
        ("1974-13-02", (PartialDate(1974),), "impossible month"),
        ("1969-7-16", (PartialDate(1969, 7, 16),), "two digits"),
        ("16/07/1969", (), "is not YYYY"),
        ("1969-07-16;1970-1-1", (PartialDate(1969, 7, 16), PartialDate(1970, 1, 1)), "two digits"),
    ],
)
def test_lenient_reading_keeps_the_usable_part_and_says_what_was_wrong(
    text: str, kept: tuple[PartialDate, ...], problem: str
) -> None:
    dates, problems = read_dates(text, strict=False)
    assert dates == kept
    assert problem in problems
    with pytest.raises(MalformedInput):
        read_dates(text)


def test_a_rare_exact_name_with_a_drifted_year_stays_a_hit_and_shows_the_conflict() -> None:
    entry = PersonRecord("e", full_name="Tariq Hasan Karimzadeh", date_of_birth="1986")
    record = PersonRecord("r", full_name="Tariq Hasan Karimzadeh", date_of_birth="1985-03-02")
    match = compare(record, entry)
    assert match.score >= DEFAULT_THRESHOLD
    assert match.explanation.date_of_birth == "1 year apart"
    assert "dob 1 year apart" in match.explanation.summary()
    far = PersonRecord("r", full_name="Tariq Hasan Karimzadeh", date_of_birth="1951")
    assert compare(far, entry).explanation.date_of_birth == "conflict"


def test_a_bare_year_counts_as_an_estimate_but_the_distance_is_still_shown() -> None:
    bare, _ = compare_birth_dates(read_dates("1986")[0], read_dates("1984-03-02")[0])
    assert bare == "2 years apart"
    assert date_delta(bare, True) == date_delta("1 year apart") > date_delta(bare)
    # Two full dates two years apart cost the full two years.
    assert compare_birth_dates(read_dates("1989-03-02")[0], read_dates("1991-03-02")[0]) == (
        "2 years apart",
        date_delta("2 years apart"),
    )
    # An approximate year already gives its margin: no second one.
    assert compare_birth_dates(read_dates("1986~")[0], read_dates("1982")[0]) == (
        "2 years apart",
        date_delta("2 years apart"),
    )
