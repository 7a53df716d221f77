"""Two contact points (FR, BE) exchanging purchase notices through federation: nothing leaves
until an admin sets the sharing policy; then acetone bought in Lille and hydrogen peroxide
bought in Tournai in the same week make the Tournai check answer ``report``, and FR finds the
cross-border pattern when BE's notice arrives."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.precursors.model import Notice, Pattern
from passerelle.precursors.service.exchange import PURCHASE
from tests.federation.conftest import CODES, Net, _pg_urls, build_net
from tests.precursors.conftest import add_seller, sale


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def net(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Net]:
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    else:
        urls = _pg_urls(request)
    built = build_net(tmp_path, urls)
    yield built
    for node in built.nodes.values():
        node.close()


def _body(sku: str, **customer: Any) -> dict[str, Any]:
    return sale(product={"sku": sku, "quantity_kg": 1}, customer=customer).model_dump(mode="json")


async def _flow(net: Net) -> None:
    _, lille = add_seller(net.nodes["FR"], "brico-lille", "FR", city="Lille")
    _, tournai = add_seller(net.nodes["BE"], "droguerie-tournai", "BE", city="Tournai")
    fr_seller = {"authorization": f"Bearer {lille}"}
    be_seller = {"authorization": f"Bearer {tournai}"}
    async with net.running() as api:
        # No policy decided: the notice is never sent.
        first = await api["FR"].post(
            "/api/v1/precursors/check", headers=fr_seller, json=_body("ACE-1L")
        )
        assert first.json()["decision"] == "allowed"
        with net.nodes["BE"].session() as session:
            assert list(session.scalars(select(Notice))) == []
        for code, peer in (("FR", "BE"), ("BE", "FR")):
            answer = await api[code].put(
                f"/api/v1/federation/sharing/{PURCHASE}/{peer}",
                headers=net.auth(code, "admin"),
                json={"policy": "automatic", "reason": "contact points agreement (test)"},
            )
            assert answer.status_code == 200, answer.text
        lille_sale = await api["FR"].post(
            "/api/v1/precursors/check", headers=fr_seller, json=_body("ACE-1L")
        )
        with net.nodes["BE"].session() as session:
            (notice,) = session.scalars(select(Notice))
            assert (notice.sender, notice.reference, notice.city) == (
                "FR",
                lille_sale.json()["reference"],
                "Lille",
            )
        tournai_sale = await api["BE"].post(
            "/api/v1/precursors/check",
            headers=be_seller,
            json=_body("H2O2-9", family_name="LEFEVRE", given_names="Jean Luc"),
        )
        assert tournai_sale.json()["decision"] == "report"
        reports = (
            await api["BE"].get("/api/v1/precursors/reports", headers=net.auth("BE", "analyst"))
        ).json()
        assert "Lille (FR)" in reports[0]["summary"]
        # BE's notice reached FR, whose inbox found the pattern in the same transaction.
        with net.nodes["FR"].session() as session:
            (pattern,) = session.scalars(select(Pattern))
            assert pattern.countries == ["BE", "FR"]
        listed = (
            await api["FR"].get("/api/v1/precursors/patterns", headers=net.auth("FR", "analyst"))
        ).json()
        assert listed[0]["kind"] == "combination"


def test_cross_border_combination_through_federation(net: Net) -> None:
    asyncio.run(_flow(net))
