"""Replies and messages are bound to the peer that signed them (issue #14, finding 2).

Three live nodes: FR asks, BE is the peer being impersonated, ES is a registered peer that turns
hostile. ES's node runs for real; its answers are rewritten on the way out and signed with ES's
own key, which is all a hostile peer has.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from passerelle.federation import keys, rules, signatures
from passerelle.federation.model import Answer, FollowupRequest, Message, Reference
from passerelle.privacy import AuditEntry
from tests.conftest import START
from tests.federation.conftest import Net

QUERY = {
    "kind": "vehicle",
    "case_ref": "FR-2026-0042",
    "purpose": "investigation of a terrorist offence",
    "legal_basis": "Prüm Decision 2008/615/JHA art. 12",
}

Forge = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


class Forger(httpx.AsyncBaseTransport):
    """ES as it answers: the real node processes the message, then the reply is rewritten and
    signed again with ES's key."""

    def __init__(self, net: Net, forge: Forge) -> None:
        self.real = net.mesh.apps["ES"]
        self.node = net.nodes["ES"]
        self.forge = forge

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.real.handle_async_request(request)
        await response.aread()
        sent = json.loads(request.content)
        body = json.dumps(self.forge(sent, json.loads(response.content))).encode()
        headers = signatures.signed_headers(
            keys.load(self.node.settings), keyid="ES", body=body, now=START, status=200
        )
        return httpx.Response(
            200, headers={**headers, "content-type": "application/json"}, content=body
        )


def _post_query(net: Net, c: dict[str, httpx.AsyncClient], peers: list[str], plate: str) -> Any:
    async def go() -> dict[str, Any]:
        r = await c["FR"].post(
            "/api/v1/federation/queries",
            json={**QUERY, "payload": {"plate": plate}, "peers": peers},
            headers=net.auth("FR", "analyst"),
        )
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()
        return data

    return go()


def _out_id(net: Net, code: str, to: str) -> str:
    with net.nodes[code].session() as session:
        return session.scalars(
            select(Message.message_id).where(Message.direction == "out", Message.peer == to)
        ).one()


def _audit(net: Net, code: str) -> list[AuditEntry]:
    with net.nodes[code].session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def patient(net: Net) -> None:
    """FR waits long enough for ES's (rewritten) answer on a loaded machine: a timeout would
    leave the reply unread, and these tests are about what FR does with it."""
    fr = net.nodes["FR"]
    fr.settings = fr.settings.with_(federation_timeout_seconds=30.0)


def _claims_be(be_id: str) -> Forge:
    # ES answers with BE's name, BE's pending message and a HIT BE never gave.
    return lambda sent, real: {
        **real,
        "sender": "BE",
        "in_reply_to": be_id,
        "payload": {"result": "hit", "reference": "ref-forged"},
        "handling": {"code": "H0"},
    }


def _query_from_be(be_id: str) -> Forge:
    # ES's "reply" is a query in BE's name: FR would search its records for BE.
    return lambda sent, real: {
        **real,
        "sender": "BE",
        "type": "query",
        "in_reply_to": sent["id"],
        "payload": {"kind": "vehicle", "query": {"plate": "AB-123-CD"}},
        "handling": {"code": "H0"},
    }


def _addressed_to_be(be_id: str) -> Forge:
    return lambda sent, real: {**real, "recipient": "BE"}


def _answers_another_message(be_id: str) -> Forge:
    # Signed by ES, in its own name, but answering the message FR sent to BE.
    return lambda sent, real: {**real, "in_reply_to": be_id}


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        (_claims_be, "claims to come from BE"),
        (_query_from_be, "claims to come from BE"),
        (_addressed_to_be, "addressed to BE"),
        (_answers_another_message, "does not answer the message"),
    ],
    ids=["claims-BE", "query-in-BE-s-name", "addressed-to-BE", "answers-BE-s-message"],
)
def test_a_reply_not_bound_to_its_signer_and_message_is_refused_and_audited(
    net: Net, forge: Callable[[str], Forge], reason: str
) -> None:
    patient(net)

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        async with net.running() as c:
            net.mesh.down.add("BE")
            first = await _post_query(net, c, ["BE"], "1-ABC-234")
            be_id = _out_id(net, "FR", "BE")
            net.mesh.apps["ES"] = Forger(net, forge(be_id))  # type: ignore[assignment]
            second = await _post_query(net, c, ["ES"], "1-ABC-234")
            again = await c["FR"].get(
                f"/api/v1/federation/queries/{first['id']}", headers=net.auth("FR", "analyst")
            )
            return first, second, again.json()

    first, second, first_later = asyncio.run(scenario())
    assert [a["status"] for a in first["answers"]] == ["unreachable"]
    # BE's answer is untouched: ES could not answer for BE.
    assert [(a["peer"], a["status"], a["reference"]) for a in first_later["answers"]] == [
        ("BE", "unreachable", None)
    ]
    es = second["answers"][0]
    assert (es["peer"], es["status"]) == ("ES", "unreachable")
    assert "reply refused" in es["detail"] and reason in es["detail"]
    entries = _audit(net, "FR")
    assert not [e for e in entries if e.actor == "peer:BE"]  # nothing done in BE's name
    refused = [e for e in entries if e.action == "refuse"]
    assert [(e.actor, e.outcome) for e in refused] == [("peer:ES", "denied")]
    details = json.loads(refused[0].details)
    assert details["refused"] == "reply" and reason in details["reason"]
    with net.nodes["FR"].session() as session:
        # Nothing of the refused reply was recorded: no incoming message, no reference for BE.
        assert session.scalars(select(Message).where(Message.direction == "in")).all() == []
        assert session.scalars(select(Reference)).all() == []
        answer = session.scalars(select(Answer).where(Answer.peer == "ES")).one()
        assert answer.reference is None
        failed = session.scalars(
            select(Message).where(Message.direction == "out", Message.peer == "ES")
        ).one()
        assert failed.status == "failed"  # asking again would bring the same reply back


