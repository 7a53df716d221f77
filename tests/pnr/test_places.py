"""Stations, airports and rail carriers are shown by name; unknown codes stay as they are."""

from __future__ import annotations

from passerelle.pnr.places import name_of, route_of


def test_codes_are_named() -> None:
    assert name_of("8727100") == "Paris Nord"
    assert name_of("urn:uic:stn:8814001") == "Bruxelles-Midi / Brussel-Zuid"
    assert name_of("cdg") == "Paris-Charles-de-Gaulle"
    assert name_of("urn:uic:rics:1187") == "SNCF"
    assert route_of("8722326", "BRU") == "Lille Europe → Brussels Airport"


def test_an_unknown_code_is_not_invented() -> None:
    assert name_of("9999999") == "9999999"
