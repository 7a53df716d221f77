"""The provider side: inbox, acknowledgement, data with hashes, Annex III, NAT lookup."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.errors import Conflict, MalformedInput, NotFound
from passerelle.evidence.nat import parse
from passerelle.evidence.nat.store import NatStore
from passerelle.evidence.schemas import DataAnswerIn, ImpossibilityIn, NatLookupIn
from passerelle.evidence.service import answers, orders
from passerelle.node import Node
from passerelle.privacy import AuditEntry
from tests.evidence.conftest import add_provider, order_in, principal, provider_principal
from tests.evidence.nat.test_store import CSV


def test_the_provider_sees_only_its_orders_and_answers_with_hashed_files(node: Node) -> None:
    add_provider(node)
    add_provider(node, code="other-be")
    content = b"subscriber;line\nJan Peeters;+32470000000\n"
    with node.session() as session:
        ref = orders.issue(session, node, principal(), order_in()).reference
        assert [o.reference for o in answers.inbox(session, node, provider_principal())] == [ref]
        assert answers.inbox(session, node, provider_principal("other-be")) == []
        with pytest.raises(NotFound):
            answers.acknowledge(session, node, provider_principal("other-be"), ref)
        assert answers.acknowledge(session, node, provider_principal(), ref).status == (
            "acknowledged"
        )
        with pytest.raises(MalformedInput):
            answers.answer_data(session, node, provider_principal(), ref, DataAnswerIn(
                files=[{"name": "a.csv", "content_base64": "%%%"}]))  # fmt: skip
        answers.answer_data(session, node, provider_principal(), ref, DataAnswerIn(
            files=[{"name": "subscriber.csv", "media_type": "text/csv",
                    "content_base64": base64.b64encode(content).decode()}]))  # fmt: skip
        order = orders.get(session, node, principal(), ref)
        out = answers.to_out(session, order, node.clock.now())
        assert out.status == "answered"
        (answer,) = out.answers
        assert answer.files[0].sha256 == hashlib.sha256(content).hexdigest()
        assert answers.read_file(session, node, principal(), order,
                                 answer.files[0].id).content == content  # fmt: skip
        with pytest.raises(Conflict):
            answers.answer_impossible(
                session,
                node,
                provider_principal(),
                ref,
                ImpossibilityIn(reason="data_not_held", explanation="x"),
            )
    with node.session() as session:
        actions = [e.action for e in session.scalars(
            select(AuditEntry).where(AuditEntry.object_type.like("evidence.%")))]  # fmt: skip
    assert "disclose" in actions and actions.count("read") >= 3


def test_annex_iii_closes_the_order_with_its_reason(node: Node) -> None:
    add_provider(node)
    with node.session() as session:
        ref = orders.issue(session, node, principal(), order_in()).reference
        answers.answer_impossible(
            session,
            node,
            provider_principal(),
            ref,
            ImpossibilityIn(
                reason="data_deleted_before_receipt", explanation="Logs purged after 12 months."
            ),
        )
        order = orders.get(session, node, principal(), ref)
        assert order.status == "impossible"
        out = answers.to_out(session, order, node.clock.now())
        assert out.answers[0].reason == "data_deleted_before_receipt"


def test_nat_lookup_only_inside_an_identification_order(node: Node, tmp_path: Path) -> None:
    add_provider(node)
    store = NatStore(tmp_path / "nat")
    store.write(parse.read_csv(CSV).table)
    query = NatLookupIn(ip="203.0.113.7", port="2100", timestamp="2026-12-03T11:15:00Z")
    with node.session() as session:
        ref = orders.issue(session, node, principal(), order_in()).reference
        found = answers.nat_lookup(session, node, provider_principal(), ref, query,
                                   store_dir=store.root)  # fmt: skip
        assert (found["subscriber"], found["evidence"]) == ("100.64.1.5", "log")
        with pytest.raises(NotFound):
            answers.nat_lookup(session, node, provider_principal(), ref,
                               NatLookupIn(ip="203.0.113.9", port="1", timestamp=query.timestamp),
                               store_dir=store.root)  # fmt: skip
        content = orders.issue(session, node, principal(), order_in(category="content"))
        with pytest.raises(Conflict, match="identification"):
            answers.nat_lookup(session, node, provider_principal(), content.reference, query,
                               store_dir=store.root)  # fmt: skip
        lookups = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "evidence.nat")
        ).all()
    assert [e.outcome for e in lookups] == ["ok", "not found"]
