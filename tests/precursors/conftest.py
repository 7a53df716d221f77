"""Fixture strategy: one FR test node (``node`` from tests/conftest.py, SQLite then
PostgreSQL) with sellers registered through the service, each with its real API token; sales
are built inline with :func:`sale`. Two-node exchanges reuse ``tests.federation.conftest``."""

from __future__ import annotations

from typing import Any

import pytest

from passerelle.node import Node
from passerelle.precursors.model import Seller
from passerelle.precursors.schemas import ProductRow, SellerIn, TransactionIn
from passerelle.precursors.service import registers
from passerelle.privacy import Principal

CATALOGUE = [
    ProductRow(
        sku="ACE-1L",
        trade_name="Acétone pure 1 L",
        synonyms=["aceton", "propanone"],
        cas="67-64-1",
        concentration=99.5,
    ),
    ProductRow(
        sku="H2O2-9",
        trade_name="Eau oxygénée 9 %",
        synonyms=["waterstofperoxide 9%"],
        cas="7722-84-1",
        concentration=9.0,
    ),
    ProductRow(
        sku="H2O2-30",
        trade_name="Peroxyde d'hydrogène 30 %",
        synonyms=["perhydrol"],
        cas="7722-84-1",
        concentration=30.0,
    ),
]


def principal(*roles: str, name: str = "ana") -> Principal:
    return Principal(
        kind="user",
        id=1,
        name=name,
        agency="FR",
        roles=frozenset(roles or ("analyst", "supervisor")),
    )


def sale(**changes: Any) -> TransactionIn:
    data: dict[str, Any] = {
        "reference": "ticket-1",
        "customer": {
            "type": "public",
            "family_name": "Lefèvre",
            "given_names": "Jean-Luc",
            "date_of_birth": "1988-06-12",
            "document_type": "id_card",
            "document_number": "FRX12345678",
            "document_country": "FRA",
        },
        "product": {"sku": "H2O2-9", "quantity_kg": 1.0},
        "payment": {"method": "card", "amount": 12.5},
        "delivery": {"method": "pickup"},
        "verification": {"id_document_checked": True},
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return TransactionIn.model_validate(data)


def add_seller(
    node: Node,
    code: str = "brico-lille",
    country: str = "FR",
    channel: str = "offline",
    city: str = "Lille",
) -> tuple[Seller, str]:
    with node.session() as session:
        seller, token = registers.add_seller(
            session,
            node,
            SellerIn(
                code=code,
                name=f"{code} (test)",
                kind="shop",
                channel=channel,
                country=country,
                city=city,
            ),
        )
        registers.load_catalogue(session, seller.code, CATALOGUE)
        session.expunge(seller)
    return seller, token


@pytest.fixture
def shop(node: Node) -> Seller:
    return add_seller(node)[0]


@pytest.fixture
def be_shop(node: Node) -> Seller:
    return add_seller(node, "droguerie-tournai", "BE", city="Tournai")[0]
