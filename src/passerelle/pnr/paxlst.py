"""UN/EDIFACT PAXLST messages (advance passenger information, Directive 2004/82/EC).

A PAXLST message lists the passengers (NAD+FL) or crew (NAD+FM) of one flight (TDT, LOC,
DTM) with, per person, gender (ATT), birth date (DTM+329), nationality (NAT), reservation
reference (RFF+AVF) and travel document (DOC, DTM+36 expiry, LOC+91 issuing country).
The whole list becomes one :class:`~passerelle.pnr.normalised.ParsedBooking` with ``source``
``"paxlst"`` whose passengers carry the API data (Annex I item 18).
"""

from __future__ import annotations

import datetime as dt

from passerelle.digits import is_digits
from passerelle.pnr import fields
from passerelle.pnr.edifact import Message, Segment
from passerelle.pnr.normalised import Document, Journey, ParsedBooking, Passenger, sanitise

__all__ = ["parse_paxlst"]

# UN/EDIFACT code list 3035 (party function): FL passenger, FM crew member, DDT/DDU in transit.
_TRAVELLER_QUALIFIERS = frozenset({"FL", "FM", "DDT", "DDU"})


def _date(value: str) -> str | None:
    """``YYMMDD[HHMM]`` or ``CCYYMMDD[HHMM]`` → ISO 8601."""
    v = value.strip()
    if len(v) in (8, 12) and is_digits(v) and v[:2] in ("19", "20"):
        iso = fields.yymmdd(v[2:8], v[8:12])
        return f"{v[:2]}{iso[2:]}" if iso else None
    if len(v) in (6, 10) and is_digits(v):
        return fields.yymmdd(v[:6], v[6:10])
    return None


def _birth(value: str) -> str | None:
    iso = _date(value)
    if iso and len(value.strip()) == 6 and int(iso[:4]) > dt.date.today().year:
        iso = f"{int(iso[:4]) - 100}{iso[4:]}"
    return iso


def parse_paxlst(message: Message) -> ParsedBooking:
    """Read one PAXLST message; never raises on content."""
    journey = Journey("air", "", "", "", "")
    booking = ParsedBooking(mode="air", record_locator="", source="paxlst", journey=journey)
    pax: Passenger | None = None
    doc: Document | None = None
    for seg in message.body:
        tag, qualifier = seg.tag, seg.get(0)
        if tag == "NAD":
            if qualifier in _TRAVELLER_QUALIFIERS:
                pax = _traveller(seg)
                booking.passengers.append(pax)
                doc = None
            else:
                pax = None
        elif tag == "TDT":
            journey.number = seg.get(1)
            journey.carrier = seg.get(3, 0) or journey.number[:2]
        elif tag == "LOC":
            _loc(seg, journey, pax, doc)
        elif tag == "DTM":
            _dtm(seg, journey, pax, doc)
        elif pax is None:
            if tag not in ("BGM", "RFF", "CNT", "COM"):
                booking.dropped.outside_annex[tag] += 1
        elif tag == "ATT" and qualifier == "2":
            pax.gender = seg.get(2, 0)
        elif tag == "NAT":
            pax.nationality = seg.get(1, 0)
        elif tag == "RFF" and qualifier == "AVF":
            booking.record_locator = booking.record_locator or seg.get(0, 1)
        elif tag == "DOC":
            doc = Document(
                doc_type=seg.get(0, 0),
                number=seg.get(1, 0),
                surname=pax.surname,
                given_names=pax.given_names,
            )
            doc.nationality, doc.gender, doc.date_of_birth = (
                pax.nationality,
                pax.gender,
                pax.date_of_birth,
            )
            pax.documents.append(doc)
        else:
            booking.dropped.outside_annex[tag] += 1
    sanitise(booking)
    return booking


def _traveller(seg: Segment) -> Passenger:
    given = " ".join(x for x in seg.elements[3][1:] if x) if len(seg.elements) > 3 else ""
    return Passenger(
        surname=seg.get(3, 0).strip(),
        given_names=given.strip(),
        passenger_type="crew" if seg.get(0) == "FM" else "passenger",
    )


def _loc(seg: Segment, journey: Journey, pax: Passenger | None, doc: Document | None) -> None:
    qualifier, place = seg.get(0), seg.get(1, 0)
    if qualifier == "125" and pax is None:
        journey.origin = place
    elif qualifier == "87" and pax is None:
        journey.destination = place
    elif qualifier == "91" and doc is not None:
        doc.issuing_country = place


def _dtm(seg: Segment, journey: Journey, pax: Passenger | None, doc: Document | None) -> None:
    qualifier, value = seg.get(0, 0), seg.get(0, 1)
    if qualifier == "189" and pax is None:
        journey.departure = _date(value)
    elif qualifier == "232" and pax is None:
        journey.arrival = _date(value)
    elif qualifier == "329" and pax is not None:
        pax.date_of_birth = _birth(value)
        for document in pax.documents:
            document.date_of_birth = pax.date_of_birth
    elif qualifier == "36" and doc is not None:
        doc.expiry = _date(value)
