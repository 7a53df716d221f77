"""Storing, threading, quarantining and reading CAP messages; every read is audited."""

from __future__ import annotations

import pytest

from passerelle.crisis import cap
from passerelle.crisis.model import CapMessage
from passerelle.crisis.service import feeds, issue, store
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.privacy import audit
from tests.crisis.conftest import cap_in, cap_xml, principal


def test_a_composed_alert_is_stored_with_its_areas_and_languages(node: Node) -> None:
    with node.session() as session:
        row = issue.create(session, node, principal(), cap_in())
        message_id = row.id
    with node.session() as session:
        row = store.get(session, node, principal(), message_id)
        assert row.origin == "local" and row.msg_type == "Alert" and row.thread == row.identifier
        assert row.languages == ["fr-FR", "nl-BE", "en-GB"]
        assert row.areas[0]["circles"] == [[50.78, 3.13, 3.0]]
        assert cap.parse(row.xml.encode()).identifier == row.identifier
        entries, _ = audit.search(session, audit.AuditQuery(object_type="crisis.message"))
    assert [e.action for e in entries].count("read") == 1
    assert [e.action for e in entries].count("write") == 1


def test_updates_and_cancels_follow_the_thread_of_their_alert(node: Node) -> None:
    with node.session() as session:
        alert = issue.create(session, node, principal(), cap_in())
        update = issue.create(
            session, node, principal(), cap_in(msg_type="Update", references=[alert.id])
        )
        cancel = issue.create(
            session, node, principal(), cap_in(msg_type="Cancel", references=[update.id])
        )
        assert update.thread == cancel.thread == alert.identifier
        assert cancel.references[0].startswith(f"{update.sender},{update.identifier},")
        with pytest.raises(ValidationFailed, match="cannot refer to a Cancel"):
            issue.create(
                session, node, principal(), cap_in(msg_type="Update", references=[cancel.id])
            )
        with pytest.raises(ValidationFailed, match="not known"):
            issue.create(session, node, principal(), cap_in(msg_type="Update", references=["nope"]))


def test_the_same_sender_and_identifier_is_stored_once(node: Node) -> None:
    with node.session() as session:
        outcome = feeds.import_document(session, node, cap_xml(), source="a.xml", by="t")
        again = feeds.import_document(session, node, cap_xml(), source="a.xml", by="t")
        assert outcome.result == "stored" and again.result == "duplicate"
        assert again.id == outcome.id
        with pytest.raises(Conflict):
            store.store(session, node, cap_xml(), origin="local", created_by="t")


def test_a_malformed_document_is_quarantined_raw_with_the_schema_error(node: Node) -> None:
    raw = cap_xml(status="Real")
    with node.session() as session:
        outcome = feeds.import_document(session, node, raw, source="feed.xml", by="t")
    assert outcome.result == "quarantined" and "line 6" in outcome.reason
    with node.session() as session:
        entry = store.quarantined_one(session, node, principal(), outcome.id)
        assert entry.raw == raw and entry.line == 6 and "'Real'" in entry.reason
        assert session.query(CapMessage).count() == 0
        with pytest.raises(NotFound):
            store.get(session, node, principal(), "missing")


def test_search_finds_by_headline_and_type_and_is_audited(node: Node) -> None:
    with node.session() as session:
        feeds.import_document(session, node, cap_xml(), source="a.xml", by="t")
        issue.create(session, node, principal(), cap_in())
    with node.session() as session:
        found = store.search(session, node, principal(), text="leie")
        assert [m.headline for m in found] == ["Overstroming van de Leie"]
        assert len(store.search(session, node, principal(), msg_type="Alert")) == 2
        entries, _ = audit.search(session, audit.AuditQuery(object_type="crisis.message"))
    assert sum(1 for e in entries if e.action == "read" and e.object_id == "*") == 2


def test_only_a_message_received_from_a_peer_is_acknowledged(node: Node) -> None:
    with node.session() as session:
        local = issue.create(session, node, principal(), cap_in())
        with pytest.raises(ValidationFailed, match="received from a peer"):
            issue.acknowledge(session, node, principal(), local.id)
        received = store.store(session, node, cap_xml(), origin="peer:BE", created_by="peer:BE")
        ack = issue.acknowledge(session, node, principal(), received.id, note="seen")
        parsed = cap.parse(ack.xml.encode())
        assert parsed.msg_type == "Ack" and parsed.references[0].identifier == "BE.nccn.1"
        assert ack.thread == received.thread
        with pytest.raises(Conflict, match="already acknowledged"):
            issue.acknowledge(session, node, principal(), received.id)
