"""Placing documents and seats on the right traveller of a PNR.

PNRGOV sends some data away from the traveller they belong to: an infant's DOCS under the
adult, seats in the itinerary group with a passenger reference, the same document twice.
"""

from __future__ import annotations

from passerelle.pnr import fields
from passerelle.pnr.normalised import Document, ParsedBooking, Passenger, Seat

__all__ = ["add_document", "add_seat", "find_passenger", "place_infant_documents"]


def find_passenger(
    passengers: list[Passenger], ref: str, surname: str, given: str
) -> Passenger | None:
    """The traveller with this reference, else with this name."""
    for pax in passengers:
        if ref and pax.ref == ref:
            return pax
    for pax in passengers:
        if surname and pax.surname == surname and (not given or pax.given_names == given):
            return pax
    return None


def add_seat(pax: Passenger, seat: str, leg: int | None) -> None:
    """Add a seat once; "XXX" (no seat assigned yet) is not a seat."""
    if seat.strip("X") and not any(s.seat == seat and s.leg == leg for s in pax.seats):
        pax.seats.append(Seat(seat, leg))


def add_document(pax: Passenger, text: str) -> None:
    """Add the document of an SSR DOCS free text once."""
    doc = fields.docs_document(text)
    if doc is None:
        return
    if any(d.number == doc.number and d.date_of_birth == doc.date_of_birth for d in pax.documents):
        return
    if len(doc.gender) == 2 and doc.gender.endswith("I"):
        pax.documents.append(doc)  # an infant's document, moved at the end of the PNR
        return
    _attach_document(pax, doc)


def place_infant_documents(booking: ParsedBooking) -> None:
    """Infants' DOCS (gender FI/MI) are sent under the adult; move them to the infant."""
    for adult in booking.passengers:
        if adult.passenger_type == "IN":
            continue
        for doc in list(adult.documents):
            if not doc.gender.endswith("I") or len(doc.gender) != 2:
                continue
            for infant in booking.passengers:
                if infant.passenger_type == "IN" and infant.surname == doc.surname.replace(" ", ""):
                    adult.documents.remove(doc)
                    _attach_document(infant, doc)
                    break


def _attach_document(pax: Passenger, doc: Document) -> None:
    pax.documents.append(doc)
    if not pax.title and doc.given_names:  # "KAYLAMS" with a document for KAYLA: title MS
        first = doc.given_names.split()[0]
        rest = pax.given_names[len(first) :]
        if pax.given_names.startswith(first) and rest.strip() in ("MS", "MRS", "MR", "MISS"):
            pax.given_names, pax.title = first, rest.strip()
    if pax.date_of_birth is None and doc.date_of_birth:
        pax.date_of_birth, pax.gender = doc.date_of_birth, doc.gender[:1]
        pax.nationality = pax.nationality or doc.nationality
