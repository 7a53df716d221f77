"""The durable outbox: back-off, leases, parking after too many attempts, retry; retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from passerelle.federation import envelope, keys, outbox, peers, rules
from passerelle.federation.model import Message
from passerelle.node import Node
from passerelle.privacy import FrozenClock, retention
from tests.conftest import START


@pytest.fixture
def queued(node: Node) -> int:
    keys.generate(node.settings)
    with node.session() as session:
        peers.add(
            session,
            "BE",
            "http://127.0.0.1:9",
            keys.public_text(keys.load(node.settings)),
            now=START,
            insecure_http=True,
        )
        message = envelope.make(
            node, recipient="BE", type="ack", purpose="p", legal_basis="l", case_ref="C-9"
        )
        return outbox.enqueue(session, message, now=START, cipher=node.cipher).id


def test_back_off_doubles_from_one_second_up_to_ten_minutes() -> None:
    delays = [outbox.backoff(n).total_seconds() for n in range(1, 13)]
    assert delays[:5] == [1, 2, 4, 8, 16]
    assert delays[-1] == 600


def test_a_claimed_message_is_not_sent_twice_until_its_lease_runs_out(
    node: Node, clock: FrozenClock, queued: int
) -> None:
    lease = timedelta(seconds=20)
    with node.session() as session:
        assert (
            outbox.claim(session, queued, now=clock.now(), lease=lease, cipher=node.cipher)
            is not None
        )
    with node.session() as session:
        assert (
            outbox.claim(session, queued, now=clock.now(), lease=lease, cipher=node.cipher) is None
        )
    clock.advance(lease)  # the sender died without recording anything
    with node.session() as session:
        taken = outbox.claim(session, queued, now=clock.now(), lease=lease, cipher=node.cipher)
        assert taken is not None and taken.attempt == 2


def test_failures_are_retried_with_back_off_then_parked_until_retried_by_hand(
    node: Node, clock: FrozenClock, queued: int
) -> None:
    for attempt in range(1, rules.RETRY_MAX_ATTEMPTS + 1):
        with node.session() as session:
            assert outbox.due_ids(session, now=clock.now()) == [queued], attempt
            assert outbox.claim(
                session, queued, now=clock.now(), lease=timedelta(seconds=5), cipher=node.cipher
            )
            row = outbox.mark_failed(session, queued, "BE unreachable", now=clock.now())
            due = row.next_attempt_at
        if due is not None:
            clock.set(due)
    with node.session() as session:
        row = session.get(Message, queued)
        assert row is not None and (row.status, row.attempts) == ("failed", 25)
        assert outbox.due_ids(session, now=clock.now() + timedelta(days=1)) == []
        assert outbox.retry(session, now=clock.now()) == [queued]
        assert outbox.due_ids(session, now=clock.now()) == [queued]


def test_a_message_the_peer_refuses_as_malformed_is_parked_at_once(
    node: Node, clock: FrozenClock, queued: int
) -> None:
    with node.session() as session:
        outbox.claim(
            session, queued, now=clock.now(), lease=timedelta(seconds=5), cipher=node.cipher
        )
        row = outbox.mark_failed(
            session, queued, "BE answered 422", now=clock.now(), permanent=True
        )
        assert (row.status, row.next_attempt_at) == ("failed", None)
        peer = peers.get(session, "BE")
        assert peer.last_error == "BE answered 422"


def test_messages_are_erased_after_five_years(node: Node, clock: FrozenClock, queued: int) -> None:
    clock.advance(timedelta(days=5 * 365))
    retention.run(node.session, node.retention, node=node.code, now=clock.now())
    with node.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1
    clock.advance(timedelta(days=2))
    retention.run(node.session, node.retention, node=node.code, now=clock.now())
    with node.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0


def test_a_node_without_keys_keeps_its_messages_and_says_why(node: Node) -> None:
    import asyncio

    import httpx

    from passerelle.federation import delivery

    with node.session() as session:
        peers.add(
            session,
            "BE",
            "http://127.0.0.1:9",
            keys.public_text(
                keys.generate(node.settings.with_(data_dir=node.settings.data_dir / "other"))
            ),
            now=START,
            insecure_http=True,
        )
        message = envelope.make(node, recipient="BE", type="ack", purpose="p", legal_basis="l")
        row_id = outbox.enqueue(session, message, now=START, cipher=node.cipher).id

    async def attempt() -> int:
        async with httpx.AsyncClient() as client:
            return await delivery.deliver_due(node, client)

    assert asyncio.run(attempt()) == 0
    with node.session() as session:
        row = session.get(Message, row_id)
        assert row is not None and row.status == "pending"
        assert "passerelle keys generate" in (row.last_error or "")


def test_looking_for_due_messages_does_not_wait_for_a_writer(node: Node) -> None:
    """The delivery worker scans the outbox every few seconds; on SQLite a scan that queued
    for the write lock behind a long write gave ``database is busy`` errors under load."""
    import asyncio
    import threading

    import httpx

    from passerelle.federation import delivery

    holding, release = threading.Event(), threading.Event()
    other = keys.public_text(
        keys.generate(node.settings.with_(data_dir=node.settings.data_dir / "other"))
    )

    def writer() -> None:
        with node.session() as session:
            peers.add(session, "NL", "http://127.0.0.1:9", other, now=START, insecure_http=True)
            session.flush()
            holding.set()
            release.wait(60)

    async def attempt() -> int:
        async with httpx.AsyncClient() as client:
            return await delivery.deliver_due(node, client)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(60)
        assert asyncio.run(attempt()) == 0
    finally:
        release.set()
        thread.join()
