"""Queries and follow-up requests between three in-process nodes (FR, BE, ES)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import ValidationFailed
from passerelle.federation import bodies, delivery, dispatch, kinds, outbox
from passerelle.federation import envelope as env
from passerelle.federation.model import Answer, FollowupRequest, Message, Reference
from passerelle.federation.schemas import Envelope, Handling
from passerelle.node import Node
from passerelle.privacy import AuditEntry, audit
from tests.federation.conftest import PLATES, VEHICLE_BASIS, Net, short_timeout

QUERY = {
    "kind": "vehicle",
    "payload": {"plate": "1-ABC-234"},
    "case_ref": "FR-2026-0042",
    "purpose": "investigation of a terrorist offence",
    "legal_basis": "Prüm Decision 2008/615/JHA art. 12",
}
ASK = {
    "case_ref": "FR-2026-0042",
    "purpose": "investigation of a terrorist offence",
    "legal_basis": "Directive (EU) 2023/977 art. 4",
}
APPROVE = {
    "fields": ["make", "holder"],
    "handling": {"code": "H3", "text": "Not to be shared with third countries."},
    "evaluation": {"source": "B", "information": "2"},
}


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def _entries(net: Net, code: str, object_type: str) -> list[AuditEntry]:
    with net.nodes[code].session() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == object_type)
                .order_by(AuditEntry.seq)
            )
        )


def _answers(result: dict[str, Any]) -> dict[str, str]:
    return {a["peer"]: a["status"] for a in result["answers"]}


async def _query(net: Net, c: dict[str, httpx.AsyncClient], **changes: Any) -> dict[str, Any]:
    r = await c["FR"].post(
        "/api/v1/federation/queries", json={**QUERY, **changes}, headers=net.auth("FR", "analyst")
    )
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def test_query_to_all_peers_answers_hit_with_opaque_reference_or_no_hit(any_net: Net) -> None:
    async def scenario() -> dict[str, Any]:
        async with any_net.running() as c:
            return await _query(any_net, c)

    result = run(scenario())
    assert _answers(result) == {"BE": "hit", "ES": "no_hit"}
    assert result["complete"] is True
    be = next(a for a in result["answers"] if a["peer"] == "BE")
    assert be["reference"].startswith("ref-") and "1-ABC-234" not in be["reference"]
    assert be["handling"] == {"code": "H0", "text": None}
    # Each peer audited the search it ran for FR; FR audited what it disclosed.
    assert [e.outcome for e in _entries(any_net, "BE", "federation.query")] == ["hit"]
    assert [e.outcome for e in _entries(any_net, "ES", "federation.query")] == ["no_hit"]
    assert [e.action for e in _entries(any_net, "FR", "federation.query")] == ["disclose"]


def test_query_to_one_peer_only_reaches_that_peer(net: Net) -> None:
    async def scenario() -> dict[str, Any]:
        async with net.running() as c:
            return await _query(net, c, peers=["ES"])

    assert _answers(run(scenario())) == {"ES": "no_hit"}
    assert net.mesh.posts == ["ES"]


def test_unreachable_peer_gives_a_partial_result_completed_when_it_returns(net: Net) -> None:
    net.mesh.down.add("ES")

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        async with net.running() as c:
            first = await _query(net, c)
            net.mesh.down.clear()
            net.clock.advance(timedelta(seconds=5))
            await delivery.deliver_due(net.nodes["FR"], net.apps["FR"].state.federation_client)
            r = await c["FR"].get(
                f"/api/v1/federation/queries/{first['id']}", headers=net.auth("FR", "analyst")
            )
            return first, r.json()

    first, later = run(scenario())
    assert _answers(first) == {"BE": "hit", "ES": "unreachable"}
    assert first["complete"] is False
    assert _answers(later) == {"BE": "hit", "ES": "no_hit"}
    assert later["complete"] is True


def test_slow_peer_times_out_and_its_late_answer_is_recorded_once(any_net: Net) -> None:
    short_timeout(any_net)
    any_net.mesh.delay["BE"] = 60  # FR's per-peer timeout is 5 s

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        async with any_net.running() as c:
            first = await _query(any_net, c)
            any_net.mesh.delay.clear()
            any_net.clock.advance(timedelta(seconds=11))  # past the lease (2 × the timeout)
            await delivery.deliver_due(
                any_net.nodes["FR"], any_net.apps["FR"].state.federation_client
            )
            r = await c["FR"].get(
                f"/api/v1/federation/queries/{first['id']}", headers=any_net.auth("FR", "analyst")
            )
            return first, r.json()

    first, later = run(scenario())
    assert _answers(first) == {"BE": "timeout", "ES": "no_hit"}
    assert "did not answer within 5 s" in next(
        a["detail"] for a in first["answers"] if a["peer"] == "BE"
    )
    assert _answers(later)["BE"] == "hit"
    # BE processed the query once although it was delivered twice: the second delivery was
    # refused as a replay (409) carrying the first answer, which FR recorded.
    assert len(_entries(any_net, "BE", "federation.query")) == 1
    refused = _entries(any_net, "BE", "federation.message")
    assert [(e.action, json.loads(e.details)["error"]) for e in refused] == [("refuse", "replay")]


def test_unknown_kind_is_an_error_not_a_no_hit(net: Net) -> None:
    async def scenario() -> dict[str, Any]:
        async with net.running() as c:
            return await _query(net, c, kind="spaceship")

    result = run(scenario())
    assert _answers(result) == {"BE": "error", "ES": "error"}
    assert "not searchable" in result["answers"][0]["detail"]


def test_query_naming_an_unknown_peer_is_refused(net: Net) -> None:
    async def scenario() -> httpx.Response:
        async with net.running() as c:
            return await c["FR"].post(
                "/api/v1/federation/queries",
                json={**QUERY, "peers": ["NL"]},
                headers=net.auth("FR", "analyst"),
            )

    r = run(scenario())
    assert r.status_code == 422
    assert "NL" in r.json()["message"]


# --- a kind's hooks: extra fields in a HIT, on_hit on the peer, on_answer on the requester -----


def _search_telling_the_colour(query: Mapping[str, Any], node: Node) -> kinds.SearchResult:
    """The vehicle search, adding the colour to a HIT; it offers a colour with a miss too, which
    federation must not send."""
    record = PLATES[node.code].get(str(query.get("plate", "")))
    if record is None:
        return kinds.SearchResult(False, extra={"colour": "none"})
    return kinds.SearchResult(True, record["plate"], extra={"colour": record["colour"]})


def _fetch_vehicle(internal_ref: str, node: Node) -> dict[str, str]:
    return dict(PLATES[node.code].get(internal_ref, {}))


def _audit_hit(session: Session, node: Node, message: Envelope, ref: Reference) -> None:
    """on_hit: the peer notes which query each reference it handed out answered."""
    node.audit(
        session,
        dispatch.peer_actor(message),
        action="write",
        object_type="vehicle.hit",
        object_id=ref.token,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        details={"query": message.id},
    )


def _audit_answer(session: Session, node: Node, message: Envelope, answer: Answer) -> None:
    """on_answer: the requester notes each answer with the colour a HIT told it."""
    node.audit(
        session,
        dispatch.peer_actor(message),
        action="write",
        object_type="vehicle.answer",
        object_id=answer.query_id,
        purpose=message.purpose,
        legal_basis=message.legal_basis,
        outcome=answer.status,
        details={"peer": answer.peer, "colour": message.payload.get("colour")},
    )


def _with_hooks(on_answer: kinds.OnAnswer = _audit_answer) -> None:
    kinds.register_kind(
        "vehicle",
        _search_telling_the_colour,
        _fetch_vehicle,
        on_hit=_audit_hit,
        on_answer=on_answer,
        replace=True,
        legal_basis=VEHICLE_BASIS,
    )


def _received_payloads(net: Net) -> dict[str, dict[str, Any]]:
    """The payload of each query answer FR recorded, by peer, as the peer signed it."""
    with net.nodes["FR"].session() as session:
        rows = session.scalars(
            select(Message).where(Message.direction == "in", Message.type == "query.answer")
        )
        node = net.nodes["FR"]
        return {r.peer: json.loads(bodies.open_body(node.cipher, r))["payload"] for r in rows}


def _noted_answers(net: Net) -> list[tuple[str, str, str, str | None]]:
    """What FR's on_answer wrote: (query id, peer, status, colour), one per answer recorded."""
    noted = []
    for entry in _entries(net, "FR", "vehicle.answer"):
        details = json.loads(entry.details)
        noted.append((entry.object_id, details["peer"], entry.outcome, details["colour"]))
    return sorted(noted)


