"""Fixture strategy: small synthetic alerts built inline with :func:`alert_in`; services are
called with a :func:`principal` (no HTTP) unless a test is about the API or the console. The
two-node tests reuse ``tests.federation.conftest.build_net`` (nodes talking through ASGI)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from passerelle.alerts.schemas import AlertIn
from passerelle.federation import message_types, policies
from passerelle.privacy import Principal, audit

if TYPE_CHECKING:
    from tests.federation.conftest import Net


def allow(net: Net, policy: str, *types: str) -> None:
    """As each node's admin: set ``policy`` for the alerts message types (all by default)
    towards every peer."""
    names = types or tuple(t.name for t in message_types() if t.name.startswith("alerts."))
    for code, node in net.nodes.items():
        with node.session() as session:
            for name in names:
                for peer in net.nodes:
                    if peer != code:
                        policies.set_policy(
                            session, node, audit.Actor("root", code), name, peer, policy, "test"
                        )


def principal(*roles: str, name: str = "ana") -> Principal:
    return Principal(
        kind="user",
        id=1,
        name=name,
        agency="FR",
        roles=frozenset(roles or ("analyst", "supervisor")),
    )


def alert_in(**changes: Any) -> AlertIn:
    data: dict[str, Any] = {
        "category": "art36_discreet",
        "family_name": "Vandenberghe",
        "given_names": "Pieter Jan",
        "date_of_birth": "1991-04-17",
        "nationalities": ["BEL"],
        "aliases": ["Abu Yahya al-Beljiki"],
        "warnings": ["violent"],
        "reason": "Released detainee assessed as violent and radicalised (synthetic)",
        "action": "Discreet check; report to the issuing SIRENE",
    }
    data.update(changes)
    return AlertIn(**data)
