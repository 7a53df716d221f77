"""The shared situation: active incidents with their areas (GeoJSON for the map) and the
timeline of every message, both sides of the border together.

An incident (thread) is active while its latest Alert or Update is not cancelled and not past
its ``expires``. Areas are GeoJSON: polygons as ``Polygon`` ([lon, lat] order, RFC 7946),
circles as a ``Point`` with ``radius_km`` for the map to draw.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.crisis.model import CapMessage
from passerelle.crisis.service import store
from passerelle.node import Node
from passerelle.privacy import Principal

#: CAP statuses shown on the shared map (Test, System and Draft stay in the timeline only).
SHOWN_STATUSES = ("Actual", "Exercise")


def _latest_by_thread(session: Session) -> dict[str, CapMessage]:
    """The newest Alert/Update/Cancel of each thread. Messages sent in the same second are
    ordered by their references: a message another one refers to is never the newest."""
    rows = list(
        session.scalars(
            select(CapMessage).where(CapMessage.msg_type.in_(("Alert", "Update", "Cancel")))
        )
    )
    referenced = {ref.split(",")[1] for row in rows for ref in row.references if "," in ref}
    latest: dict[str, CapMessage] = {}
    for row in sorted(rows, key=lambda r: (r.sent, r.identifier not in referenced, r.received_at)):
        latest[row.thread] = row
    return latest


def active(session: Session, *, now: datetime) -> list[CapMessage]:
    """The latest message of each incident that is still active, most severe first."""
    order = {"Extreme": 0, "Severe": 1, "Moderate": 2, "Minor": 3}
    rows = [
        m
        for m in _latest_by_thread(session).values()
        if m.msg_type != "Cancel"
        and m.status in SHOWN_STATUSES
        and (m.expires is None or m.expires > now)
    ]
    return sorted(rows, key=lambda m: (order.get(m.severity, 4), -m.sent.timestamp()))


def _features(message: CapMessage) -> list[dict[str, Any]]:
    props = {
        "id": message.id,
        "thread": message.thread,
        "headline": message.headline,
        "headlines": message.headlines,
        "event": message.event,
        "severity": message.severity,
        "msg_type": message.msg_type,
        "sender": message.sender,
        "sent": message.sent.isoformat(),
    }
    features: list[dict[str, Any]] = []
    for area in message.areas:
        for polygon in area.get("polygons", []):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[lon, lat] for lat, lon in polygon]],
                    },
                    "properties": {**props, "area": area.get("desc", "")},
                }
            )
        for lat, lon, radius in area.get("circles", []):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {**props, "area": area.get("desc", ""), "radius_km": radius},
                }
            )
    return features


def geojson(session: Session, node: Node, principal: Principal) -> dict[str, Any]:
    """Active areas as a GeoJSON FeatureCollection (the read is audited)."""
    rows = active(session, now=node.clock.now())
    store.access(principal, node).trace(
        session,
        "read",
        "crisis.situation",
        "*",
        now=node.clock.now(),
        details={"incidents": len(rows)},
    )
    return {
        "type": "FeatureCollection",
        "features": [f for m in rows for f in _features(m)],
    }


def timeline(
    session: Session, node: Node, principal: Principal, *, thread: str = "", limit: int = 200
) -> list[CapMessage]:
    """Every message, newest first (one incident when ``thread`` is given; audited)."""
    return store.search(session, node, principal, thread=thread, limit=limit)
