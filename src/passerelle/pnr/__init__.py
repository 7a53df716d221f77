"""Passenger data: air PNR (PNRGOV EDIFACT), API data (PAXLST) and rail PNR (OSDM Booking).

Parsing layer: :func:`parse_file` reads one pushed file into normalised bookings
(:mod:`passerelle.pnr.normalised`), deleting sensitive data on receipt and keeping what cannot
be read for quarantine.

The names below are imported on first use (PEP 562), so that ``passerelle pnr --help`` stays
fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from passerelle.pnr.edifact import EdifactError, NotEdifact, tokenize
    from passerelle.pnr.ingest import ParseResult, QuarantinedItem, parse_file
    from passerelle.pnr.normalised import DropReport, ParsedBooking, Passenger, sanitise
    from passerelle.pnr.osdm import OsdmError, parse_osdm
    from passerelle.pnr.synth import write_synthetic

__all__ = [
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

#: Each name's module and attribute, imported on first use (PEP 562).
_LAZY: dict[str, tuple[str, str]] = {
    "DropReport": ("passerelle.pnr.normalised", "DropReport"),
    "EdifactError": ("passerelle.pnr.edifact", "EdifactError"),
    "NotEdifact": ("passerelle.pnr.edifact", "NotEdifact"),
    "OsdmError": ("passerelle.pnr.osdm", "OsdmError"),
    "ParseResult": ("passerelle.pnr.ingest", "ParseResult"),
    "ParsedBooking": ("passerelle.pnr.normalised", "ParsedBooking"),
    "Passenger": ("passerelle.pnr.normalised", "Passenger"),
    "QuarantinedItem": ("passerelle.pnr.ingest", "QuarantinedItem"),
    "parse_file": ("passerelle.pnr.ingest", "parse_file"),
    "parse_osdm": ("passerelle.pnr.osdm", "parse_osdm"),
    "sanitise": ("passerelle.pnr.normalised", "sanitise"),
    "tokenize": ("passerelle.pnr.edifact", "tokenize"),
    "write_synthetic": ("passerelle.pnr.synth", "write_synthetic"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(module), attribute)