def test_a_kinds_extra_fields_go_with_a_hit_and_never_with_a_no_hit(net: Net) -> None:
    _with_hooks()

    async def scenario() -> dict[str, Any]:
        async with net.running() as c:
            return await _query(net, c)

    result = run(scenario())
    assert _answers(result) == {"BE": "hit", "ES": "no_hit"}
    reference = next(a["reference"] for a in result["answers"] if a["peer"] == "BE")
    assert _received_payloads(net) == {
        "BE": {"result": "hit", "reference": reference, "colour": "blue"},
        "ES": {"result": "no_hit"},
    }
    assert _noted_answers(net) == [
        (result["id"], "BE", "hit", "blue"),
        (result["id"], "ES", "no_hit", None),
    ]
    # on_hit ran where the HIT was answered, for the reference the requester got.
    assert [e.object_id for e in _entries(net, "BE", "vehicle.hit")] == [reference]
    assert _entries(net, "ES", "vehicle.hit") == []


@pytest.mark.parametrize("key", sorted(kinds.RESERVED_ANSWER_KEYS))
def test_extra_fields_may_not_overwrite_what_federation_puts_in_an_answer(key: str) -> None:
    with pytest.raises(ValidationFailed, match=f"may not use {key}"):
        kinds.SearchResult(True, "AB-123-CD", extra={key: "forged"})


