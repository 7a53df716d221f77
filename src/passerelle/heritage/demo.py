"""Demo data (synthetic objects with generated photographs: registered ones with their
provenance on each node, stolen ones in BE, a check in FR) and the cross-border check of
``demo --check``: FR checks an object offered at a Lille auction with a photograph and asks
its peers; BE, where the object is registered stolen, answers HIT."""

from __future__ import annotations

import json
import random
import re
import time
from contextlib import closing
from typing import Any

from sqlalchemy import select

from passerelle.errors import PasserelleError
from passerelle.heritage.model import CulturalObject
from passerelle.heritage.schemas import CheckIn, ObjectIn
from passerelle.heritage.service import artwork, check, registry
from passerelle.heritage.service.exchange import RESULT, SCREEN
from passerelle.node import Node
from passerelle.privacy import Principal

#: The stolen object of the cross-border scenario (photograph seed and description).
STOLEN_SEED = 880
STOLEN = {
    "object_type": "head",
    "materials": ["marble"],
    "techniques": ["carving"],
    "measurements": {"height_cm": 31.0, "width_cm": 22.0},
    "title": "Tête de lion en marbre (demo)",
    "subject": "lion",
    "date_period": "Roman, 2nd century",
    "year_made": 150,
    "description": "Marble lion head, chipped left ear (synthetic demo object).",
    "country_of_origin": "SY",
    "category": "archaeological",
    "distinguishing_features": "chipped left ear",
}
REGISTERED = {
    "object_type": "vase",
    "materials": ["terracotta"],
    "title": "Vase à figures noires (demo)",
    "date_period": "6th century BCE",
    "year_made": -540,
    "country_of_origin": "IT",
    "category": "archaeological",
    "provenance": [
        {
            "kind": "discovery",
            "country": "IT",
            "date_from": "1901-04-02",
            "evidence": "excavation report (synthetic)",
        },
        {"kind": "export", "country": "IT", "date_from": "1902-01-10", "document": "EXP-1902"},
        {
            "kind": "ownership",
            "party": "Collection Dupont (synthetic)",
            "country": "FR",
            "date_from": "1902-02-01",
            "date_to": "1950-06-30",
        },
        {
            "kind": "ownership",
            "party": "Musée de démonstration",
            "country": "FR",
            "date_from": "1975-01-01",
        },
    ],
}


def _principal(node: Node) -> Principal:
    return Principal(
        kind="cli", id=0, name="demo-seed", agency=node.code, roles=frozenset({"supervisor"})
    )


def seed(node: Node) -> None:
    who = _principal(node)
    with node.session() as session:
        if session.scalar(select(CulturalObject.id).limit(1)) is not None:
            return
        vase = registry.register(session, node, who, ObjectIn.model_validate(REGISTERED))
        registry.add_photo(session, node, vase, artwork.png_bytes(artwork.generate(7)))
        if node.code == "BE":
            lion = registry.register(
                session,
                node,
                who,
                ObjectIn.model_validate(STOLEN),
                status="stolen",
                source="interpol",
            )
            registry.add_photo(
                session, node, lion, artwork.png_bytes(artwork.generate(STOLEN_SEED))
            )
        if node.code == "FR":
            offered = CheckIn.model_validate(
                {**REGISTERED, "offer": {"channel": "dealer", "seller": "Galerie (demo)"}}
            )
            check.check(session, node, who, offered)


def _ok(response: Any, what: str) -> Any:
    if response.status_code >= 400:
        raise PasserelleError(f"{what} failed ({response.status_code}): {response.text[:300]}")
    return response.json()


def _csrf(client: Any) -> dict[str, str]:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    if not match:
        raise PasserelleError("the console home page carries no CSRF token")
    return {"x-csrf-token": match.group(1)}


def offered_copy() -> bytes:
    """The stolen lion head as photographed for a sale: cropped, turned, recoloured."""
    seeded = random.Random(21)  # noqa: S311 -- synthetic picture
    return artwork.jpeg_bytes(artwork.transform(artwork.generate(STOLEN_SEED), seeded))


def check_flow(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.kit.demo import console_login

    fr, be = (next(n for n in nodes if n.code == c) for c in ("FR", "BE"))

    def user(code: str, role: str) -> Any:
        return next(a for a in accounts[code] if role in a.roles)

    for n, peer in ((fr, "BE"), (be, "FR")):
        admin = user(n.code, "admin")
        with closing(console_login(n, admin.username, admin.password)) as client:
            for mtype in (SCREEN, RESULT):
                _ok(
                    client.put(
                        f"/api/v1/federation/sharing/{mtype}/{peer}",
                        headers=_csrf(client),
                        json={"policy": "automatic", "reason": "demo: heritage screening"},
                    ),
                    f"{n.code}: sharing policy {mtype}",
                )
    print("FR, BE: admins set cultural-object screening to automatic")
    analyst = user(fr.code, "analyst")
    with closing(console_login(fr, analyst.username, analyst.password)) as client:
        offered = {
            "object_type": "head",
            "title": "Marble lion head",
            "materials": ["marble"],
            "country_of_origin": "SY",
            "category": "archaeological",
            "offer": {"channel": "auction", "seller": "Hôtel des ventes de Lille (demo)"},
        }
        result = _ok(
            client.post(
                "/api/v1/heritage/check",
                headers=_csrf(client),
                data={"object": json.dumps(offered), "ask_peers": "true"},
                files=[("image", ("offer.jpg", offered_copy(), "image/jpeg"))],
            ),
            "FR: heritage check",
        )
        print(
            f"FR: marble lion head at a Lille auction → risk {result['risk']} "
            f"({result['reference']})"
        )
        deadline = time.monotonic() + 30
        answer: dict[str, Any] = {}
        while time.monotonic() < deadline:
            listed = _ok(client.get("/api/v1/heritage/exchanges"), "FR: exchanges")
            answer = next(
                (e for e in listed if e["request"] == result["reference"] and e["peer"] == "BE"),
                {},
            )
            if answer.get("answered_at"):
                break
            time.sleep(0.5)
        if not answer.get("hit"):
            raise PasserelleError(f"FR: BE did not answer HIT for the lion head: {answer}")
        print(f"BE → FR: HIT {', '.join(answer['references'])}")
