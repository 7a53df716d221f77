"""PAXLST (API data) messages → passengers with their documents."""

from __future__ import annotations

from passerelle.pnr.ingest import parse_file

PAXLST = (
    "UNA:+.? '"
    "UNB+UNOA:4+AF+PIUFR+260601:0700+42'"
    "UNH+42+PAXLST:D:05B:UN:IATA'"
    "BGM+745'"
    "NAD+MS+++AIR FRANCE'"
    "TDT+20+AF1234+++AF'"
    "LOC+125+CDG'DTM+189:2606010900:201'"
    "LOC+87+BRU'DTM+232:2606011010:201'"
    "NAD+FL+++PEETERS:LOTTE:MARIA'"
    "ATT+2++F'DTM+329:850412'NAT+2+BEL'RFF+AVF:PQR456'"
    "DOC+P:110:111+EM1234567'DTM+36:20300101'LOC+91+BEL'"
    "NAD+FL+++EL AMRANI:KARIM'"
    "ATT+2++M'DTM+329:19790101'NAT+2+FRA'"
    "DOC+I:110:111+FR7654321'DTM+36:301231'LOC+91+FRA'"
    "CNT+42:2'"
    "UNT+23+42'UNZ+1+42'"
)


def test_paxlst_passengers_carry_api_data() -> None:
    result = parse_file(PAXLST.encode(), "api.edi")
    assert result.quarantined == []
    assert result.pnrs == []
    (api,) = result.api
    assert api.source == "paxlst"
    assert api.journey is not None
    assert (api.journey.number, api.journey.origin, api.journey.destination) == (
        "AF1234",
        "CDG",
        "BRU",
    )
    assert api.journey.departure == "2026-06-01T09:00"
    lotte, karim = result.passengers
    assert (lotte.surname, lotte.given_names, lotte.gender) == ("PEETERS", "LOTTE MARIA", "F")
    assert (lotte.date_of_birth, lotte.nationality) == ("1985-04-12", "BEL")
    (doc,) = lotte.documents
    assert (doc.doc_type, doc.number, doc.issuing_country, doc.expiry) == (
        "P", "EM1234567", "BEL", "2030-01-01",
    )  # fmt: skip
    assert karim.date_of_birth == "1979-01-01"
    assert karim.documents[0].expiry == "2030-12-31"
    assert result.summary()["passengers"] == 2


def test_dates_with_non_ascii_digits_are_unknown_not_a_crash() -> None:
    text = PAXLST.replace("DTM+329:850412", "DTM+329:²²0412").replace("20300101", "٢٠300101")
    result = parse_file(text.encode(), "api.edi")
    lotte = result.passengers[0]
    assert lotte.date_of_birth is None
    assert lotte.documents[0].expiry is None
