"""Issuing orders under the regulation's rules, and their deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.evidence.schemas import ValidateIn
from passerelle.evidence.service import deadlines, orders
from passerelle.node import Node
from passerelle.privacy import FrozenClock
from tests.evidence.conftest import add_provider, order_in, principal


def test_a_prosecutor_may_order_subscriber_data_but_not_traffic_or_content(node: Node) -> None:
    add_provider(node)
    with node.session() as session:
        ok = orders.issue(session, node, principal(), order_in(authority_type="prosecutor"))
        assert ok.status == "issued" and ok.validated_at is not None
        for category in ("traffic", "content"):
            with pytest.raises(ValidationFailed) as caught:
                orders.issue(session, node, principal(),
                             order_in(authority_type="prosecutor", category=category))  # fmt: skip
            assert caught.value.details["field"] == "authority_type"
            assert "art. 4" in caught.value.message
        # a preservation order for content: a prosecutor may
        kept = orders.issue(session, node, principal(),
                            order_in(form="EPOC-PR", authority_type="prosecutor",
                                     category="content"))  # fmt: skip
        assert kept.preserve_until == kept.issued_at + timedelta(days=60)


def test_traffic_data_needs_a_serious_or_listed_offence(node: Node) -> None:
    add_provider(node)
    with node.session() as session:
        with pytest.raises(ValidationFailed) as caught:
            orders.issue(session, node, principal(),
                         order_in(category="traffic", max_sentence_years=2))  # fmt: skip
        assert caught.value.details["field"] == "max_sentence_years"
        listed = orders.issue(session, node, principal(), order_in(
            category="traffic", max_sentence_years=2, listed_offence="terrorism"))  # fmt: skip
        # traffic data: the enforcing state (BE) is notified and has 10 days to review
        assert listed.notify_enforcing
        assert listed.review_until == listed.issued_at + timedelta(days=10)
        exception = orders.issue(session, node, principal(), order_in(
            category="content", domestic_exception=True))  # fmt: skip
        assert not exception.notify_enforcing and exception.review_until is None


def test_another_authority_needs_validation_except_in_an_emergency(
    node: Node, clock: FrozenClock
) -> None:
    add_provider(node)
    with node.session() as session:
        with pytest.raises(ValidationFailed) as caught:
            orders.issue(session, node, principal(), order_in(authority_type="other"))
        assert caught.value.details["field"] == "validator_type"
        urgent = orders.issue(session, node, principal(),
                              order_in(authority_type="other", emergency=True))  # fmt: skip
        assert urgent.validated_at is None
        assert urgent.validation_due_at == urgent.issued_at + timedelta(hours=48)
        assert urgent.due_at == urgent.issued_at + timedelta(hours=8)
        ref = urgent.reference
    clock.advance(timedelta(hours=40))
    with node.session() as session:
        assert deadlines.urgency(orders.get(session, node, principal(), ref), clock.now()) == (
            "reminder"
        )
        order = orders.validate(
            session,
            node,
            principal(),
            ref,
            ValidateIn(validator_type="prosecutor", validator_name="PR Lille"),
        )
        assert order.validated_at == clock.now()
        with pytest.raises(Conflict):
            orders.validate(session, node, principal(), ref,
                            ValidateIn(validator_type="judge", validator_name="x"))  # fmt: skip


def test_production_deadline_reminder_and_overdue(node: Node, clock: FrozenClock) -> None:
    add_provider(node)
    with node.session() as session:
        ref = orders.issue(session, node, principal(), order_in()).reference
    clock.advance(timedelta(days=7))
    with node.session() as session:
        assert orders.due(session, clock.now()) == []
    clock.advance(timedelta(days=1))
    with node.session() as session:
        assert [(o.reference, u) for o, u in orders.due(session, clock.now())] == [
            (ref, "reminder")
        ]
    clock.advance(timedelta(days=2))
    with node.session() as session:
        assert [u for _, u in orders.due(session, clock.now())] == ["overdue"]


def test_preservation_is_extended_once_and_confirmed(node: Node, clock: FrozenClock) -> None:
    add_provider(node)
    with node.session() as session:
        order = orders.issue(session, node, principal(),
                             order_in(form="EPOC-PR", category="traffic"))  # fmt: skip
        first = order.preserve_until
        assert first is not None and order.due_at is None
        orders.extend(session, node, principal(), order.reference)
        assert order.preserve_until == first + timedelta(days=30)
        with pytest.raises(Conflict, match="once"):
            orders.extend(session, node, principal(), order.reference)
        orders.confirm(session, node, principal(), order.reference)
        assert deadlines.next_deadline(order) is None


def test_unknown_provider_and_domestic_addressee_are_refused(node: Node) -> None:
    add_provider(node, code="telco-fr", country="FR")
    with node.session() as session:
        with pytest.raises(NotFound):
            orders.issue(session, node, principal(), order_in(provider="nobody"))
        with pytest.raises(ValidationFailed, match="cross-border"):
            orders.issue(session, node, principal(), order_in(provider="telco-fr"))
        with pytest.raises(ValidationFailed, match="port"):
            orders.issue(session, node, principal(), order_in(
                provider="telco-fr", targets=[{"kind": "ip", "value": "203.0.113.7"}]))  # fmt: skip
