"""FR checks an object offered in Lille and asks its peers; BE, which registered the object as
stolen, answers HIT with its reference through federation (no person leaves either node)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.heritage.model import Exchange
from passerelle.heritage.service.exchange import RESULT, SCREEN
from tests.federation.conftest import CODES, Net, build_net
from tests.heritage.conftest import copy_of, obj, stolen


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    built = build_net(tmp_path, urls)
    yield built
    for node in built.nodes.values():
        node.close()


async def _flow(net: Net) -> None:
    sought = stolen(net.nodes["BE"], 21, title="Tête de lion en marbre", object_type="head")
    offered = obj(title="Marble lion head", object_type="head", materials=["marble"])
    async with net.running() as api:
        for code, peer in (("FR", "BE"), ("BE", "FR")):
            for mtype in (SCREEN, RESULT):
                answer = await api[code].put(
                    f"/api/v1/federation/sharing/{mtype}/{peer}",
                    headers=net.auth(code, "admin"),
                    json={"policy": "automatic", "reason": "heritage screening (test)"},
                )
                assert answer.status_code == 200, answer.text
        checked = await api["FR"].post(
            "/api/v1/heritage/check",
            headers=net.auth("FR", "analyst"),
            data={"object": offered.model_dump_json(), "ask_peers": "true"},
            files=[("image", ("c.jpg", copy_of(21), "image/jpeg"))],
        )
        assert checked.status_code == 200, checked.text
        with net.nodes["BE"].session() as session:
            (received,) = session.scalars(select(Exchange))
            assert (received.direction, received.peer, received.hit) == ("received", "FR", True)
        # BE's answer waits in its outbox; deliver it as the worker would.
        retried = await api["BE"].post(
            "/api/v1/federation/outbox/retry", headers=net.auth("BE", "admin")
        )
        assert retried.status_code == 200, retried.text
        listed = await api["FR"].get(
            "/api/v1/heritage/exchanges", headers=net.auth("FR", "analyst")
        )
        (sent,) = [e for e in listed.json() if e["peer"] == "BE"]
        assert sent["request"] == checked.json()["reference"]
        assert sent["peer"] == "BE" and sent["hit"] is True
        assert sent["references"][0].startswith(sought.reference)


def test_cross_border_screening_answers_hit(net: Net) -> None:
    asyncio.run(_flow(net))
