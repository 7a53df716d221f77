"""The normalised passenger-data model shared by air (PNRGOV) and rail (OSDM).

Plain dataclasses, no storage: parsers fill them, the service layer stores them. Every field
maps to one of the 19 items of Annex I of Directive (EU) 2016/681 (see :data:`FIELD_ITEMS`);
nothing outside Annex I is kept. :func:`sanitise` deletes sensitive data on receipt
(art. 13(4)) and reports what it deleted so the deletion can be audited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from passerelle.pnr import rules

__all__ = [
    "FIELD_ITEMS",
    "Contact",
    "Document",
    "DropReport",
    "HistoryEntry",
    "Journey",
    "Leg",
    "ParsedBooking",
    "Passenger",
    "Payment",
    "Seat",
    "SpecialService",
    "Ticket",
    "sanitise",
]

Mode = Literal["air", "rail"]


@dataclass(slots=True)
class Leg:
    """One flight or train service between two airports or stations (items 3, 7, 15)."""

    mode: Mode
    carrier: str
    number: str
    origin: str
    destination: str
    departure: str | None = None  # ISO 8601, local time as sent
    arrival: str | None = None
    booking_class: str = ""
    status: str = ""  # e.g. HK (confirmed), item 10
    operating_carrier: str = ""  # code-share, item 15
    origin_name: str = ""
    destination_name: str = ""


@dataclass(slots=True)
class Journey:
    """The flight or train the push is about (the message-level TVL, or the OSDM trip)."""

    mode: Mode
    carrier: str
    number: str
    origin: str
    destination: str
    departure: str | None = None
    arrival: str | None = None


@dataclass(slots=True)
class Document:
    """A travel document collected as API data (item 18)."""

    doc_type: str = ""
    number: str = ""
    issuing_country: str = ""
    nationality: str = ""
    date_of_birth: str | None = None
    gender: str = ""
    expiry: str | None = None
    surname: str = ""
    given_names: str = ""


@dataclass(slots=True)
class Contact:
    """Address, telephone or e-mail (item 5)."""

    kind: Literal["address", "phone", "email"]
    value: str


@dataclass(slots=True)
class Payment:
    """One form of payment (item 6)."""

    method: str
    amount: str = ""
    currency: str = ""
    card_type: str = ""
    card_number: str = ""  # as sent, usually masked by the carrier
    card_expiry: str = ""
    holder: str = ""
    billing_address: str = ""


@dataclass(slots=True)
class Ticket:
    """Ticketing information (item 13): number, issue date, fare."""

    number: str = ""
    issued: str | None = None
    amount: str = ""
    currency: str = ""
    fare_calculation: str = ""


@dataclass(slots=True)
class Seat:
    """A seat or place (item 14); ``leg`` is the index into ``Booking.legs`` when known."""

    seat: str
    leg: int | None = None
    coach: str = ""


@dataclass(slots=True)
class SpecialService:
    """A special service request kept under Annex I (e.g. UMNR item 12, INFT item 17)."""

    code: str
    status: str = ""
    text: str = ""
    item: int = 0


@dataclass(slots=True)
class HistoryEntry:
    """One historical change (item 19): what was added (A) or cancelled (X), and when."""

    action: str
    when: str | None
    what: str
    text: str = ""


@dataclass(slots=True)
class Passenger:
    """A traveller on the booking (items 4, 17, 18 and per-passenger 8, 10, 13, 14, 16)."""

    surname: str
    given_names: str = ""
    title: str = ""
    ref: str = ""
    passenger_type: str = ""  # A adult, C child, IN infant …
    date_of_birth: str | None = None
    gender: str = ""
    nationality: str = ""
    documents: list[Document] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    frequent_flyer: list[str] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    bags: int = 0
    bag_weight: str = ""
    travel_status: str = ""  # item 10, e.g. CHECKEDIN
    services: list[SpecialService] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # item 12: unaccompanied minors only

    @property
    def full_name(self) -> str:
        """``SURNAME Given`` as printed on the review screen."""
        return f"{self.surname} {self.given_names}".strip()


@dataclass(slots=True)
class DropReport:
    """What was deleted on receipt: art. 13(4) sensitive data and data outside Annex I."""

    sensitive: Counter[str] = field(default_factory=Counter)
    outside_annex: Counter[str] = field(default_factory=Counter)

    def merge(self, other: DropReport) -> None:
        """Add another report's counts to this one."""
        self.sensitive.update(other.sensitive)
        self.outside_annex.update(other.outside_annex)

    def to_dict(self) -> dict[str, dict[str, int]]:
        """Counts as plain dicts, for the audit log."""
        return {"sensitive": dict(self.sensitive), "outside_annex": dict(self.outside_annex)}


