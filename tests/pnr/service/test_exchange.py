"""PIU exchange over the federation: a confirmed hit reaches the PIU owning the alert; a
reasoned request is answered HIT/NO HIT and masked bookings are never found."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.federation import Message, bodies, policies
from passerelle.identity import PersonRecord, node_watchlists
from passerelle.pnr import rules
from passerelle.pnr.service import exchange
from passerelle.privacy import Actor, audit, retention
from tests.federation.conftest import Net, build_net
from tests.pnr.service.conftest import open_threat_period, push, rail_doc


@pytest.fixture
def piu_net(tmp_path: Path) -> Any:
    urls = [f"sqlite:///{tmp_path / (c + '.sqlite3')}" for c in ("fr", "be", "es")]
    net = build_net(tmp_path, urls)
    exchange.register_kinds()
    for code, node in net.nodes.items():  # each node's admin lets results go to the others
        with node.session() as session:
            for peer in net.nodes:
                if peer != code:
                    policies.set_policy(
                        session, node, Actor("root", code), "pnr.result", peer, "automatic", "PIUs"
                    )
    yield net
    for node in net.nodes.values():
        node.close()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_confirmed_hit_is_pushed_to_the_owning_piu(piu_net: Net) -> None:
    fr = piu_net.nodes["FR"]
    open_threat_period(fr)
    node_watchlists(fr.state).publish(
        "alerts:BE", PersonRecord("BE:A-9", given_names="Karim", family_name="Ouali")
    )
    push(fr, rail_doc("PUSH01", given="Karim", family="Ouali"))

    async def scenario() -> tuple[Any, Any]:
        async with piu_net.running() as c:
            hits = await c["FR"].get("/api/v1/pnr/hits", headers=piu_net.auth("FR", "analyst"))
            hit_id = hits.json()[0]["id"]
            decided = await c["FR"].post(
                f"/api/v1/pnr/hits/{hit_id}/decision",
                json={"decision": "confirm", "reason": "Same person, same birth date"},
                headers=piu_net.auth("FR", "analyst"),
            )
            received = await c["BE"].get(
                "/api/v1/pnr/results", headers=piu_net.auth("BE", "analyst")
            )
            return decided.json(), received.json()

    decided, received = run(scenario())
    assert decided["passed_to"] == "PIU BE (alert owner)"
    assert decided["pushed"]["status"] == "delivered"
    assert received[0]["record_locator"] == "PUSH01"
    assert received[0]["from"] == "FR"
    assert received[0]["reason"] == "Same person, same birth date"


def test_reasoned_and_emergency_requests(piu_net: Net) -> None:
    be = piu_net.nodes["BE"]
    open_threat_period(be)
    push(be, rail_doc("ASKED1", family="Peeters", born="1985-03-14"))

    async def ask(query: dict[str, str], emergency: bool) -> Any:
        async with piu_net.running() as c:
            answer = await c["FR"].post(
                "/api/v1/pnr/requests",
                json={
                    "peers": ["BE"],
                    "query": query,
                    "case_ref": "FR-2026-31",
                    "grounds": "Suspect of the attack investigated in FR-2026-31",
                    "emergency": emergency,
                },
                headers=piu_net.auth("FR", "analyst"),
            )
            return answer.json()

    found = run(ask({"family_name": "PEETERS", "date_of_birth": "1985-03-14"}, False))
    assert found["answers"][0]["status"] == "hit"
    assert found["answers"][0]["reference"].startswith("ref-")
    urgent = run(ask({"record_locator": "ASKED1"}, True))
    assert urgent["answers"][0]["status"] == "hit"
    missing = run(ask({"record_locator": "NOPE00"}, False))
    assert missing["answers"][0]["status"] == "no_hit"


def test_a_hit_on_an_unknown_node_is_marked_not_sent(piu_net: Net) -> None:
    fr = piu_net.nodes["FR"]
    open_threat_period(fr)
    node_watchlists(fr.state).publish(
        "alerts:MA", PersonRecord("MA:7", given_names="Karim", family_name="Ouali")
    )
    push(fr, rail_doc("PUSH02", given="Karim", family="Ouali"))

    async def scenario() -> Any:
        async with piu_net.running() as c:
            auth = piu_net.auth("FR", "analyst")
            hit_id = (await c["FR"].get("/api/v1/pnr/hits", headers=auth)).json()[0]["id"]
            await c["FR"].post(
                f"/api/v1/pnr/hits/{hit_id}/decision",
                json={"decision": "confirm", "reason": "Same person"},
                headers=auth,
            )
            return (await c["FR"].get("/api/v1/pnr/hits?status=confirmed", headers=auth)).json()

    (hit,) = run(scenario())
    assert hit["passed_to"].startswith("PIU MA (alert owner) — not sent: MA is not a registered")


def test_a_result_is_masked_and_erased_with_its_booking_on_both_nodes(piu_net: Net) -> None:
    fr, be = piu_net.nodes["FR"], piu_net.nodes["BE"]
    open_threat_period(fr)
    node_watchlists(fr.state).publish(
        "alerts:BE", PersonRecord("BE:A-9", given_names="Karim", family_name="Ouali")
    )
    push(fr, rail_doc("PUSH03", given="Karim", family="Ouali"))

    async def confirm() -> None:
        async with piu_net.running() as c:
            auth = piu_net.auth("FR", "analyst")
            hit_id = (await c["FR"].get("/api/v1/pnr/hits", headers=auth)).json()[0]["id"]
            await c["FR"].post(
                f"/api/v1/pnr/hits/{hit_id}/decision",
                json={"decision": "confirm", "reason": "Same person"},
                headers=auth,
            )

    def results() -> list[dict[str, Any]]:
        with be.session() as session:
            return exchange.received_results(session)

    def bodies_of(node: Any, direction: str) -> list[dict[str, Any] | None]:
        with node.session() as session:
            rows = session.scalars(
                select(Message).where(Message.type == "pnr.result", Message.direction == direction)
            ).all()
            return [
                json.loads(bodies.open_body(node.cipher, r))["payload"] if r.body else None
                for r in rows
            ]

    def run_retention() -> None:
        for node in (fr, be):
            retention.run(node.session, node.retention, node=node.code, now=node.clock.now())

    run(confirm())
    (result,) = results()
    assert "OUALI" in result["passenger"].upper() and not result["masked"]
    assert "OUALI" in (bodies_of(be, "in")[0] or {})["passenger"].upper()
    piu_net.clock.advance(rules.MASK_AFTER + timedelta(days=1))
    run_retention()
    (result,) = results()
    assert result["passenger"] is None and result["masked"]
    for node, direction in ((be, "in"), (fr, "out")):
        (body,) = bodies_of(node, direction)
        assert body is not None and body["passenger"] is None, node.code
        assert body["record_locator"] == "PUSH03"
    piu_net.clock.advance(rules.RETENTION - rules.MASK_AFTER - timedelta(days=1))  # deletion day
    run_retention()
    assert results() == []
    for node, direction in ((be, "in"), (fr, "out")):
        assert bodies_of(node, direction) == [None]  # the envelope stays, the body is gone
        with node.session() as session:
            assert audit.verify(session).ok
