"""CAP messages between crisis centres through federation's domain message types: FR sends an
alert to BE and ES, BE acknowledges, ES does not and escalates; malformed or forged CAP from a
peer; a message naming people follows its sharing policy."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle import federation
from passerelle.crisis import cap, compose, rules
from passerelle.crisis.model import CapMessage, Quarantine
from passerelle.crisis.service import acks, exchange, issue
from passerelle.federation import policies
from passerelle.privacy import AuditEntry, audit
from tests.crisis.conftest import cap_in, principal
from tests.federation.conftest import CODES, Net, build_net


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    built = build_net(tmp_path, urls)
    yield built
    for node in built.nodes.values():
        node.close()


def test_an_alert_goes_to_two_centres_one_acknowledges_the_other_escalates(net: Net) -> None:
    async def scenario() -> None:
        async with net.running() as api:
            fr = net.auth("FR", "analyst")
            body = cap_in().model_dump(mode="json")
            created = await api["FR"].post("/api/v1/crisis/messages", json=body, headers=fr)
            assert created.status_code == 201, created.text
            alert = created.json()
            sent = await api["FR"].post(
                f"/api/v1/crisis/messages/{alert['id']}/send",
                json={"peers": ["BE", "ES"]},
                headers=fr,
            )
            assert sent.status_code == 200, sent.text
            assert [(r["peer"], r["status"]) for r in sent.json()] == [
                ("BE", "delivered"),
                ("ES", "delivered"),
            ]
            be = net.auth("BE", "analyst")
            rows = (await api["BE"].get("/api/v1/crisis/messages", headers=be)).json()
            received = next(r for r in rows if r["identifier"] == alert["identifier"])
            assert received["origin"] == "peer:FR" and received["msg_type"] == "Alert"
            assert received["languages"] == ["fr-FR", "nl-BE", "en-GB"]
            acked = await api["BE"].post(
                f"/api/v1/crisis/messages/{received['id']}/ack", headers=be
            )
            assert acked.json()["status"] == "delivered", acked.text
            detail = (
                await api["FR"].get(f"/api/v1/crisis/messages/{alert['id']}", headers=fr)
            ).json()
            by_peer = {r["peer"]: r for r in detail["recipients"]}
            assert by_peer["BE"]["status"] == "acknowledged" and by_peer["BE"]["acked_at"]
            assert by_peer["ES"]["acked_at"] is None

    asyncio.run(scenario())
    fr_node = net.nodes["FR"]
    net.clock.advance(rules.ACK_WITHIN["Severe"])
    assert acks.run_once(fr_node)[0] == 1
    with fr_node.session() as session:
        assert [e.peer for e, _ in acks.open_escalations(session)] == ["ES"]
        ack = session.scalars(select(CapMessage).where(CapMessage.msg_type == "Ack")).one()
        assert ack.origin == "peer:BE" and ack.signature
    with net.nodes["BE"].session() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == exchange.ALERT)
        ).all()
        assert "crisis alert received" in actions


def _forged(net: Net, raw: bytes, signature: str) -> federation.DeliveryState:
    fr = net.nodes["FR"]
    payload = exchange.CapPayload(
        identifier="FR.crisis.forged",
        sender="crisis-centre@fr.passerelle.eu",
        msg_type="Alert",
        cap=raw.decode(),
        signature=signature,
    )

    async def go() -> federation.DeliveryState:
        async with net.running():
            with fr.session() as session:
                state = federation.send_message(
                    session,
                    fr,
                    principal().actor,
                    exchange.ALERT,
                    peer="BE",
                    payload=payload,
                    case_ref="forged",
                    purpose=rules.PURPOSE,
                )
            client = net.apps["FR"].state.federation_client
            return (await federation.deliver_messages(fr, client, [state.message_id]))[0]

    return asyncio.run(go())


def test_a_malformed_cap_from_a_peer_is_quarantined_with_the_schema_error(net: Net) -> None:
    good = compose.alert(
        cap_in(),
        identifier="FR.crisis.forged",
        sender="crisis-centre@fr.passerelle.eu",
        sent=net.clock.now(),
        references=[],
    )
    bad = good.replace(b"<urgency>Immediate</urgency>", b"<urgency>Now</urgency>", 1)
    state = _forged(net, bad, exchange.sign(net.nodes["FR"], bad))
    assert state.status == "delivered"
    with net.nodes["BE"].session() as session:
        entry = session.scalars(select(Quarantine)).one()
        assert entry.source == "peer:FR" and entry.raw == bad
        assert "urgency" in entry.reason and entry.line
        assert session.query(CapMessage).count() == 0


def test_a_cap_document_not_signed_by_the_sending_node_is_refused(net: Net) -> None:
    raw = compose.alert(
        cap_in(),
        identifier="FR.crisis.forged",
        sender="crisis-centre@fr.passerelle.eu",
        sent=net.clock.now(),
        references=[],
    )
    other = exchange.sign(net.nodes["ES"], raw)
    state = _forged(net, raw, other)
    assert state.status == "failed" and "signature" in state.detail
    with net.nodes["BE"].session() as session:
        assert session.query(CapMessage).count() == 0


def test_a_message_naming_people_waits_for_its_sharing_policy(net: Net) -> None:
    fr = net.nodes["FR"]
    with fr.session() as session:
        row = issue.create(session, fr, principal(), cap_in(names_people=True))
        states = exchange.send(session, fr, principal(), row.id, ["BE"])
        assert [s.status for s in states] == ["never"]
        assert acks.recipients(session, row.id) == []
        policies.set_policy(
            session,
            fr,
            audit.Actor("admin", "FR"),
            exchange.ALERT_NAMED,
            "ES",
            "approval",
            "casualty lists go after a supervisor's review",
        )
        states = exchange.send(session, fr, principal(), row.id, ["ES"])
        assert [s.status for s in states] == ["awaiting"]
        assert [r.peer for r in acks.recipients(session, row.id)] == ["ES"]
    assert cap.parse(row.xml.encode()).msg_type == "Alert"
