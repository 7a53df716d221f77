"""Fixture strategy: CAP messages are composed inline with :func:`cap_in` (synthetic incidents
near the FR-BE border) or written as XML with :func:`cap_xml`; services are called with a
:func:`principal` (no HTTP) unless a test is about the API or the console. The two-node tests
reuse ``tests.federation.conftest.build_net`` (nodes talking through ASGI)."""

from __future__ import annotations

from typing import Any

from passerelle.crisis.schemas import CapIn
from passerelle.privacy import Principal


def principal(*roles: str, name: str = "duty") -> Principal:
    return Principal(
        kind="user",
        id=1,
        name=name,
        agency="FR",
        roles=frozenset(roles or ("analyst", "supervisor")),
    )


def cap_in(**changes: Any) -> CapIn:
    data: dict[str, Any] = {
        "event": "Chemical plant fire",
        "category": ["Fire", "CBRNE"],
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "infos": [
            {"language": "fr", "headline": "Incendie d'usine chimique à Halluin"},
            {"language": "nl", "headline": "Brand in chemische fabriek in Halluin"},
            {"language": "en", "headline": "Chemical plant fire in Halluin"},
        ],
        "areas": [
            {
                "desc": "Halluin - Menen",
                "polygons": [[(50.79, 3.10), (50.80, 3.20), (50.76, 3.21), (50.79, 3.10)]],
                "circles": [{"lat": 50.78, "lon": 3.13, "radius_km": 3}],
            }
        ],
    }
    data.update(changes)
    return CapIn(**data)


def cap_xml(
    *,
    identifier: str = "BE.nccn.1",
    sender: str = "nccn@crisis.be",
    sent: str = "2026-03-02T10:00:00+01:00",
    msg_type: str = "Alert",
    status: str = "Actual",
    references: str = "",
    extra_info: str = "",
    area: str = "<area><areaDesc>Lys valley</areaDesc>"
    "<polygon>50.78,2.98 50.79,3.05 50.76,3.06 50.78,2.98</polygon></area>",
) -> bytes:
    refs = f"<references>{references}</references>" if references else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>{sender}</sender>
  <sent>{sent}</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Restricted</scope>
  <restriction>Crisis centres only</restriction>
  {refs}
  <info>
    <language>nl-BE</language>
    <category>Met</category>
    <event>Overstroming</event>
    <urgency>Expected</urgency>
    <severity>Moderate</severity>
    <certainty>Likely</certainty>
    <headline>Overstroming van de Leie</headline>
    {extra_info}
    {area}
  </info>
</alert>
""".encode()
