"""Queries and follow-ups under the sharing policy table, between in-process nodes (issue #15):
enforced where a message would leave (send) and where a peer's request arrives (receive)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from passerelle.errors import ValidationFailed
from passerelle.federation import policies
from passerelle.federation.model import Message
from passerelle.privacy import AuditEntry, audit
from tests.federation.conftest import Net
from tests.federation.test_exchange import APPROVE, ASK, QUERY


def _set(net: Net, code: str, message_type: str, peer: str, policy: str) -> None:
    node = net.nodes[code]
    with node.session() as session:
        policies.set_policy(
            session, node, audit.Actor("admin", code), message_type, peer, policy, "test case"
        )


async def _post(net: Net, c: dict[str, httpx.AsyncClient], path: str, **body: Any) -> Any:
    return await c["FR"].post(path, json=body, headers=net.auth("FR", "analyst"))


def test_protocol_types_are_listed_with_the_defaults_the_issue_names(net: Net) -> None:
    with net.nodes["FR"].session() as session:
        listed = {(p.message_type, p.peer): p for p in policies.listing(session)}
    answer = listed[("query.answer", "BE")]
    assert (answer.policy, answer.carries_personal_data, answer.decided) == (
        "automatic",
        False,
        True,
    )
    assert "2008/615/JHA" in answer.source
    assert listed[("query", "BE")].carries_personal_data
    assert listed[("followup.answer", "BE")].policy == "approval"
    assert listed[("followup.request", "ES")].policy == "automatic"
    with net.nodes["FR"].session() as session, pytest.raises(ValidationFailed, match="one of"):
        policies.set_policy(
            session, net.nodes["FR"], audit.SYSTEM, "query", "BE", "approval", "no waiting"
        )


def test_query_never_towards_a_peer_is_refused_named_and_skipped_when_asking_all(
    net: Net,
) -> None:
    _set(net, "FR", "query", "BE", "never")

    async def scenario() -> tuple[httpx.Response, dict[str, Any]]:
        async with net.running() as c:
            named = await _post(net, c, "/api/v1/federation/queries", **QUERY, peers=["BE"])
            every = await _post(net, c, "/api/v1/federation/queries", **QUERY)
            return named, every.json()

    named, every = asyncio.run(scenario())
    assert named.status_code == 403
    assert "sharing policy of query towards BE is never" in named.json()["message"]
    assert [a["peer"] for a in every["answers"]] == ["ES"]
    assert net.mesh.posts == ["ES"]  # nothing left FR for BE
    with net.nodes["FR"].session() as session:
        disclosed = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "federation.query")
        ).all()
    assert [e.details for e in disclosed if "not_asked_by_policy" in e.details] != []


def test_a_peer_whose_answers_are_never_gets_an_error_not_a_search(net: Net) -> None:
    _set(net, "BE", "query.answer", "FR", "never")

    async def scenario() -> dict[str, Any]:
        async with net.running() as c:
            r = await _post(net, c, "/api/v1/federation/queries", **QUERY)
            return dict(r.json())

    result = asyncio.run(scenario())
    be = next(a for a in result["answers"] if a["peer"] == "BE")
    assert be["status"] == "error" and be["reference"] is None
    assert "sharing policy of query.answer: never" in be["detail"]
    with net.nodes["BE"].session() as session:
        (searched,) = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "federation.query")
        ).all()
    assert searched.outcome == "error"  # the plate that BE holds was not searched


def test_followup_never_is_refused_on_send_on_arrival_and_on_approval(net: Net) -> None:
    async def ask(c: dict[str, httpx.AsyncClient]) -> tuple[dict[str, Any], httpx.Response]:
        result = (await _post(net, c, "/api/v1/federation/queries", **QUERY)).json()
        be = next(a for a in result["answers"] if a["peer"] == "BE")
        r = await _post(
            net,
            c,
            "/api/v1/federation/followups",
            query_id=result["id"],
            peer="BE",
            reference=be["reference"],
            **ASK,
        )
        return result, r

    async def scenario() -> tuple[int, dict[str, Any], httpx.Response]:
        async with net.running() as c:
            _set(net, "FR", "followup.request", "BE", "never")
            _, on_send = await ask(c)
            _set(net, "FR", "followup.request", "BE", "automatic")
            _set(net, "BE", "followup.answer", "FR", "never")
            _, on_arrival = await ask(c)
            _set(net, "BE", "followup.answer", "FR", "approval")
            _, accepted = await ask(c)
            _set(net, "BE", "followup.answer", "FR", "never")
            approve = await c["BE"].post(
                f"/api/v1/federation/followups/{accepted.json()['id']}/approve",
                json=APPROVE,
                headers=net.auth("BE", "supervisor"),
            )
            return on_send.status_code, on_arrival.json(), approve

    on_send, on_arrival, approve = asyncio.run(scenario())
    assert on_send == 403
    assert on_arrival["status"] == "queued"  # refused by BE: FR's outbox says why
    with net.nodes["FR"].session() as session:
        refused = session.scalars(
            select(Message).where(Message.type == "followup.request", Message.status == "failed")
        ).one()
    assert "sharing policy of followup.answer: never" in (refused.last_error or "")
    assert refused.next_attempt_at is None  # permanent: not retried
    assert approve.status_code == 403
    assert "release follow-up data" in approve.json()["message"]
