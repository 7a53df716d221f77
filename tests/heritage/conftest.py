"""Fixture strategy: the FR test node of tests/conftest.py (SQLite, then PostgreSQL); objects
are built inline with :func:`obj` and registered through the service; photographs are
generated procedurally (``heritage.service.artwork``), never downloaded."""

from __future__ import annotations

import random
from typing import Any

from passerelle.heritage.model import CulturalObject
from passerelle.heritage.schemas import CheckIn
from passerelle.heritage.service import artwork, registry
from passerelle.node import Node
from passerelle.privacy import Principal


def principal(*roles: str, name: str = "ana") -> Principal:
    return Principal(
        kind="user", id=1, name=name, agency="FR", roles=frozenset(roles or ("analyst",))
    )


def obj(**changes: Any) -> CheckIn:
    data: dict[str, Any] = {
        "object_type": "statuette",
        "materials": ["bronze"],
        "techniques": ["lost-wax casting"],
        "measurements": {"height_cm": 23.0, "width_cm": 8.0, "depth_cm": 6.0},
        "inscriptions": "cuneiform dedication on the base",
        "distinguishing_features": "left arm missing",
        "title": "Statuette of a worshipper",
        "subject": "worshipper with clasped hands",
        "date_period": "Early Dynastic, c. 2500 BCE",
        "year_made": -2500,
        "maker": "",
        "description": "Bronze statuette of a standing worshipper.",
        "country_of_origin": "IQ",
        "category": "archaeological",
        "provenance": [],
    }
    data.update(changes)
    return CheckIn.model_validate(data)


def photo(seed: int) -> bytes:
    return artwork.png_bytes(artwork.generate(seed))


def copy_of(seed: int, rng_seed: int = 1) -> bytes:
    """A cropped, resized, rotated, recoloured JPEG copy of the photograph ``seed``."""
    return artwork.jpeg_bytes(artwork.transform(artwork.generate(seed), random.Random(rng_seed)))


def stolen(node: Node, seed: int, **changes: Any) -> CulturalObject:
    with node.session() as session:
        row = registry.register(session, node, principal(), obj(**changes), status="stolen")
        registry.add_photo(session, node, row, photo(seed))
        session.expunge(row)
    return row
