"""FR issues a production order for traffic data to a BE provider: BE's authority is notified
(art. 8) through federation, raises a ground for refusal within its review window (art. 12),
and FR's order is closed as refused."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.evidence.model import Notification, Order
from passerelle.evidence.service.exchange import NOTIFICATION, REFUSAL
from passerelle.privacy import accounts
from tests.evidence.conftest import add_provider
from tests.evidence.test_api import ORDER
from tests.federation.conftest import CODES, Net, build_net


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    built = build_net(tmp_path, [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES])
    yield built
    for node in built.nodes.values():
        node.close()


def _judge(net: Net, code: str) -> dict[str, str]:
    node = net.nodes[code]
    with node.session() as session:
        token = accounts.create_token(session, name=f"judge-{code}", role="judicial",
                                      agency=code, now=node.clock.now())  # fmt: skip
    return {"authorization": f"Bearer {token}"}


async def _flow(net: Net) -> None:
    add_provider(net.nodes["FR"])
    judge = {code: _judge(net, code) for code in ("FR", "BE")}
    async with net.running() as api:
        for code, peer, mtype in (("FR", "BE", NOTIFICATION), ("BE", "FR", REFUSAL)):
            answer = await api[code].put(
                f"/api/v1/federation/sharing/{mtype}/{peer}", headers=net.auth(code, "admin"),
                json={"policy": "automatic", "reason": "e-Evidence agreement (test)"})  # fmt: skip
            assert answer.status_code == 200, answer.text
        made = await api["FR"].post("/api/v1/evidence/orders", headers=judge["FR"],
                                    json={**ORDER, "category": "traffic",
                                          "max_sentence_years": 5})  # fmt: skip
        assert made.status_code == 201, made.text
        reference = made.json()["reference"]
        assert made.json()["notify_enforcing"]
        listed = (await api["BE"].get("/api/v1/evidence/notifications",
                                      headers=judge["BE"])).json()  # fmt: skip
        assert [(n["reference"], n["sender"], n["open"]) for n in listed] == [
            (reference, "FR", True)]  # fmt: skip
        assert listed[0]["certificate"]["category"] == "traffic"
        bad = await api["BE"].post(
            f"/api/v1/evidence/notifications/{reference}/refuse",
            headers=judge["BE"],
            json={"ground": "whim"},
        )
        assert bad.status_code == 422
        refused = await api["BE"].post(
            f"/api/v1/evidence/notifications/{reference}/refuse",
            headers=judge["BE"],
            json={"ground": "fundamental_rights", "reason": "Journalist's sources."},
        )
        assert refused.status_code == 200, refused.text
        assert refused.json()["delivered"] == ["delivered"]
    with net.nodes["FR"].session() as session:
        order = session.scalars(select(Order)).one()
        assert (order.status, order.refusal_ground) == ("refused", "fundamental_rights")
    with net.nodes["BE"].session() as session:
        assert session.scalars(select(Notification)).one().refused_at is not None


def test_notification_and_refusal_between_fr_and_be(net: Net) -> None:
    asyncio.run(_flow(net))
