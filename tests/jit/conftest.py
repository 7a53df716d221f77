"""Fixture strategy: one FR node (``node`` from tests/conftest.py, SQLite then PostgreSQL) for
the workspace, tus and retention; FR and BE talking through ``tests.federation.conftest``'s
mesh for replication and the evidence transfer. Teams are built with :func:`team_in`; leaders'
logins are the token principals' names (``token:FR-supervisor``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from passerelle.jit.schemas import TeamIn
from passerelle.privacy import Principal


def principal(*roles: str, name: str = "ana", agency: str = "FR") -> Principal:
    return Principal(
        kind="user",
        id=1,
        name=name,
        agency=agency,
        roles=frozenset(roles or ("analyst", "supervisor")),
    )


def team_in(**changes: Any) -> TeamIn:
    data: dict[str, Any] = {
        "name": "Opération Frontière",
        "countries": ["FR", "BE"],
        "terms": {
            "purpose": "Investigate the attacks of Lille and Tournai",
            "starts_on": date(2026, 3, 1).isoformat(),
            "ends_on": date(2026, 9, 1).isoformat(),
            "evidence_rules": "Evidence gathered by either party is admissible in both.",
            "confidentiality": "Restricted to the members listed.",
            "communication": "Press statements need both leaders' approval.",
        },
        "members": [
            {"country": "FR", "name": "Claire Martin", "role": "leader", "login": "ana"},
            {"country": "BE", "name": "Jan Peeters", "role": "leader", "login": "jan"},
            {"country": "BE", "name": "Sofie Claes", "role": "member"},
            {"country": "NL", "name": "E. de Vries", "role": "eurojust"},
        ],
    }
    data.update(changes)
    return TeamIn.model_validate(data)