@dataclass(slots=True)
class ParsedBooking:
    """A PNR (air) or an OSDM booking (rail), normalised."""

    mode: Mode
    record_locator: str  # item 1
    source: Literal["pnrgov", "paxlst", "osdm"] = "pnrgov"
    system: str = ""  # reservation system or distributor
    created: str | None = None  # item 2
    journey: Journey | None = None
    legs: list[Leg] = field(default_factory=list)  # items 3, 7
    passengers: list[Passenger] = field(default_factory=list)  # items 4, 17
    group_name: str = ""  # item 17: name of a group booking
    contacts: list[Contact] = field(default_factory=list)  # item 5
    payments: list[Payment] = field(default_factory=list)  # item 6
    agency: str = ""  # item 9
    split_locators: list[str] = field(default_factory=list)  # item 11
    other_locators: list[str] = field(default_factory=list)  # item 1, other systems
    history: list[HistoryEntry] = field(default_factory=list)  # item 19
    prm_needs: list[str] = field(default_factory=list)  # sensitive: emptied by sanitise()
    dropped: DropReport = field(default_factory=DropReport)

    @property
    def passenger_count(self) -> int:
        """Number of travellers on the booking (item 17)."""
        return len(self.passengers)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


# Which Annex I item each field carries: the contract that lets a lawyer check that nothing
# outside Annex I is kept (art. 6(1)).
FIELD_ITEMS: dict[str, int] = {
    "booking.record_locator": 1,
    "booking.other_locators": 1,
    "booking.created": 2,
    "leg.departure": 3,
    "leg.arrival": 3,
    "journey": 7,
    "booking.legs": 7,
    "passenger.surname": 4,
    "passenger.given_names": 4,
    "passenger.title": 4,
    "booking.contacts": 5,
    "passenger.contacts": 5,
    "booking.payments": 6,
    "passenger.frequent_flyer": 8,
    "booking.agency": 9,
    "booking.system": 9,
    "leg.status": 10,
    "passenger.travel_status": 10,
    "booking.split_locators": 11,
    "passenger.remarks": 12,
    "passenger.tickets": 13,
    "passenger.seats": 14,
    "leg.operating_carrier": 15,
    "passenger.bags": 16,
    "passenger.bag_weight": 16,
    "booking.passengers": 17,
    "booking.group_name": 17,
    "passenger.services": 17,
    "passenger.documents": 18,
    "passenger.date_of_birth": 18,
    "passenger.gender": 18,
    "passenger.nationality": 18,
    "booking.history": 19,
}

assert set(FIELD_ITEMS.values()) == set(rules.ANNEX_I), "every Annex I item has a field"


def sanitise(booking: ParsedBooking) -> DropReport:
    """Delete sensitive data from ``booking`` in place (art. 13(4)) and count what went.

    Special-meal and medical SSR codes, OSDM ``prmNeeds`` and free text revealing religion or
    health are removed. The counts are also added to ``booking.dropped``.
    """
    report = DropReport()
    if booking.prm_needs:
        report.sensitive["prm_needs"] += len(booking.prm_needs)
        booking.prm_needs = []
    for pax in booking.passengers:
        kept_services: list[SpecialService] = []
        for svc in pax.services:
            category = rules.sensitive_ssr_category(svc.code) or rules.sensitive_text_category(
                svc.text
            )
            if category:
                report.sensitive[f"ssr_{category}"] += 1
            else:
                kept_services.append(svc)
        pax.services = kept_services
        kept_remarks: list[str] = []
        for remark in pax.remarks:
            category = rules.sensitive_text_category(remark)
            if category:
                report.sensitive[f"text_{category}"] += 1
            else:
                kept_remarks.append(remark)
        pax.remarks = kept_remarks
    kept_history: list[HistoryEntry] = []
    for entry in booking.history:
        code = entry.what.split()[-1] if entry.what.startswith("SSR ") else ""
        if entry.what == "SSR":
            code = entry.text.split(":", 1)[0]
        category = rules.sensitive_ssr_category(code) or rules.sensitive_text_category(entry.text)
        if category:
            report.sensitive[f"history_{category}"] += 1
        else:
            kept_history.append(entry)
    booking.history = kept_history
    booking.dropped.merge(report)
    return report
