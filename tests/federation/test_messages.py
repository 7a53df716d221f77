"""Domain message types: a test type ``test.note`` registered like a domain would, sent between
FR and BE through the mesh under each sharing policy, stored by its handler in the inbox's
transaction, and its body erased or masked when the clock passes its retention."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.errors import Unavailable, ValidationFailed
from passerelle.federation import approvals, bodies, messages, policies
from passerelle.federation.model import Message
from passerelle.node import Node
from passerelle.privacy import AuditEntry, audit, retention
from tests.federation.conftest import Net

HELD: set[str] = set()
FAIL_ONCE: list[bool] = []


class Note(BaseModel):
    note_id: str
    text: str
    secret: str | None = None
    erase_on: datetime | None = None


def _store(session: Session, node: Node, received: federation.Received) -> dict[str, Any]:
    note = received.payload
    assert isinstance(note, Note)
    node.audit(  # the handler's own write: commits with the message or not at all
        session,
        audit.Actor(f"peer:{received.sender}", received.sender),
        action="write",
        object_type="test.note.stored",
        object_id=note.note_id,
        purpose="test",
        legal_basis="test",
    )
    if note.text == "refuse":
        raise ValidationFailed("this node takes no such note")
    if FAIL_ONCE:
        FAIL_ONCE.pop()
        raise Unavailable("the store failed after the handler wrote")
    return {"note_id": note.note_id}


def _held(session: Session, references: Sequence[str]) -> set[str]:
    return {r for r in references if r in HELD}


def _mask(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "secret": None if payload.get("secret") is None else "***"}


@pytest.fixture(autouse=True)
def note_type() -> Iterator[None]:
    federation.register_message_type(
        "test.note",
        Note,
        _store,
        description="A test note",
        carries_personal_data=True,
        legal_basis="test basis",
        source="test source",
        retention=federation.BodyRetention(
            keep_for=timedelta(days=30),
            source="test retention",
            held=_held,
            dates=lambda p: (
                datetime.fromisoformat(p["erase_on"]) - timedelta(days=1)
                if p.get("erase_on")
                else None,
                datetime.fromisoformat(p["erase_on"]) if p.get("erase_on") else None,
            ),
            mask=_mask,
        ),
        received="note received",
        reference=lambda p: p.note_id,  # type: ignore[attr-defined]
        optional_fields=("secret",),
        replace=True,
    )
    HELD.clear()
    yield
    messages.unregister_message_type("test.note")
    FAIL_ONCE.clear()


def _send(net: Net, note: dict[str, Any], peer: str = "BE") -> federation.DeliveryState:
    node = net.nodes["FR"]
    with node.session() as session:
        return federation.send_message(
            session,
            node,
            audit.Actor("ana", "FR"),
            "test.note",
            peer=peer,
            payload=note,
            case_ref="CASE-1",
            purpose="test exchange",
        )


def _deliver(net: Net, message_id: str) -> federation.DeliveryState:
    async def go() -> federation.DeliveryState:
        async with net.running():
            client = net.apps["FR"].state.federation_client
            (state,) = await federation.deliver_messages(net.nodes["FR"], client, [message_id])
            return state

    return asyncio.run(go())


def _set(net: Net, policy: str, peer: str = "BE") -> None:
    node = net.nodes["FR"]
    with node.session() as session:
        policies.set_policy(
            session, node, audit.Actor("root", "FR"), "test.note", peer, policy, "decided in test"
        )


def _stored(net: Net, code: str = "BE") -> list[AuditEntry]:
    with net.nodes[code].session() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.object_type.like("test.note%")))
        )


def _rows(net: Net, code: str, direction: str) -> list[Message]:
    with net.nodes[code].session() as session:
        rows = session.scalars(
            select(Message).where(Message.type == "test.note", Message.direction == direction)
        ).all()
        session.expunge_all()
        return list(rows)


def test_a_personal_type_is_never_sent_to_a_peer_until_an_admin_decides(net: Net) -> None:
    with net.nodes["FR"].session() as session:
        listed = {(p.message_type, p.peer): p for p in policies.listing(session)}
    assert listed[("test.note", "BE")].policy == "never"
    assert not listed[("test.note", "BE")].decided
    state = _send(net, {"note_id": "n1", "text": "hello"})
    assert state.status == "never"
    assert _deliver(net, state.message_id).status == "never"
    assert _rows(net, "FR", "out") == [] and _stored(net) == []
    assert net.mesh.posts == []


def test_automatic_message_is_stored_by_the_handler_with_the_acknowledgement(net: Net) -> None:
    _set(net, "automatic")
    state = _deliver(net, _send(net, {"note_id": "n1", "text": "hello"}).message_id)
    assert state.status == "delivered"
    stored = _stored(net)
    assert [(e.action, e.object_type, e.outcome) for e in stored] == [
        ("write", "test.note.stored", "ok"),
        ("note received", "test.note", "stored"),
    ]
    (row,) = _rows(net, "BE", "in")
    assert (row.reference, row.peer) == ("n1", "FR")
    assert row.body is not None and "hello" not in row.body  # encrypted at rest


def test_a_crash_in_the_handler_rolls_back_its_writes_and_the_message_is_retried(
    net: Net,
) -> None:
    _set(net, "automatic")
    FAIL_ONCE.append(True)
    message_id = _send(net, {"note_id": "n1", "text": "hello"}).message_id
    assert _deliver(net, message_id).status == "queued"
    assert _stored(net) == [] and _rows(net, "BE", "in") == []
    with net.nodes["FR"].session() as session:  # due again now
        federation.outbox.retry(session, now=net.clock.now())
    assert _deliver(net, message_id).status == "delivered"
    assert len([e for e in _stored(net) if e.action == "write"]) == 1
    assert len(_rows(net, "BE", "in")) == 1


def test_a_refused_message_stores_nothing_and_the_sender_sees_why(net: Net) -> None:
    _set(net, "automatic")
    state = _deliver(net, _send(net, {"note_id": "n1", "text": "refuse"}).message_id)
    assert state.status == "failed"
    assert "this node takes no such note" in state.detail
    assert _stored(net) == [] and _rows(net, "BE", "in") == []


def test_approval_sends_only_the_chosen_fields_and_a_refusal_keeps_its_reason(net: Net) -> None:
    _set(net, "approval")
    node = net.nodes["FR"]
    boss = audit.Actor("sam", "FR")
    first = _send(net, {"note_id": "n1", "text": "hello", "secret": "s3cret"})
    second = _send(net, {"note_id": "n2", "text": "hello again"})
    assert first.status == "awaiting" and net.mesh.posts == []
    with node.session() as session:
        draft = approvals.read(session, node, boss, first.message_id)
        assert draft.payload is not None and draft.payload["secret"] == "s3cret"
        approvals.approve(
            session,
            node,
            boss,
            first.message_id,
            federation.schemas.MessageApproveIn.model_validate(
                {
                    "fields": [],
                    "handling": {"code": "H2"},
                    "evaluation": {"source": "B", "information": "2"},
                }
            ),
        )
        approvals.refuse(
            session,
            node,
            boss,
            second.message_id,
            federation.schemas.RefuseIn(reason="not needed by BE"),
        )
    assert _deliver(net, first.message_id).status == "delivered"
    (row,) = _rows(net, "BE", "in")
    sent = json.loads(bodies.open_body(net.nodes["BE"].cipher, row))
    assert sent["payload"]["secret"] is None  # withheld by the supervisor
    assert (sent["handling"]["code"], sent["evaluation"]) == (
        "H2",
        {"source": "B", "information": "2"},
    )
    with node.session() as session:
        refused = approvals.state(session, second.message_id)
    assert (refused.status, refused.detail) == ("refused", "not needed by BE")
    assert len(_rows(net, "BE", "in")) == 1


def test_bodies_go_with_their_data_and_the_envelope_and_chain_stay(net: Net) -> None:
    _set(net, "automatic")
    HELD.update({"kept", "dropped"})
    erase_on = net.clock.now() + timedelta(days=10)
    ids = [
        _send(net, note).message_id
        for note in (
            {"note_id": "kept", "text": "a"},
            {"note_id": "dropped", "text": "b"},
            {"note_id": "dated", "text": "c", "secret": "s", "erase_on": erase_on.isoformat()},
        )
    ]
    for message_id in ids:
        assert _deliver(net, message_id).status == "delivered"
    HELD.discard("dropped")  # the domain deleted the data the message carried
    HELD.add("dated")

    def run(code: str) -> None:
        node = net.nodes[code]
        retention.run(node.session, node.retention, node=code, now=node.clock.now())

    for code in ("FR", "BE"):
        run(code)
    bodies_left = {r.reference: r.body is not None for r in _rows(net, "BE", "in")}
    assert bodies_left == {"kept": True, "dropped": False, "dated": True}
    net.clock.advance(timedelta(days=9, hours=1))  # past the mask date of "dated"
    run("BE")
    dated = next(r for r in _rows(net, "BE", "in") if r.reference == "dated")
    assert json.loads(bodies.open_body(net.nodes["BE"].cipher, dated))["payload"]["secret"] == "***"
    net.clock.advance(timedelta(days=1))
    run("BE")
    assert {r.reference: r.body is not None for r in _rows(net, "BE", "in")} == {
        "kept": True,
        "dropped": False,
        "dated": False,
    }
    net.clock.advance(timedelta(days=21))  # past keep_for: even held data's bodies go
    for code in ("FR", "BE"):
        run(code)
        rows = _rows(net, code, "in" if code == "BE" else "out")
        assert len(rows) == 3 and all(r.body is None and r.body_hash for r in rows)
        with net.nodes[code].session() as session:
            assert audit.verify(session).ok


def test_query_bodies_are_erased_once_answered_and_the_envelope_stays(net: Net) -> None:
    """A query's criteria (a DNA profile, a person) are deleted once compared."""

    async def ask() -> None:
        async with net.running() as c:
            r = await c["FR"].post(
                "/api/v1/federation/queries",
                json={
                    "kind": "vehicle",
                    "payload": {"plate": "1-ABC-234"},
                    "peers": ["BE"],
                    "case_ref": "C-9",
                    "purpose": "test",
                    "legal_basis": "test",
                },
                headers=net.auth("FR", "analyst"),
            )
            assert r.json()["answers"][0]["status"] == "hit"

    asyncio.run(ask())
    for code in ("FR", "BE"):
        node = net.nodes[code]
        retention.run(node.session, node.retention, node=code, now=node.clock.now())
        with node.session() as session:
            rows = session.scalars(select(Message).where(Message.type == "query")).all()
            assert rows and all(r.body is None and r.body_hash for r in rows), code
            assert all(r.body_erased_at is not None for r in rows)
            assert audit.verify(session).ok
