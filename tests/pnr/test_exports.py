"""The public façade of passerelle.pnr: what other packages may import."""

from __future__ import annotations

import passerelle.pnr


def test_public_names_are_pinned() -> None:
    assert sorted(passerelle.pnr.__all__) == [
        "DropReport",
        "EdifactError",
        "NotEdifact",
        "OsdmError",
        "ParseResult",
        "ParsedBooking",
        "Passenger",
        "QuarantinedItem",
        "parse_file",
        "parse_osdm",
        "sanitise",
        "tokenize",
        "write_synthetic",
    ]
    for name in passerelle.pnr.__all__:
        assert getattr(passerelle.pnr, name).__doc__