def test_extra_fields_must_be_json() -> None:
    with pytest.raises(ValidationFailed, match="JSON values"):
        kinds.SearchResult(True, "AB-123-CD", extra={"seen": timedelta(hours=1)})


def test_a_kind_that_tries_to_forge_the_reference_answers_an_error_not_a_hit(net: Net) -> None:
    def forging(query: Mapping[str, Any], node: Node) -> kinds.SearchResult:
        return kinds.SearchResult(True, "1-ABC-234", extra={"reference": "1-ABC-234"})

    kinds.register_kind("vehicle", forging, _fetch_vehicle, replace=True, legal_basis=VEHICLE_BASIS)

    async def scenario() -> dict[str, Any]:
        async with net.running() as c:
            return await _query(net, c, peers=["BE"])

    (answer,) = run(scenario())["answers"]
    assert (answer["status"], answer["reference"]) == ("error", None)
    assert answer["detail"] == "the search failed on the requested node"
    with net.nodes["BE"].session() as session:
        assert session.scalars(select(Reference)).all() == []


def _answer_again(net: Net, query_id: str) -> None:
    """BE sends FR a second, different answer to the query it already answered."""
    be = net.nodes["BE"]
    with net.nodes["FR"].session() as session:
        asked = session.scalars(
            select(Answer).where(Answer.query_id == query_id, Answer.peer == "BE")
        ).one()
    with be.session() as session:
        message = env.make(
            be,
            recipient="FR",
            type="query.answer",
            purpose=QUERY["purpose"],
            legal_basis=QUERY["legal_basis"],
            case_ref=QUERY["case_ref"],
            in_reply_to=asked.message_id,
            handling=Handling(code="H0"),
            payload={"result": "hit", "reference": "ref-second", "colour": "red"},
        )
        outbox.enqueue(session, message, now=be.clock.now(), cipher=be.cipher)


def test_on_answer_runs_once_per_answer_also_for_a_late_one(net: Net) -> None:
    _with_hooks()
    short_timeout(net)
    net.mesh.delay["BE"] = 60  # FR's per-peer timeout is 5 s

    async def scenario() -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
        async with net.running() as c:
            first = await _query(net, c)
            noted_before = _noted_answers(net)
            net.mesh.delay.clear()
            net.clock.advance(timedelta(seconds=11))  # past the lease (2 × the timeout)
            await delivery.deliver_due(net.nodes["FR"], net.apps["FR"].state.federation_client)
            _answer_again(net, first["id"])
            delivered = await delivery.deliver_due(
                net.nodes["BE"], net.apps["BE"].state.federation_client
            )
            assert delivered == 1  # FR's inbox took it
            r = await c["FR"].get(
                f"/api/v1/federation/queries/{first['id']}", headers=net.auth("FR", "analyst")
            )
            return first, noted_before, r.json()

    first, noted_before, later = run(scenario())
    assert _answers(first) == {"BE": "timeout", "ES": "no_hit"}
    assert noted_before == [(first["id"], "ES", "no_hit", None)]  # a timeout is no answer
    # The late answer ran the hook; BE's second answer changed nothing and ran nothing.
    assert next(a["reference"] for a in later["answers"] if a["peer"] == "BE") != "ref-second"
    assert _noted_answers(net) == [
        (first["id"], "BE", "hit", "blue"),
        (first["id"], "ES", "no_hit", None),
    ]
    assert len(_entries(net, "BE", "vehicle.hit")) == 1  # BE answered the query once


