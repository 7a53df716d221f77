"""OSDM Booking JSON (rail): schema validation, mapping to Annex I, prmNeeds deleted, fuzzing."""

from __future__ import annotations

import contextlib
import copy
import json
import random
from datetime import datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.errors import MalformedInput
from passerelle.pnr.osdm import OsdmError, booking_schema, parse_osdm, validate_osdm
from passerelle.pnr.synth import osdm_booking


@pytest.fixture
def doc() -> dict[str, Any]:
    return osdm_booking(random.Random(7), 1)


def test_synthetic_booking_is_valid_and_normalised(doc: dict[str, Any]) -> None:
    validate_osdm(doc)
    booking = parse_osdm(json.dumps(doc))
    assert (booking.mode, booking.source) == ("rail", "osdm")
    assert booking.record_locator == doc["bookingCode"]
    assert booking.created == doc["createdOn"]
    assert len(booking.passengers) == len(doc["passengers"])
    first, detail = booking.passengers[0], doc["passengers"][0]["detail"]
    assert (first.surname, first.given_names) == (detail["lastName"], detail["firstName"])
    assert first.documents[0].number == doc["passengers"][0]["identificationCard"]["id"]
    assert first.seats[0].coach
    assert booking.legs[0].origin.startswith("urn:uic:stn:")
    assert booking.journey is not None and booking.journey.mode == "rail"
    assert first.tickets[0].number == doc["fulfillments"][0]["controlNumber"]


def test_prm_needs_are_deleted_on_receipt_and_counted(doc: dict[str, Any]) -> None:
    doc["passengers"][0]["prmNeeds"] = ["WHEELCHAIR", "ASSISTANCE_AT_STATION"]
    booking = parse_osdm(doc)
    assert booking.prm_needs == []
    assert booking.dropped.sensitive == {"prm_needs": 2}
    assert "WHEELCHAIR" not in repr(booking.to_dict())


def test_checked_in_status_and_split_booking(doc: dict[str, Any]) -> None:
    doc["fulfillments"][0]["status"] = "CHECKEDIN"
    doc["relatedBookingIds"] = ["B2"]
    booking = parse_osdm(doc)
    assert {p.travel_status for p in booking.passengers} == {"checked-in"}
    assert booking.split_locators == ["B2"]


def test_schema_violation_names_the_path(doc: dict[str, Any]) -> None:
    bad = copy.deepcopy(doc)
    bad["passengers"][0]["gender"] = "UNKNOWN"
    with pytest.raises(OsdmError) as err:
        parse_osdm(bad)
    assert err.value.path == "$.passengers[0].gender"


@pytest.mark.parametrize("text", ["", "{", "[]", '{"id": "x"}', "null", '"booking"'])
def test_not_a_booking_is_a_typed_error(text: str) -> None:
    with pytest.raises(OsdmError):
        parse_osdm(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=120), json_values.map(json.dumps)))
def test_fuzz_osdm_reader_raises_only_typed_errors(data: bytes | str) -> None:
    with contextlib.suppress(MalformedInput):
        parse_osdm(data)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_fuzz_mutated_bookings_raise_only_typed_errors(data: st.DataObject) -> None:
    doc = osdm_booking(random.Random(data.draw(st.integers(0, 50))), 0)
    target: Any = doc
    for _ in range(data.draw(st.integers(1, 4))):
        if isinstance(target, dict) and target:
            key = data.draw(st.sampled_from(sorted(target)))
            if data.draw(st.booleans()):
                target[key] = data.draw(json_values)
                break
            target = target[key]
        elif isinstance(target, list) and target:
            target = target[data.draw(st.integers(0, len(target) - 1))]
    with contextlib.suppress(MalformedInput):
        parse_osdm(doc)


def _reference_accepts(document: Any) -> bool:
    """The jsonschema reference validator, with date/date-time format checks."""
    checker = jsonschema.FormatChecker(formats=("date",))
    checker.checks("date-time")(lambda v: not isinstance(v, str) or _is_datetime(v))
    validator = jsonschema.Draft7Validator(booking_schema(), format_checker=checker)
    return validator.is_valid(document)


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fast_validator_agrees_with_the_jsonschema_reference(data: st.DataObject) -> None:
    doc = osdm_booking(random.Random(data.draw(st.integers(0, 20))), 0)
    assert _reference_accepts(doc)
    mutation = data.draw(
        st.sampled_from(
            [
                ("passengers", []),
                ("createdOn", "yesterday"),
                ("id", 42),
                ("unknownField", 1),
                ("paymentMethods", [{}]),
                ("trips", [{"id": "T1"}]),
                ("bookingCode", None),
            ]
        )
    )
    doc[mutation[0]] = mutation[1]
    with pytest.raises(OsdmError):
        validate_osdm(doc)
    assert not _reference_accepts(doc)


def test_places_shared_by_several_passengers_go_to_each(doc: dict[str, Any]) -> None:
    ids = [p["id"] for p in doc["passengers"]]
    place = doc["bookedOffers"][0]["reservations"][0]["placeAllocation"]["reservedPlaces"][0]
    place.update(passengerIds=ids, placeNumbers=[str(61 + i) for i in range(len(ids))])
    del doc["bookedOffers"][0]["reservations"][0]["placeAllocation"]["reservedPlaces"][1:]
    booking = parse_osdm(doc)
    assert [p.seats[0].seat for p in booking.passengers] == [str(61 + i) for i in range(len(ids))]
