"""Names of stations (UIC codes), airports (IATA codes) and rail carriers for the console.

Bookings keep the codes the carrier sent (``8727100``, ``urn:uic:stn:8727100``, ``CDG``); a
person reads the place's name. ``data/places.csv`` lists the places of the FR-BE demo and
routes (public timetable facts); an unknown code is shown as it is, with nothing invented.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

__all__ = ["name_of", "route_of"]

PLACES = Path(__file__).parent / "data" / "places.csv"
_UIC_URN = "urn:uic:stn:"


@cache
def _names() -> dict[str, str]:
    with PLACES.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def name_of(code: str) -> str:
    """The place's name, or the code when it is not listed."""
    names = _names()
    bare = code.removeprefix(_UIC_URN).strip()
    return names.get(code) or names.get(bare) or names.get(bare.upper()) or code


def route_of(origin: str, destination: str) -> str:
    return f"{name_of(origin)} → {name_of(destination)}"