def test_on_answer_commits_with_the_answer_or_not_at_all(net: Net) -> None:
    failures = ["BE"]

    def failing_once(session: Session, node: Node, message: Envelope, answer: Answer) -> None:
        _audit_answer(session, node, message, answer)
        if answer.peer in failures:
            failures.remove(answer.peer)
            raise RuntimeError("the kind's own table is locked")

    _with_hooks(on_answer=failing_once)

    async def scenario() -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
        async with net.running() as c:
            first = await _query(net, c)
            noted_before = _noted_answers(net)
            net.clock.advance(timedelta(seconds=5))
            await delivery.deliver_due(net.nodes["FR"], net.apps["FR"].state.federation_client)
            r = await c["FR"].get(
                f"/api/v1/federation/queries/{first['id']}", headers=net.auth("FR", "analyst")
            )
            return first, noted_before, r.json()

    first, noted_before, later = run(scenario())
    # BE's answer and the hook's write were rolled back together; the message was retried.
    assert _answers(first) == {"BE": "unreachable", "ES": "no_hit"}
    assert "reply not processed" in next(a["detail"] for a in first["answers"] if a["peer"] == "BE")
    assert noted_before == [(first["id"], "ES", "no_hit", None)]
    assert _answers(later) == {"BE": "hit", "ES": "no_hit"}
    assert _noted_answers(net) == [
        (first["id"], "BE", "hit", "blue"),
        (first["id"], "ES", "no_hit", None),
    ]


async def _hit_and_ask(net: Net, c: dict[str, httpx.AsyncClient]) -> dict[str, Any]:
    result = await _query(net, c)
    be = next(a for a in result["answers"] if a["peer"] == "BE")
    r = await c["FR"].post(
        "/api/v1/federation/followups",
        json={"query_id": result["id"], "peer": "BE", "reference": be["reference"], **ASK},
        headers=net.auth("FR", "analyst"),
    )
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def test_followup_approved_on_the_peer_returns_the_chosen_fields_signed(any_net: Net) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
        async with any_net.running() as c:
            asked = await _hit_and_ask(any_net, c)
            sup = any_net.auth("BE", "supervisor")
            incoming = (
                await c["BE"].get("/api/v1/federation/followups?direction=in", headers=sup)
            ).json()
            assert [i["status"] for i in incoming] == ["pending"]
            fields = (
                await c["BE"].get(f"/api/v1/federation/followups/{asked['id']}/fields", headers=sup)
            ).json()
            r = await c["BE"].post(
                f"/api/v1/federation/followups/{asked['id']}/approve", json=APPROVE, headers=sup
            )
            assert r.status_code == 200, r.text
            got = await c["FR"].get(
                f"/api/v1/federation/followups/{asked['id']}", headers=any_net.auth("FR", "analyst")
            )
            return asked, fields, got.json()

    asked, fields, got = run(scenario())
    assert asked["status"] == "pending"  # delivered and acknowledged by BE
    assert fields["holder"] == "Jan PEETERS"
    assert got["status"] == "approved"
    assert {i["field"]: i["value"] for i in got["items"]} == {
        "make": "Volkswagen",
        "holder": "Jan PEETERS",
    }
    assert all(i["handling"]["code"] == "H3" for i in got["items"])
    assert all(i["evaluation"] == {"source": "B", "information": "2"} for i in got["items"])
    # Both nodes audited every step, and their chains verify.
    be_steps = [(e.action, e.outcome) for e in _entries(any_net, "BE", "federation.followup")]
    # received, data read to decide, released, and the release shown back to the supervisor
    assert be_steps == [
        ("follow-up request received", "pending"),
        ("read", "ok"),
        ("disclose", "approved"),
        ("read", "ok"),
    ]
    fr_steps = [(e.action, e.outcome) for e in _entries(any_net, "FR", "federation.followup")]
    assert fr_steps == [
        ("disclose", "ok"),
        ("follow-up answer received", "approved"),
        ("read", "ok"),
    ]
    for node in any_net.nodes.values():
        with node.session() as session:
            assert audit.verify(session).ok


