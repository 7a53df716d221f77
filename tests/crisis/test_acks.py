"""Acknowledgement deadlines per recipient and escalation, tested by moving the clock."""

from __future__ import annotations

from datetime import timedelta

from passerelle.crisis import rules
from passerelle.crisis.model import Escalation
from passerelle.crisis.service import acks, issue, store
from passerelle.node import Node
from passerelle.privacy import FrozenClock, audit
from tests.crisis.conftest import cap_in, cap_xml, principal


def _sent(node: Node, severity: str = "Severe") -> tuple[str, list[int]]:
    with node.session() as session:
        row = issue.create(session, node, principal(), cap_in(severity=severity))
        ids = [
            acks.add_recipient(session, node, row, peer, envelope_id=f"env-{peer}").id
            for peer in ("BE", "LU")
        ]
        return row.id, ids


def test_an_unacknowledged_message_escalates_at_its_deadline_then_repeats(
    node: Node, clock: FrozenClock
) -> None:
    message_id, _ = _sent(node)
    within = rules.ACK_WITHIN["Severe"]
    clock.advance(within - timedelta(seconds=1))
    assert acks.run_once(node)[0] == 0
    clock.advance(timedelta(seconds=1))
    fired, upcoming = acks.run_once(node)
    assert fired == 2
    assert upcoming == clock.now() + rules.ESCALATION_REPEAT
    assert acks.run_once(node)[0] == 0, "an escalation fires once per deadline"
    clock.advance(rules.ESCALATION_REPEAT)
    assert acks.run_once(node)[0] == 2
    with node.session() as session:
        levels = sorted(e.level for e in session.query(Escalation))
        assert levels == [1, 1, 2, 2]
        recipients = acks.recipients(session, message_id)
        assert {r.escalation_level for r in recipients} == {2}
        entries, _ = audit.search(session, audit.AuditQuery(object_type="crisis.escalation"))
        assert len(entries) == 4
    for _ in range(rules.ESCALATION_MAX_LEVEL + 2):
        clock.advance(rules.ESCALATION_REPEAT)
        acks.run_once(node)
    with node.session() as session:
        assert session.query(Escalation).count() == 2 * rules.ESCALATION_MAX_LEVEL


def test_a_peer_ack_closes_its_recipient_and_resolves_escalations(
    node: Node, clock: FrozenClock
) -> None:
    message_id, _ = _sent(node, severity="Extreme")
    clock.advance(rules.ACK_WITHIN["Extreme"])
    assert acks.run_once(node)[0] == 2
    with node.session() as session:
        alert = session.get(store.CapMessage, message_id)
        assert alert is not None
        sent = issue.reference_of(alert)
        ack_xml = cap_xml(
            identifier="BE.ack.1",
            msg_type="Ack",
            references=str(sent),
        )
        ack = store.store(session, node, ack_xml, origin="peer:BE", created_by="peer:BE")
        closed = acks.apply_ack(session, node, ack, "BE")
        assert [r.peer for r in closed] == ["BE"]
        assert ack.thread == alert.thread
    clock.advance(rules.ESCALATION_REPEAT)
    with node.session() as session:
        fired = acks.escalate_due(session, node)
        assert [e.peer for e in fired] == ["LU"]
        open_ = acks.open_escalations(session)
        assert {e.peer for e, _ in open_} == {"LU"}


def test_the_server_runs_the_escalation_job_in_the_background(
    node: Node, clock: FrozenClock
) -> None:
    import time

    from fastapi.testclient import TestClient

    from passerelle.node import open_node
    from passerelle.web.app import create_app

    message_id, _ = _sent(node, severity="Minor")
    server_node = open_node(node.settings.with_(crisis_escalation_poll_seconds=0.05), clock=clock)
    try:
        with TestClient(create_app(server_node)):
            clock.advance(rules.ACK_WITHIN["Minor"] + timedelta(seconds=1))
            deadline = time.monotonic() + 20
            fired = 0
            while fired < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
                with node.session() as session:
                    fired = session.query(Escalation).count()
    finally:
        server_node.close()
    assert fired == 2
    with node.session() as session:
        assert {r.escalation_level for r in acks.recipients(session, message_id)} == {1}
