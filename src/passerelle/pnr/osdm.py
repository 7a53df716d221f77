"""OSDM ``Booking`` JSON (rail) → normalised booking, validated against the OSDM schema.

The schema is UIC OSDM 3.9 ``booking.yml#/Booking`` bundled into one JSON Schema file
(``data/osdm-booking.schema.json``, Apache-2.0, see ``data/LICENSE-OSDM``). Mapping to Annex I
follows ``shared/reference/pnr.md``: 1 ``bookingCode``/``externalRef``/``id``; 2 ``createdOn``;
3, 7 trips and timed legs; 4, 17 passengers; 5 ``PersonDetail`` e-mail, phone, postal
address; 6 ``paymentMethods``; 8 ``Passenger.cards``; 10 fulfilment status (``CHECKEDIN``);
11 ``relatedBookingIds``; 13 fulfilment ``controlNumber``; 14 reserved places; 16
transportable items; 18 ``identificationCard`` and ``dateOfBirth``. ``prmNeeds`` is health
data and is deleted on receipt.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import fastjsonschema

from passerelle.errors import MalformedInput
from passerelle.pnr.normalised import (
    Contact,
    Document,
    Journey,
    Leg,
    ParsedBooking,
    Passenger,
    Payment,
    Seat,
    Ticket,
    sanitise,
)

__all__ = ["OsdmError", "booking_schema", "parse_osdm", "validate_osdm"]

# Top-level Booking properties that carry Annex I data; the others are dropped and counted.
_MAPPED = frozenset(
    {
        "id",
        "bookingCode",
        "externalRef",
        "createdOn",
        "passengers",
        "purchaser",
        "trips",
        "fulfillments",
        "paymentMethods",
        "relatedBookingIds",
        "bookedOffers",
        "fulfillmentStatus",
    }
)
_GENDER = {"MALE": "M", "FEMALE": "F", "X": "X"}
_MAX_BYTES = 16 * 1024 * 1024


class OsdmError(MalformedInput):
    """An OSDM document that is not JSON or breaks the OSDM Booking schema."""

    code = "osdm_invalid"

    def __init__(self, message: str, *, path: str = "", **details: Any) -> None:
        super().__init__(message, path=path, **details)
        self.path = path


@lru_cache(maxsize=1)
def booking_schema() -> dict[str, Any]:
    """The bundled OSDM Booking JSON Schema."""
    text = resources.files("passerelle.pnr").joinpath("data/osdm-booking.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


# OpenAPI numeric/binary formats carry no constraint JSON Schema can check.
_OPENAPI_FORMATS: dict[str, Any] = {"duration": r"^-?P", "uri": r"^[A-Za-z][A-Za-z0-9+.-]*:"}
_OPENAPI_FORMATS |= {f: (lambda _v: True) for f in ("int32", "int64", "float", "double", "byte")}


@lru_cache(maxsize=1)
def _validator() -> Any:
    # fastjsonschema compiles the schema to Python: ~15x faster than a jsonschema walk, which
    # matters at 100+ bookings a second. tests/pnr/test_osdm.py checks that it agrees with
    # the jsonschema reference validator on valid and broken documents.
    return fastjsonschema.compile(booking_schema(), formats=_OPENAPI_FORMATS)


def validate_osdm(document: Any) -> None:
    """Raise :class:`OsdmError` (with the JSON path) unless ``document`` is a valid Booking."""
    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        path = "$" + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in exc.path[1:])
        message = exc.message.replace(exc.name, path, 1) if exc.name else exc.message
        raise OsdmError(f"not a valid OSDM Booking: {message[:300]}", path=path) from exc
    except RecursionError as exc:
        raise OsdmError("OSDM document nested too deeply") from exc


def _load(data: bytes | str) -> Any:
    if len(data) > _MAX_BYTES:
        raise OsdmError("OSDM document larger than 16 MiB")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and bad UTF-8 are ValueErrors
        raise OsdmError(f"not JSON: {str(exc)[:200]}") from exc


def parse_osdm(data: bytes | str | dict[str, Any]) -> ParsedBooking:
    """Validate an OSDM Booking document and normalise it (sensitive data deleted)."""
    doc = data if isinstance(data, dict) else _load(data)
    if isinstance(doc, dict) and isinstance(doc.get("booking"), dict) and len(doc) == 1:
        doc = doc["booking"]  # the BookingResponse envelope of the OSDM API
    validate_osdm(doc)
    booking = ParsedBooking(
        mode="rail",
        source="osdm",
        record_locator=doc.get("bookingCode") or doc.get("externalRef") or doc["id"],
        created=doc["createdOn"],
        other_locators=[x for x in (doc["id"], doc.get("externalRef")) if x],
        split_locators=list(doc.get("relatedBookingIds") or []),
    )
    by_id: dict[str, Passenger] = {}
    for item in doc["passengers"]:
        pax = _passenger(item, booking)
        booking.passengers.append(pax)
        by_id[item["id"]] = pax
    purchaser = (doc.get("purchaser") or {}).get("detail") or {}
    booking.contacts.extend(_contacts(purchaser))
    for trip in doc.get("trips") or []:
        for leg in trip.get("legs") or []:
            timed = leg.get("timedLeg")
            if timed:
                booking.legs.append(_leg(timed))
    if booking.legs:
        first, last = booking.legs[0], booking.legs[-1]
        booking.journey = Journey(
            "rail",
            first.carrier,
            first.number,
            first.origin,
            last.destination,
            first.departure,
            last.arrival,
        )
    booking.payments.extend(
        Payment(method=str(p.get("type", ""))) for p in doc.get("paymentMethods") or []
    )
    _fulfillments(doc, booking)
    _seats(doc, by_id)
    for key in doc:
        if key not in _MAPPED:
            booking.dropped.outside_annex[f"osdm.{key}"] += 1
    sanitise(booking)
    return booking


def _passenger(item: dict[str, Any], booking: ParsedBooking) -> Passenger:
    detail = item.get("detail") or {}
    surname = detail.get("lastName") or " ".join(
        x for x in (detail.get("firstFamilyName"), detail.get("secondFamilyName")) if x
    )
    pax = Passenger(
        surname=(surname or "").strip(),
        given_names=(detail.get("firstName") or "").strip(),
        ref=item["id"],
        passenger_type=str(item.get("type") or ""),
        date_of_birth=item.get("dateOfBirth"),
        gender=_GENDER.get(item.get("gender") or "", ""),
    )
    pax.contacts.extend(_contacts(detail))
    card = item.get("identificationCard")
    if card:
        pax.nationality = card.get("nationality") or ""
        pax.documents.append(
            Document(
                doc_type=card["type"],
                number=card["id"],
                issuing_country=card.get("issuingCountryCode") or "",
                nationality=pax.nationality,
                date_of_birth=pax.date_of_birth,
                gender=_GENDER.get(card.get("gender") or "", pax.gender),
                expiry=card.get("expirationDate"),
                surname=pax.surname,
                given_names=pax.given_names,
            )
        )
    for c in item.get("cards") or []:
        pax.frequent_flyer.append(
            " ".join(str(x) for x in (c.get("type"), c.get("code"), c.get("number")) if x)
        )
    if item.get("transportableDetails"):
        pax.bags += 1
    booking.prm_needs.extend(str(x) for x in item.get("prmNeeds") or [])
    return pax


def _contacts(detail: dict[str, Any]) -> list[Contact]:
    out: list[Contact] = []
    if detail.get("email"):
        out.append(Contact("email", detail["email"]))
    if detail.get("phoneNumber"):
        out.append(Contact("phone", detail["phoneNumber"]))
    postal = detail.get("postalAddress") or {}
    parts = [postal.get(k) for k in ("street", "houseNumber", "postCode", "city", "countryCode")]
    if any(parts):
        out.append(Contact("address", ", ".join(str(p) for p in parts if p)))
    return out


def _leg(timed: dict[str, Any]) -> Leg:
    start, end, service = timed["start"], timed["end"], timed["service"]
    carriers = service.get("carriers") or [{}]
    numbers = [n for n in service.get("vehicleNumbers") or [] if n]
    return Leg(
        mode="rail",
        carrier=str(carriers[0].get("ref", "")),
        number=str(numbers[0]) if numbers else "",
        origin=start["stopPlaceRef"].get("stopPlaceRef", ""),
        destination=end["stopPlaceRef"].get("stopPlaceRef", ""),
        origin_name=start.get("stopPlaceName", ""),
        destination_name=end.get("stopPlaceName", ""),
        departure=start["serviceDeparture"]["timetabledTime"],
        arrival=end["serviceArrival"]["timetabledTime"],
        status="HK",
    )


def _fulfillments(doc: dict[str, Any], booking: ParsedBooking) -> None:
    for ful in doc.get("fulfillments") or []:
        if ful.get("status") == "CHECKEDIN":
            for pax in booking.passengers:
                pax.travel_status = "checked-in"
        if ful.get("controlNumber"):
            for pax in booking.passengers:
                pax.tickets.append(Ticket(number=ful["controlNumber"], issued=ful.get("createdOn")))


def _seats(doc: dict[str, Any], by_id: dict[str, Passenger]) -> None:
    for offer in doc.get("bookedOffers") or []:
        for reservation in offer.get("reservations") or []:
            allocation = reservation.get("placeAllocation") or {}
            for place in allocation.get("reservedPlaces") or []:
                coach = str(place.get("coachNumber", ""))
                numbers = place.get("placeNumbers") or []
                # One place per passenger, in order; a shared place (compartment) goes to all.
                for i, pid in enumerate(place.get("passengerIds") or []):
                    pax = by_id.get(pid)
                    if pax is not None and numbers:
                        number = numbers[i] if i < len(numbers) else numbers[-1]
                        pax.seats.append(Seat(str(number), 0, coach))