def test_followup_refused_returns_the_reason(net: Net) -> None:
    async def scenario() -> dict[str, Any]:
        async with net.running() as c:
            asked = await _hit_and_ask(net, c)
            r = await c["BE"].post(
                f"/api/v1/federation/followups/{asked['id']}/refuse",
                json={"reason": "No national legal basis for this purpose."},
                headers=net.auth("BE", "supervisor"),
            )
            assert r.status_code == 200, r.text
            again = await c["BE"].post(
                f"/api/v1/federation/followups/{asked['id']}/approve",
                json=APPROVE,
                headers=net.auth("BE", "supervisor"),
            )
            assert again.status_code == 409
            got = await c["FR"].get(
                f"/api/v1/federation/followups/{asked['id']}", headers=net.auth("FR", "analyst")
            )
            return got.json()

    got = run(scenario())
    assert got["status"] == "refused"
    assert got["reason"] == "No national legal basis for this purpose."
    assert got["items"] == []
    assert [e.action for e in _entries(net, "BE", "federation.followup")][-1] == "refuse"


def test_only_a_supervisor_decides_and_only_an_analyst_asks(net: Net) -> None:
    async def scenario() -> tuple[int, int]:
        async with net.running() as c:
            asked = await _hit_and_ask(net, c)
            by_analyst = await c["BE"].post(
                f"/api/v1/federation/followups/{asked['id']}/approve",
                json=APPROVE,
                headers=net.auth("BE", "analyst"),
            )
            by_dpo = await c["FR"].post(
                "/api/v1/federation/queries", json=QUERY, headers=net.auth("FR", "dpo")
            )
            return by_analyst.status_code, by_dpo.status_code

    assert run(scenario()) == (403, 403)


def test_followup_needs_a_hit_with_that_reference(net: Net) -> None:
    async def scenario() -> httpx.Response:
        async with net.running() as c:
            result = await _query(net, c)
            return await c["FR"].post(
                "/api/v1/federation/followups",
                json={"query_id": result["id"], "peer": "ES", "reference": "ref-guess", **ASK},
                headers=net.auth("FR", "analyst"),
            )

    assert run(scenario()).status_code == 422


def test_followup_to_a_peer_that_is_down_is_delivered_when_it_returns(any_net: Net) -> None:
    async def scenario() -> tuple[dict[str, Any], list[str]]:
        async with any_net.running() as c:
            result = await _query(any_net, c)
            be = next(a for a in result["answers"] if a["peer"] == "BE")
            any_net.mesh.down.add("BE")
            r = await c["FR"].post(
                "/api/v1/federation/followups",
                json={"query_id": result["id"], "peer": "BE", "reference": be["reference"], **ASK},
                headers=any_net.auth("FR", "analyst"),
            )
            queued = r.json()
            client = any_net.apps["FR"].state.federation_client
            # Back-off: not retried before it is due, whatever the worker does.
            assert await delivery.deliver_due(any_net.nodes["FR"], client) == 0
            any_net.clock.advance(timedelta(seconds=1))
            assert await delivery.deliver_due(any_net.nodes["FR"], client) == 0  # still down
            any_net.mesh.down.clear()
            any_net.clock.advance(timedelta(seconds=2))
            assert await delivery.deliver_due(any_net.nodes["FR"], client) == 1
            incoming = await c["BE"].get(
                "/api/v1/federation/followups?direction=in",
                headers=any_net.auth("BE", "supervisor"),
            )
            return queued, [i["id"] for i in incoming.json()]

    queued, incoming = run(scenario())
    assert queued["status"] == "queued"
    assert incoming == [queued["id"]]
    with any_net.nodes["FR"].session() as session:
        row = session.scalars(
            select(FollowupRequest).where(FollowupRequest.direction == "out")
        ).one()
        assert row.status == "pending"
        msg = session.scalars(select(Message).where(Message.type == "followup.request")).one()
        assert (msg.status, msg.attempts) == ("delivered", 3)


def test_deadline_is_tracked_per_kind_and_shown_overdue(net: Net) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        async with net.running() as c:
            asked = await _hit_and_ask(net, c)
            net.clock.advance(timedelta(days=8))
            r = await c["FR"].get(
                f"/api/v1/federation/followups/{asked['id']}", headers=net.auth("FR", "analyst")
            )
            return asked, r.json()

    asked, later = run(scenario())
    # vehicle has no specific deadline: Directive (EU) 2023/977 art. 5(1)(c), 7 days.
    assert asked["due_at"].startswith("2026-03-09T09:00")
    assert asked["overdue"] is False
    assert later["overdue"] is True


