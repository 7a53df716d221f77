"""Composing CAP: FR/NL/EN info blocks, polygons and circles, restricted scope, Acks; every
document written is valid against the official XSD."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from passerelle.crisis import cap, compose
from tests.crisis.conftest import cap_in

SENT = datetime(2026, 3, 2, 9, 0, 12, 345000, tzinfo=UTC)


def test_an_alert_has_one_info_block_per_language_sharing_its_areas() -> None:
    raw = compose.alert(
        cap_in(), identifier="FR.crisis.1", sender="cic@fr", sent=SENT, references=[]
    )
    msg = cap.parse(raw)
    assert [i.language for i in msg.infos] == ["fr-FR", "nl-BE", "en-GB"]
    assert msg.scope == "Restricted" and msg.restriction
    assert b"<sent>2026-03-02T09:00:12+00:00</sent>" in raw
    for info in msg.infos:
        assert info.categories == ["Fire", "CBRNE"]
        area = info.areas[0]
        assert area.polygons[0][0] == area.polygons[0][-1]
        assert area.circles == [(50.78, 3.13, 3.0)]


def test_an_open_polygon_is_closed_and_too_few_corners_are_refused() -> None:
    data = cap_in(areas=[{"desc": "x", "polygons": [[(50.0, 3.0), (50.1, 3.1), (50.0, 3.2)]]}])
    assert data.areas[0].polygons[0][-1] == (50.0, 3.0)
    with pytest.raises(ValidationError, match="three distinct corners"):
        cap_in(areas=[{"desc": "x", "polygons": [[(50.0, 3.0), (50.1, 3.1)]]}])


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"severity": "Catastrophic"}, "severity"),
        ({"msg_type": "Update"}, "must refer"),
        ({"infos": [{"language": "de", "headline": "Brand"}]}, "language"),
        ({"areas": [{"desc": "x", "circles": [{"lat": 91, "lon": 3, "radius_km": 1}]}]}, "lat"),
        ({"expires": "2026-03-02T10:00:00"}, "time zone"),
    ],
)
def test_bad_input_is_refused_with_the_field(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        cap_in(**changes)


def test_an_ack_refers_to_the_acknowledged_message() -> None:
    of = cap.Reference("cic@fr", "FR.crisis.1", "2026-03-02T09:00:12+00:00")
    raw = compose.ack(
        identifier="BE.crisis.9",
        sender="nccn@be",
        sent=SENT,
        status="Actual",
        of=of,
        note="Received, liaison officer sent",
    )
    msg = cap.parse(raw)
    assert (msg.msg_type, msg.references, msg.note) == (
        "Ack",
        [of],
        "Received, liaison officer sent",
    )
