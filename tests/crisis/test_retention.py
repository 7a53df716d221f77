"""Retention of every crisis record class, tested by moving the clock."""

from __future__ import annotations

from datetime import timedelta

from passerelle.crisis import rules
from passerelle.crisis.model import CapMessage, Escalation, Feed, Quarantine, Recipient
from passerelle.crisis.service import acks, feeds, issue
from passerelle.node import Node
from passerelle.privacy import FrozenClock, audit, retention
from tests.crisis.conftest import cap_in, cap_xml, principal

DAY = timedelta(days=1)


def _run(node: Node) -> dict[str, int]:
    outcomes = retention.run(node.session, node.retention, node=node.code, now=node.clock.now())
    return {o.data_class: o.deleted for o in outcomes if o.data_class.startswith("crisis.")}


def test_every_record_class_has_a_rule_with_its_source(node: Node) -> None:
    crisis = {r.data_class: r for r in node.retention if r.data_class.startswith("crisis.")}
    assert set(crisis) == {
        "crisis.message",
        "crisis.message_naming_people",
        "crisis.recipient",
        "crisis.escalation",
        "crisis.quarantine",
        "crisis.feed",
    }
    assert all(r.source and r.delete_after for r in crisis.values())


def test_an_incident_is_deleted_whole_two_years_after_its_last_message(
    node: Node, clock: FrozenClock
) -> None:
    with node.session() as session:
        alert = issue.create(session, node, principal(), cap_in())
        acks.add_recipient(session, node, alert, "BE", envelope_id="e1")
        alert_id = alert.id
    clock.advance(rules.ESCALATION_REPEAT * 10)
    acks.run_once(node)
    clock.advance(300 * DAY)
    with node.session() as session:  # an update keeps the incident alive
        issue.create(session, node, principal(), cap_in(msg_type="Update", references=[alert_id]))
    clock.advance(rules.MESSAGE_RETENTION - DAY)
    assert _run(node)["crisis.message"] == 0
    with node.session() as session:
        assert session.query(CapMessage).count() == 2
    clock.advance(2 * DAY)
    counts = _run(node)
    assert counts["crisis.message"] == 2
    with node.session() as session:
        assert session.query(CapMessage).count() == 0
        assert session.query(Recipient).count() == 0
        assert session.query(Escalation).count() == 0
        erased, _ = audit.search(session, audit.AuditQuery(action="erase"))
        assert any(e.object_type == "crisis.message" for e in erased)


def test_messages_naming_people_go_after_six_months(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        issue.create(session, node, principal(), cap_in(names_people=True))
        issue.create(session, node, principal(), cap_in())
    clock.advance(rules.PERSONAL_MESSAGE_RETENTION + DAY)
    assert _run(node)["crisis.message_naming_people"] == 1
    with node.session() as session:
        assert [m.names_people for m in session.query(CapMessage)] == [False]


def test_quarantine_and_feed_records_have_their_own_periods(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        feeds.import_document(session, node, cap_xml(status="Real"), source="f.xml", by="t")
        session.add(Feed(url="https://feed.test/cap", added_at=clock.now(), added_by="t"))
    clock.advance(rules.QUARANTINE_RETENTION + DAY)
    assert _run(node)["crisis.quarantine"] == 1
    with node.session() as session:
        assert session.query(Quarantine).count() == 0
        assert session.query(Feed).count() == 1
    clock.advance(rules.FEED_RETENTION)
    assert _run(node)["crisis.feed"] == 1
