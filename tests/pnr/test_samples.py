"""Every public GTAS PNRGOV sample reads into the right PNRs and passengers."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.pnr.ingest import parse_file

# file: (record locators, passengers "SURNAME Given") — read by hand from each sample.
EXPECTED: dict[str, tuple[list[str], list[str]]] = {
    "2_pnrs_basic.edi": (
        ["MFN4TI", "23456"],
        ["SMITHJR JOHN", "JONES WILLIAM", "WAYNE JOHN", "COOPER GARY"],
    ),
    "3_pnrs.edi": (
        ["W9TEND", "D1RGHI", "GBFKSK"],
        [
            "VANDENBERG KEVINMICHAEL",
            "DYE DOLAN",
            "DYE KAYLA",
            "DYE ARCHER",
            "CAPSON LISALMS",
            "CAPSON HUNTER",
            "ALLEN SETH",
            "TBA C",
            "TBA D",
            "TBA E",
            "TBA F",
            "TBA G",
            "TBA H",
        ],
    ),
    "adult_and_infant.edi": (
        ["XXXYET"],
        ["TESTSURNAMEONE TESTNAMEONE", "TESTSURNAMETWO TESTNAMETWO"],
    ),
    "codeshare.edi": (["2LS6KP", "X49V9U"], ["PARK SEJOON", "KIM KONG CHUN"]),
    "infant.edi": (["3PGZOV"], ["BELT ISABELLE", "BELT SOPHY"]),
    "multiple_flight_leg_pnr.txt": (["80F4E3"], ["CHENNAPRAGADA STACY", "NUTTALL PETER"]),
    "no_pnr_history.edi": (
        ["3MZVP2", "33O6DK", "35K2IO"],
        ["JACKS JAMES", "CARRERA MARCUS", "DORON NINA", "LENDROT CHARLOTTE"],
    ),
    "pnr1.txt": (["MFN4TI"], ["SMITHJR JOHN", "JONES WILLIAM"]),
    "pnr2.txt": (["23456"], ["WAYNE JOHN", "COOPER GARY"]),
    "pnr3.txt": (["52865E"], ["DOOLIN PETER", "CHISOLM MERLE", "WOO FEN", "FENWICK ABBY"]),
    "pnr4.txt": (["0995F0"], ["RAVAL CHRISTOPHER"]),
    "pnrMessage.txt": (["MFN4TI"], ["SMITHJR JOHN", "JONES WILLIAM"]),
    "pnrMessageExample.txt": (
        ["7C789A"],
        ["LOBB MOLLY", "PHILIPPS MATTHIAS", "BOLOGNA BRANDON", "EULENBERGER LUCA", "HABTE LIYA"],
    ),
    "pnrMessagePg75.txt": (["2LS6KP", "X49V9U"], ["PARK SEJOON", "KIM KONG CHUN"]),
    "pnrMessagePg76.txt": (["35K2IO"], ["DORON NINA", "LENDROT CHARLOTTE"]),
    "pnrMessagePg77.txt": (["W9TEND"], ["VANDENBERG KEVINMICHAEL"]),
    "pnr_split.edi": (
        ["ICOXXX", "BJOXXX"],
        [
            "TESTSURNAMEONE TESTNAMEONE",
            "TESTSURNAMEONE TESTNAMETWO",
            "TESTSURNAMETHREE TESTNAMETHREE",
        ],
    ),
}


def test_every_sample_is_covered(samples: Path) -> None:
    present = {p.name for p in samples.iterdir() if not p.name.startswith("LICENSE")}
    assert present == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_reads_into_pnrs_and_passengers(samples: Path, name: str) -> None:
    locators, passengers = EXPECTED[name]
    result = parse_file(samples / name)
    assert result.quarantined == []
    assert result.messages == 1
    assert result.record_locators == locators
    assert len(result.pnrs) == len(locators)
    assert [p.full_name for p in result.passengers] == passengers


def test_sample_details_are_normalised(samples: Path) -> None:
    smith, jones = parse_file(samples / "pnr1.txt").pnrs[0].passengers
    assert (smith.title, smith.date_of_birth, smith.gender) == ("MR", "1964-07-12", "M")
    assert smith.documents[0].number == "123456789"
    assert smith.frequent_flyer == ["DL 1234567890"]
    assert [s.seat for s in smith.seats] == ["15A", "15E"]
    assert smith.travel_status == "checked-in"
    assert smith.tickets[0].number == "0062120234533"
    assert [s.seat for s in jones.seats] == ["15B", "15F"]


def test_sample_sensitive_meal_codes_are_deleted_and_counted(samples: Path) -> None:
    result = parse_file(samples / "pnr1.txt")
    booking = result.pnrs[0]
    assert result.dropped.sensitive == {"ssr_meal": 1, "history_meal": 4}
    assert all(not h.what.endswith("AVML") for h in booking.history)
    assert "AVML" not in repr(booking.to_dict())


def test_sample_infant_gets_its_own_document(samples: Path) -> None:
    isabelle, sophy = parse_file(samples / "infant.edi").pnrs[0].passengers
    assert sophy.passenger_type == "IN"
    assert sophy.date_of_birth == "2012-09-20"
    assert [d.number for d in sophy.documents] == ["512731999"]
    assert "512731999" not in [d.number for d in isabelle.documents]


def test_sample_missing_terminator_is_recovered(samples: Path) -> None:
    result = parse_file(samples / "pnrMessagePg75.txt")
    assert any("terminator missing before TIF" in w for w in result.warnings)
    assert result.pnrs[1].passengers[0].surname == "KIM"


def test_sample_split_pnr_and_codeshare(samples: Path) -> None:
    split = parse_file(samples / "pnr_split.edi").pnrs[1]
    assert split.split_locators == ["ZLMXXX"]
    codeshare = parse_file(samples / "codeshare.edi").pnrs[0]
    assert codeshare.other_locators == ["KE:EDP2RW"]
    assert (codeshare.legs[0].carrier, codeshare.legs[0].operating_carrier) == ("KE", "SQ")
