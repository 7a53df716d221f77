"""The shared situation: active incidents as GeoJSON, cancelled and expired ones left out."""

from __future__ import annotations

from datetime import timedelta

from passerelle.crisis.service import issue, situation
from passerelle.node import Node
from passerelle.privacy import FrozenClock, audit
from tests.crisis.conftest import cap_in, principal


def test_active_areas_are_geojson_in_lon_lat_order(node: Node) -> None:
    with node.session() as session:
        issue.create(session, node, principal(), cap_in())
        collection = situation.geojson(session, node, principal())
        entries, _ = audit.search(session, audit.AuditQuery(object_type="crisis.situation"))
    kinds = [f["geometry"]["type"] for f in collection["features"]]
    assert kinds == ["Polygon", "Point"]
    polygon = collection["features"][0]["geometry"]["coordinates"][0]
    assert polygon[0] == [3.10, 50.79] and polygon[0] == polygon[-1]
    assert collection["features"][1]["properties"]["radius_km"] == 3.0
    assert len(entries) == 1


def test_a_cancelled_or_expired_incident_leaves_the_map_but_not_the_timeline(
    node: Node, clock: FrozenClock
) -> None:
    with node.session() as session:
        first = issue.create(session, node, principal(), cap_in())
        issue.create(session, node, principal(), cap_in(expires=clock.now() + timedelta(hours=2)))
        issue.create(session, node, principal(), cap_in(status="Test"))
        clock.advance(timedelta(minutes=5))
        update = issue.create(
            session,
            node,
            principal(),
            cap_in(msg_type="Update", references=[first.id], severity="Extreme"),
        )
        assert [m.id for m in situation.active(session, now=clock.now())] == [
            update.id,
            situation.active(session, now=clock.now())[1].id,
        ]
        issue.create(session, node, principal(), cap_in(msg_type="Cancel", references=[update.id]))
        assert len(situation.active(session, now=clock.now())) == 1
        clock.advance(timedelta(hours=3))
        assert situation.active(session, now=clock.now()) == []
        assert len(situation.timeline(session, node, principal())) == 5
