"""Fixture strategy: the FR test node (``node`` from tests/conftest.py, SQLite then
PostgreSQL) with a BE provider registered through the service, holding its real API token;
orders are built inline with :func:`order_in`."""

from __future__ import annotations

from typing import Any

from passerelle.evidence.schemas import OrderIn, ProviderIn
from passerelle.evidence.service import directory
from passerelle.node import Node
from passerelle.privacy import Principal


def principal(*roles: str, name: str = "juge.lille") -> Principal:
    return Principal(kind="user", id=1, name=name, agency="FR",
                     roles=frozenset(roles or ("judicial",)))  # fmt: skip


def provider_principal(code: str = "telco-be") -> Principal:
    return Principal(kind="token", id=9, name=f"token:evidence-{code}", agency="FR",
                     roles=frozenset({"provider"}))  # fmt: skip


def add_provider(node: Node, code: str = "telco-be", country: str = "BE") -> str:
    with node.session() as session:
        _, token = directory.add_provider(session, node, ProviderIn(
            code=code, name="Telco Belgique SA", kind="legal_representative",
            country=country, address="Rue de la Loi 1, 1000 Bruxelles",
            email="lawful@telco.example", services=["mobile", "fixed"],
        ))  # fmt: skip
    return token


def order_in(**changes: Any) -> OrderIn:
    base: dict[str, Any] = {
        "form": "EPOC",
        "authority_type": "investigating_judge",
        "authority_name": "Juge d'instruction, tribunal judiciaire de Lille",
        "provider": "telco-be",
        "category": "identification",
        "offence": "Escroquerie en bande organisée",
        "max_sentence_years": 10,
        "targets": [{"kind": "ip", "value": "203.0.113.7", "port": 2100,
                     "at": "2026-12-03T11:15:00Z"}],
        "grounds": "Connexion frauduleuse depuis l'adresse publique du fournisseur.",
    }  # fmt: skip
    base.update(changes)
    return OrderIn.model_validate(base)
