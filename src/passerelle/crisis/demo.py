"""Demo data (a synthetic crisis alert per node, an imported feed alert and a quarantined
document) and the cross-border check: a FR alert sent to BE, BE's acknowledgement seen on FR."""

from __future__ import annotations

import re
import time
from contextlib import closing
from datetime import timedelta
from typing import Any

import httpx

from passerelle.crisis import compose
from passerelle.crisis.schemas import AreaIn, CapIn, CircleIn, InfoText
from passerelle.crisis.service import feeds, issue, store
from passerelle.errors import PasserelleError
from passerelle.node import Node
from passerelle.privacy import Principal

#: A synthetic incident per node, near the border (coordinates: lat, lon).
INCIDENTS: dict[str, dict[str, Any]] = {
    "FR": {
        "event": "Chemical plant fire (exercise)",
        "category": ["Fire", "CBRNE"],
        "severity": "Severe",
        "headlines": {
            "fr": "Exercice : incendie d'usine chimique à Halluin, fumées vers la Belgique",
            "nl": "Oefening: brand in chemische fabriek in Halluin, rook richting België",
            "en": "Exercise: chemical plant fire in Halluin, smoke drifting to Belgium",
        },
        "area": AreaIn(
            desc="Halluin - Menen plume",
            polygons=[[(50.79, 3.10), (50.80, 3.20), (50.76, 3.21), (50.75, 3.11), (50.79, 3.10)]],
            circles=[CircleIn(lat=50.78, lon=3.13, radius_km=3)],
        ),
    },
    "BE": {
        "event": "River flood (exercise)",
        "category": ["Met"],
        "severity": "Moderate",
        "headlines": {
            "fr": "Exercice : crue de la Lys entre Comines et Wervik",
            "nl": "Oefening: overstroming van de Leie tussen Komen en Wervik",
            "en": "Exercise: Lys river flood between Comines and Wervik",
        },
        "area": AreaIn(
            desc="Lys valley",
            polygons=[[(50.78, 2.98), (50.79, 3.05), (50.76, 3.06), (50.75, 2.99), (50.78, 2.98)]],
        ),
    },
}

MALFORMED_SAMPLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>demo-broken-feed-1</identifier>
  <sender>feed@example.invalid</sender>
  <sent>2026-01-05 08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
</alert>
"""


def _principal(node: Node) -> Principal:
    return Principal(
        kind="cli",
        id=0,
        name="demo-seed",
        agency=node.code,
        roles=frozenset({"analyst", "supervisor"}),
    )


def cap_in(code: str, *, hours: int = 12, expires_from: Any = None) -> CapIn:
    incident = INCIDENTS[code]
    return CapIn(
        status="Exercise",
        event=incident["event"],
        category=incident["category"],
        urgency="Immediate",
        severity=incident["severity"],
        certainty="Observed",
        expires=(expires_from + timedelta(hours=hours)) if expires_from else None,
        infos=[
            InfoText(language=lang, headline=text) for lang, text in incident["headlines"].items()
        ],
        areas=[incident["area"]],
    )


def seed(node: Node) -> None:
    """A local exercise alert, not yet sent, and a malformed feed document in quarantine."""
    principal = _principal(node)
    code = node.code if node.code in INCIDENTS else "FR"
    raw = compose.alert(
        cap_in(code, expires_from=node.clock.now()),
        identifier=issue.new_identifier(node),
        sender=issue.sender_of(node),
        sent=node.clock.now(),
        references=[],
    )
    # Written without audit entries, like the other domains' seeds: seeding synthetic data is
    # nobody's access to data.
    with node.session() as session:
        store.store(session, node, raw, origin="local", created_by=principal.name)
        feeds.import_document(
            session, node, MALFORMED_SAMPLE, source="demo-feed.xml", by=principal.name
        )


def _csrf(client: httpx.Client) -> dict[str, str]:
    page = client.get("/crisis/messages")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not match:
        raise PasserelleError("the crisis console page carries no CSRF token")
    return {"x-csrf-token": match.group(1)}


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        raise PasserelleError(f"{what} failed ({response.status_code}): {response.text[:300]}")
    return response.json()


def check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    """FR composes a CAP alert and sends it to BE; BE finds it and acknowledges it; FR sees
    the acknowledgement on its recipient."""
    from passerelle.kit.demo import console_login

    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))
    fr_user = next(a for a in accounts["FR"] if "analyst" in a.roles)
    be_user = next(a for a in accounts["BE"] if "analyst" in a.roles)
    body = cap_in("FR").model_dump(mode="json")
    body["infos"][2]["headline"] = "Exercise: chemical plant fire in Halluin (demo check)"
    with closing(console_login(fr, fr_user.username, fr_user.password)) as client:
        headers = _csrf(client)
        alert = _ok(client.post("/api/v1/crisis/messages", headers=headers, json=body), "FR: alert")
        sent = _ok(
            client.post(
                f"/api/v1/crisis/messages/{alert['id']}/send",
                headers=headers,
                json={"peers": ["BE"]},
            ),
            "FR: send",
        )
        print(
            f"FR: CAP alert {alert['identifier']} sent to BE ({sent[0]['status']}, ack due "
            f"{sent[0]['ack_due_at']})"
        )
    with closing(console_login(be, be_user.username, be_user.password)) as client:
        received = None
        for _ in range(40):
            rows = _ok(client.get("/api/v1/crisis/messages?msg_type=Alert"), "BE: messages")
            received = next((r for r in rows if r["identifier"] == alert["identifier"]), None)
            if received:
                break
            time.sleep(0.25)
        if received is None:
            raise PasserelleError("BE: the CAP alert never arrived")
        print(f"BE: CAP alert received from {received['origin']}: {received['headline']}")
        ack = _ok(
            client.post(f"/api/v1/crisis/messages/{received['id']}/ack", headers=_csrf(client)),
            "BE: ack",
        )
        print(f"BE: CAP Ack {ack['ack_id'][:8]} sent to {ack['peer']} ({ack['status']})")
    with closing(console_login(fr, fr_user.username, fr_user.password)) as client:
        for _ in range(40):
            detail = _ok(client.get(f"/api/v1/crisis/messages/{alert['id']}"), "FR: message")
            be_row = next(r for r in detail["recipients"] if r["peer"] == "BE")
            if be_row["acked_at"]:
                print(f"FR: BE acknowledged at {be_row['acked_at']} (due {be_row['ack_due_at']})")
                return
            time.sleep(0.25)
    raise PasserelleError("FR: BE's acknowledgement never arrived")