def test_urgent_followup_is_due_in_eight_hours_or_three_days(net: Net) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
        async with net.running() as c:
            result = await _query(net, c)
            be = next(a for a in result["answers"] if a["peer"] == "BE")
            asked = []
            for direct in (True, False):
                r = await c["FR"].post(
                    "/api/v1/federation/followups",
                    json={
                        "query_id": result["id"],
                        "peer": "BE",
                        "reference": be["reference"],
                        "urgent": True,
                        "directly_accessible": direct,
                        **ASK,
                    },
                    headers=net.auth("FR", "analyst"),
                )
                asked.append(r.json())
            theirs = await c["BE"].get(
                "/api/v1/federation/followups", headers=net.auth("BE", "supervisor")
            )
            return asked[0], asked[1], theirs.json()

    direct, indirect, theirs = run(scenario())
    assert direct["due_at"].startswith("2026-03-02T17:00")  # art. 5(1)(a): 8 hours
    assert indirect["due_at"].startswith("2026-03-05T09:00")  # art. 5(1)(b): 3 calendar days
    received = sorted(r["due_at"][:16] for r in theirs if r["direction"] == "in")
    assert received == ["2026-03-02T17:00", "2026-03-05T09:00"]  # the peer tracks the same


def test_every_kind_names_the_legal_basis_it_travels_under(net: Net) -> None:
    async def scenario() -> list[dict[str, str]]:
        async with net.running() as c:
            r = await c["FR"].get("/api/v1/federation/kinds", headers=net.auth("FR", "analyst"))
            data: list[dict[str, str]] = r.json()
            return data

    listed = {k["kind"]: k["legal_basis"] for k in run(scenario())}
    assert listed["vehicle"] == VEHICLE_BASIS
    assert "2008/615/JHA" in listed["dna"] and "2016/681" in listed["pnr"]
    assert all(listed.values())
    with pytest.raises(ValidationFailed, match="legal basis"):
        kinds.register_kind("unbased", _search_telling_the_colour, _fetch_vehicle)


def test_case_history_lists_every_message_both_ways(net: Net) -> None:
    async def scenario() -> list[dict[str, Any]]:
        async with net.running() as c:
            asked = await _hit_and_ask(net, c)
            await c["BE"].post(
                f"/api/v1/federation/followups/{asked['id']}/approve",
                json=APPROVE,
                headers=net.auth("BE", "supervisor"),
            )
            r = await c["FR"].get(
                "/api/v1/federation/cases/FR-2026-0042/messages", headers=net.auth("FR", "dpo")
            )
            data: list[dict[str, Any]] = r.json()
            return data

    history = [(m["direction"], m["peer"], m["type"]) for m in run(scenario())]
    # BE and ES answer concurrently: their answers may arrive in either order.
    assert sorted(history[2:4]) == [("in", "BE", "query.answer"), ("in", "ES", "query.answer")]
    assert history[:2] + history[4:] == [
        ("out", "BE", "query"),
        ("out", "ES", "query"),
        ("out", "BE", "followup.request"),
        ("in", "BE", "ack"),
        ("in", "BE", "followup.answer"),
        ("out", "BE", "ack"),
    ]


def test_envelope_on_the_wire_carries_the_required_fields(net: Net) -> None:
    async def scenario() -> None:
        async with net.running() as c:
            await _query(net, c, peers=["BE"])

    run(scenario())
    with net.nodes["BE"].session() as session:
        row = session.scalars(select(Message).where(Message.direction == "in")).one()
        assert row.body is not None
        raw = bodies.open_body(net.nodes["BE"].cipher, row)
        # encrypted at rest: no JSON of the body on disk ("FR" alone can occur in a ciphertext)
        assert raw not in row.body and '"sender"' not in row.body and "query" not in row.body
        assert row.body_hash == bodies.digest(raw)  # the envelope keeps the body's hash
        body = json.loads(raw)
        reply = json.loads(row.reply or "{}")
    assert {
        "id",
        "sender",
        "recipient",
        "created_at",
        "type",
        "purpose",
        "legal_basis",
        "case_ref",
        "payload",
    } <= set(body)
    assert (body["sender"], body["recipient"], body["type"]) == ("FR", "BE", "query")
    assert body["handling"] == {"code": "H0", "text": None}  # the criteria are data too
    assert reply["in_reply_to"] == body["id"]
    assert reply["handling"]["code"] == "H0"
