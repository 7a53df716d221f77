"""ICAO 9303 machine-readable zones."""

from __future__ import annotations

import pytest

from passerelle.errors import MalformedInput
from passerelle.identity import PartialDate, check_digit, parse_mrz

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
MRV_A = [
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
]


def test_check_digits_of_the_specimen() -> None:
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("120415") == 9


def test_td3_passport_specimen() -> None:
    mrz = parse_mrz(TD3)
    assert (mrz.format, mrz.document_code, mrz.issuing_state) == ("TD3", "P", "UTO")
    assert (mrz.family_name, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.document_number == "L898902C3"
    assert mrz.date_of_birth == PartialDate(1974, 8, 12)
    assert mrz.expiry_date == PartialDate(2012, 4, 15)
    assert mrz.sex == "F"
    assert mrz.optional_data == "ZE184226B"
    assert mrz.valid
    assert mrz.to_dict()["date_of_birth"] == "1974-08-12"


def test_td1_and_td2_cards() -> None:
    td1 = parse_mrz(TD1)
    assert (td1.format, td1.document_number, td1.nationality) == ("TD1", "D23145890", "UTO")
    assert td1.valid
    td2 = parse_mrz(TD2)
    assert (td2.format, td2.given_names) == ("TD2", "ANNA MARIA")
    assert td2.valid


def test_visa() -> None:
    visa = parse_mrz(MRV_A)
    assert (visa.format, visa.document_number) == ("MRV-A", "L8988901C")
    assert visa.valid


def test_a_misread_character_is_reported_not_hidden() -> None:
    misread = TD3.replace("L898902C36", "L898902C37")
    mrz = parse_mrz(misread)
    assert not mrz.valid
    assert mrz.checks["document_number"] is False
    assert mrz.family_name == "ERIKSSON"


def test_unknown_birth_month_and_day_are_kept_as_unknown() -> None:
    line2 = "L898902C36UTO74<<<<<F1204159ZE184226B<<<<<10"
    mrz = parse_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", line2])
    assert mrz.date_of_birth == PartialDate(1974)
    assert mrz.checks["date_of_birth"] is False


@pytest.mark.parametrize(
    "bad", ["", "P<UTOERIKSSON", TD3.lower().replace("<", "?"), TD3 + "\nEXTRA"]
)
def test_not_an_mrz(bad: str) -> None:
    with pytest.raises(MalformedInput):
        parse_mrz(bad)
