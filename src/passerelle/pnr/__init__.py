"""Passenger data: air PNR (PNRGOV EDIFACT), API data (PAXLST) and rail PNR (OSDM Booking).

Parsing layer: :func:`parse_file` reads one pushed file into normalised bookings
(:mod:`passerelle.pnr.normalised`), deleting sensitive data on receipt and keeping what cannot
be read for quarantine.
"""

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
