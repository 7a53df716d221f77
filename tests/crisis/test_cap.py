"""CAP 1.2 validation against the official XSD, the checks CAP adds to it, and parsing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.crisis import cap, rules
from passerelle.errors import PayloadTooLarge
from tests.crisis.conftest import cap_xml


def test_a_valid_alert_is_parsed_with_its_areas_and_languages() -> None:
    msg = cap.parse(
        cap_xml(area="<area><areaDesc>Wervik</areaDesc><circle>50.78,3.04 2.5</circle></area>")
    )
    assert (msg.identifier, msg.sender, msg.msg_type, msg.scope) == (
        "BE.nccn.1",
        "nccn@crisis.be",
        "Alert",
        "Restricted",
    )
    assert msg.sent.utcoffset() is not None and msg.sent.hour == 10
    info = msg.infos[0]
    assert (info.language, info.severity, info.headline) == (
        "nl-BE",
        "Moderate",
        "Overstroming van de Leie",
    )
    assert info.areas[0].circles == [(50.78, 3.04, 2.5)]


def test_a_schema_error_names_the_element_and_its_line() -> None:
    raw = cap_xml(status="Real")
    with pytest.raises(cap.CapInvalid) as caught:
        cap.validate(raw)
    assert caught.value.line == 6
    assert "status" in caught.value.message and "'Real'" in caught.value.message
    assert caught.value.message.startswith("line 6: schema:")


def test_a_missing_required_element_is_refused() -> None:
    raw = cap_xml().replace(b"<event>Overstroming</event>", b"")
    with pytest.raises(cap.CapInvalid, match="event"):
        cap.validate(raw)


def test_not_well_formed_xml_is_refused_with_its_line() -> None:
    with pytest.raises(cap.CapInvalid) as caught:
        cap.validate(b"<alert>\n<identifier>x</alert>")
    assert caught.value.line == 2
    assert "not well-formed" in caught.value.message


def test_entities_and_doctypes_are_never_expanded() -> None:
    raw = (
        b'<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + cap_xml().split(b"?>", 1)[1].replace(b"BE.nccn.1", b"&xxe;")
    )
    with pytest.raises(cap.CapInvalid, match="DOCTYPE"):
        cap.validate(raw)


def test_an_open_polygon_is_refused_although_the_xsd_types_it_as_text() -> None:
    raw = cap_xml(
        area="<area><areaDesc>x</areaDesc>"
        "<polygon>50.78,2.98 50.79,3.05 50.76,3.06 50.70,2.90</polygon></area>"
    )
    with pytest.raises(cap.CapInvalid, match="closed") as caught:
        cap.validate(raw)
    assert caught.value.line == raw[: raw.index(b"<polygon>")].count(b"\n") + 1


@pytest.mark.parametrize(
    ("circle", "reason"),
    [("50.7,3.1", "lat,lon radius"), ("95.0,3.1 2", "outside"), ("50.7,3.1 -1", "radius")],
)
def test_bad_circles_are_refused(circle: str, reason: str) -> None:
    raw = cap_xml(area=f"<area><areaDesc>x</areaDesc><circle>{circle}</circle></area>")
    with pytest.raises(cap.CapInvalid, match=reason):
        cap.validate(raw)


def test_an_update_must_name_what_it_updates() -> None:
    with pytest.raises(cap.CapInvalid, match="references"):
        cap.validate(cap_xml(msg_type="Update"))
    msg = cap.parse(
        cap_xml(msg_type="Update", references="nccn@crisis.be,BE.nccn.0,2026-03-02T09:00:00+01:00")
    )
    assert msg.references == [
        cap.Reference("nccn@crisis.be", "BE.nccn.0", "2026-03-02T09:00:00+01:00")
    ]


def test_an_oversized_document_is_refused_before_parsing() -> None:
    with pytest.raises(PayloadTooLarge):
        cap.validate(b" " * (rules.MAX_CAP_BYTES + 1))


VALID = cap_xml()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.tuples(st.integers(0, len(VALID) - 1), st.binary(min_size=1, max_size=8)).map(
            lambda cut: VALID[: cut[0]] + cut[1] + VALID[cut[0] + len(cut[1]) :]
        ),
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(1, 40)).map(
            lambda cut: VALID[: cut[0]] + VALID[cut[0] + cut[1] :]
        ),
    )
)
def test_the_parser_never_fails_other_than_with_a_typed_error(raw: bytes) -> None:
    """Random bytes and valid documents with bytes overwritten or cut out: either a parsed
    message, or CapInvalid with a reason — never another exception."""
    try:
        msg = cap.parse(raw)
    except cap.CapInvalid as exc:
        assert exc.message and exc.status == 400
    else:
        assert msg.identifier and msg.msg_type in rules.MSG_TYPES
