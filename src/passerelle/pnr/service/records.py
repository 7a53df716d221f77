"""A normalised booking as stored: its key, its depersonalised part and its art. 12(2) part.

The split follows ``rules.MASKED_AT_SIX_MONTHS``: names, contact data, payment, frequent-flyer
data, remarks and all API data go to the personal part; the rest (itinerary, tickets, seats,
status, bags, the shape of the history) stays readable after masking.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from passerelle.identity import PersonRecord
from passerelle.pnr.normalised import ParsedBooking

__all__ = [
    "MASK",
    "booking_key",
    "journey_key",
    "merge",
    "person_record",
    "short_station",
    "split",
]

#: Shown in place of a masked value.
MASK = "•••"

_PERSONAL_BOOKING = ("contacts", "payments", "group_name")
_PERSONAL_PASSENGER = (
    "surname",
    "given_names",
    "title",
    "contacts",
    "frequent_flyer",
    "remarks",
    "documents",
    "date_of_birth",
    "gender",
    "nationality",
)
_NOT_STORED = ("dropped", "prm_needs")


def booking_key(booking: ParsedBooking) -> str:
    """The identity of a booking across pushes: one row per key, updated by repeated pushes."""
    journey = booking.journey
    if booking.source == "paxlst" or not booking.record_locator:
        service = f"{journey.carrier}{journey.number}" if journey else "?"
        day = (journey.departure or "")[:10] if journey else ""
        return f"api:{service}:{day}:{booking.record_locator}"
    system = booking.system or (journey.carrier if journey else "")
    return f"{booking.mode}:{system}:{booking.record_locator}"[:200]


def short_station(code: str) -> str:
    """``urn:uic:stn:8727100`` → ``8727100``; airports unchanged."""
    return code.rsplit(":", 1)[-1]


def journey_key(booking: ParsedBooking) -> str:
    """One journey (flight or train service on a day): ``mode|carrier|number|day``."""
    journey = booking.journey
    if journey is None:
        return f"{booking.mode}|?|?|?"
    carrier = short_station(journey.carrier)
    return f"{booking.mode}|{carrier}|{journey.number}|{(journey.departure or '')[:10]}"


def split(booking: ParsedBooking) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(core, personal)``: the depersonalised booking and its art. 12(2) fields."""
    data = _plain(booking)
    personal: dict[str, Any] = {key: data.pop(key) for key in _PERSONAL_BOOKING}
    personal["passengers"] = [
        {key: pax.pop(key) for key in _PERSONAL_PASSENGER} for pax in data["passengers"]
    ]
    personal["history"] = [entry.pop("text") for entry in data["history"]]
    return data, personal


def _plain(obj: Any) -> Any:
    """A dataclass tree as plain dicts and lists, without ``asdict``'s deep copies."""
    fields = getattr(obj, "__dataclass_fields__", None)
    if fields is not None:
        return {k: _plain(getattr(obj, k)) for k in fields if k not in _NOT_STORED}
    if isinstance(obj, list):
        return [_plain(x) for x in obj]
    return obj


def merge(core: dict[str, Any], personal: dict[str, Any] | None) -> dict[str, Any]:
    """The booking as received, or with every art. 12(2) field shown as masked."""
    data: dict[str, Any] = json.loads(json.dumps(core))
    if personal is None:
        for key in _PERSONAL_BOOKING:
            data[key] = MASK
        for pax in data["passengers"]:
            pax.update(dict.fromkeys(_PERSONAL_PASSENGER, MASK))
        for entry in data["history"]:
            entry["text"] = MASK
        return data
    for key in _PERSONAL_BOOKING:
        data[key] = personal.get(key)
    for pax, extra in zip(data["passengers"], personal.get("passengers", []), strict=False):
        pax.update(extra)
    for entry, text in zip(data["history"], personal.get("history", []), strict=False):
        entry["text"] = text
    return data


def person_record(record_id: str, pax: dict[str, Any]) -> PersonRecord:
    """The identity-engine record of one traveller (names, birth date, first document)."""
    documents = pax.get("documents") or []
    doc = documents[0] if documents else {}
    return PersonRecord(
        record_id,
        given_names=pax.get("given_names") or None,
        family_name=pax.get("surname") or None,
        date_of_birth=pax.get("date_of_birth") or doc.get("date_of_birth") or None,
        gender=(pax.get("gender") or "")[:1] or None,
        nationality=pax.get("nationality") or doc.get("nationality") or None,
        document_number=doc.get("number") or None,
        document_country=doc.get("issuing_country") or None,
    )


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time as sent (with or without offset), or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