def _signed_post(
    net: Net, c: dict[str, httpx.AsyncClient], signer: str, envelope: dict[str, Any]
) -> Any:
    body = json.dumps(envelope).encode()
    headers = signatures.signed_headers(
        keys.load(net.nodes[signer].settings),
        keyid=signer,
        body=body,
        now=START,
        method="POST",
        path=rules.INBOX_PATH,
    )
    return c["FR"].post(
        rules.INBOX_PATH, content=body, headers={**headers, "content-type": "application/json"}
    )


def _envelope(sender: str, message_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": message_id,
        "sender": sender,
        "recipient": "FR",
        "created_at": START.isoformat(),
        "type": "query",
        "purpose": "investigation of a terrorist offence",
        "legal_basis": "Prüm Decision 2008/615/JHA art. 12",
        "case_ref": f"{sender}-2026-1",
        "payload": {"kind": "vehicle", "query": {"plate": "AB-123-CD"}},
        "handling": {"code": "H0"},
        **changes,
    }


def test_replay_is_keyed_by_signer_so_reusing_a_peers_message_id_gets_nothing_of_its_reply(
    net: Net,
) -> None:
    async def scenario() -> tuple[dict[str, Any], httpx.Response, httpx.Response]:
        async with net.running() as c:
            r = await c["BE"].post(
                "/api/v1/federation/queries",
                json={**QUERY, "payload": {"plate": "AB-123-CD"}, "peers": ["FR"]},
                headers=net.auth("BE", "analyst"),
            )
            assert r.status_code == 200, r.text
            be_id = _out_id(net, "BE", "FR")
            reused = await _signed_post(net, c, "ES", _envelope("ES", be_id))
            replayed = await _signed_post(net, c, "ES", _envelope("ES", be_id))
            return r.json(), reused, replayed

    be_result, reused, replayed = asyncio.run(scenario())
    be_reference = be_result["answers"][0]["reference"]
    assert be_reference.startswith("ref-")
    # ES's message with BE's id is a new message from ES, answered to ES alone.
    assert reused.status_code == 200, reused.text
    assert reused.json()["recipient"] == "ES"
    assert be_reference not in reused.text
    # ES sending it again is a replay of ES's own message, answered with ES's own reply.
    assert replayed.status_code == 409
    assert replayed.json()["details"]["reply"] == reused.json()
    assert be_reference not in replayed.text
    refused = [e for e in _audit(net, "FR") if e.action == "refuse"]
    assert [(e.actor, json.loads(e.details)["error"]) for e in refused] == [("peer:ES", "replay")]


def test_a_message_in_another_peers_name_is_refused_and_audited_as_its_signer(net: Net) -> None:
    async def scenario() -> list[httpx.Response]:
        async with net.running() as c:
            return [
                await _signed_post(net, c, "ES", _envelope("BE", str(uuid.uuid4()))),
                await _signed_post(
                    net, c, "ES", _envelope("ES", str(uuid.uuid4()), recipient="BE")
                ),
            ]

    posed, elsewhere = asyncio.run(scenario())
    assert posed.status_code == elsewhere.status_code == 403
    refused = [e for e in _audit(net, "FR") if e.action == "refuse"]
    assert [e.actor for e in refused] == ["peer:ES", "peer:ES"]
    assert not [e for e in _audit(net, "FR") if e.actor == "peer:BE"]


def _followup(sender: str, request_id: str) -> dict[str, Any]:
    return _envelope(
        sender,
        str(uuid.uuid4()),
        type="followup.request",
        payload={"request_id": request_id, "kind": "vehicle", "reference": "ref-x"},
    )


def test_a_followup_request_id_must_be_a_uuid_and_cannot_take_another_peers(net: Net) -> None:
    taken = str(uuid.uuid4())

    async def scenario() -> list[httpx.Response]:
        async with net.running() as c:
            return [
                await _signed_post(net, c, "ES", _followup("ES", "../../admin")),
                await _signed_post(net, c, "ES", _followup("ES", taken)),
                await _signed_post(net, c, "BE", _followup("BE", taken)),
            ]

    traversal, first, reused = asyncio.run(scenario())
    assert traversal.status_code == 422
    assert "UUID" in traversal.json()["message"]
    assert first.status_code == 200, first.text
    assert reused.status_code == 409
    assert reused.json()["error"] == "conflict"  # not mistaken for a replay of BE's message
    with net.nodes["FR"].session() as session:
        rows = session.scalars(
            select(FollowupRequest).where(FollowupRequest.direction == "in")
        ).all()
    assert [(r.request_id, r.peer) for r in rows] == [(taken, "ES")]


def test_an_inbox_message_may_only_answer_what_this_node_sent_to_its_signer(net: Net) -> None:
    async def scenario() -> httpx.Response:
        async with net.running() as c:
            net.mesh.down.add("BE")
            await _post_query(net, c, ["BE"], "1-ABC-234")
            be_id = _out_id(net, "FR", "BE")
            late_answer = _envelope(
                "ES",
                str(uuid.uuid4()),
                type="query.answer",
                in_reply_to=be_id,
                payload={"result": "hit", "reference": "ref-forged"},
            )
            return await _signed_post(net, c, "ES", late_answer)

    answered = asyncio.run(scenario())
    assert answered.status_code == 403
    assert "sent no message" in answered.json()["message"]
    with net.nodes["FR"].session() as session:
        assert session.scalars(select(Message).where(Message.direction == "in")).all() == []
