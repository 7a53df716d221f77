"""Two contact points (FR, BE) exchanging purchase notices through federation: nothing leaves
until an admin sets the sharing policy; then acetone bought in Lille and hydrogen peroxide
bought in Tournai in the same week make the Tournai check answer ``report``, and FR finds the
cross-border pattern when BE's notice arrives.

The check answers without waiting for the peer: the notice is queued in the outbox (durable)
and the delivery worker takes it there."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.errors import DatabaseBusy
from passerelle.federation import Message
from passerelle.federation.delivery import worker
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


async def _until(what: str, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait for ``condition`` (checked as the delivery worker makes progress). It reads the
    database, so it runs in a thread: the event loop stays free for the worker and the apps."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            if await asyncio.to_thread(condition):
                return
        except DatabaseBusy:  # a long write on a loaded machine: look again
            pass
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def _notices(net: Net, code: str) -> list[Notice]:
    with net.nodes[code].session() as session:
        return list(session.scalars(select(Notice)))


def _outbox(net: Net, code: str) -> list[tuple[str, str]]:
    with net.nodes[code].session() as session:
        rows = session.scalars(select(Message).where(Message.direction == "out"))
        return [(m.type, m.status) for m in rows]


@contextlib.asynccontextmanager
async def _workers(net: Net) -> AsyncIterator[None]:
    """Every node's outbox delivery worker, as the server runs it."""
    async with contextlib.AsyncExitStack() as stack:
        for code, node in net.nodes.items():
            await stack.enter_async_context(worker(node, net.apps[code].state.federation_client))
        yield


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
        # No delivery worker runs yet: the check answers all the same, its notice queued.
        lille_sale = await api["FR"].post(
            "/api/v1/precursors/check", headers=fr_seller, json=_body("ACE-1L")
        )
        assert lille_sale.json()["decision"] == "allowed"
        assert _notices(net, "BE") == []
        assert _outbox(net, "FR") == [(PURCHASE, "pending")]
        async with _workers(net):
            await _until("FR's notice at BE", lambda: len(_notices(net, "BE")) == 1)
            (notice,) = _notices(net, "BE")
            assert (notice.sender, notice.reference, notice.city) == (
                "FR",
                lille_sale.json()["reference"],
                "Lille",
            )
            await _until("delivered", lambda: _outbox(net, "FR") == [(PURCHASE, "delivered")])
            tournai_sale = await api["BE"].post(
                "/api/v1/precursors/check",
                headers=be_seller,
                json=_body("H2O2-9", family_name="LEFEVRE", given_names="Jean Luc"),
            )
            assert tournai_sale.json()["decision"] == "report"
            await _until("BE's notice at FR", lambda: len(_notices(net, "FR")) == 1)
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
