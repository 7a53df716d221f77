"""Delivering the outbox: one attempt per due message, results written back durably.

Used three ways: right after an act (a query waits for its answers up to the per-peer timeout),
by the server's background worker, and by ``passerelle outbox retry``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

import httpx
from starlette.concurrency import run_in_threadpool

from passerelle.errors import DatabaseBusy, PasserelleError, PermissionDenied, UsageError
from passerelle.federation import dispatch, keys, outbox, refusals, rules, transport
from passerelle.node import Node

log = logging.getLogger("passerelle.federation")


def lease(node: Node) -> timedelta:
    """How long a claimed message is held: twice the per-peer timeout, at least 2 s."""
    return timedelta(seconds=max(2.0, 2 * node.settings.federation_timeout_seconds))


def _claim(node: Node, row_id: int) -> outbox.Claim | None:
    with node.session() as session:
        return outbox.claim(
            session, row_id, now=node.clock.now(), lease=lease(node), cipher=node.cipher
        )


def _record(node: Node, claim: outbox.Claim, result: transport.Outcome) -> None:
    try:
        with node.session() as session:
            now = node.clock.now()
            if result.delivered:
                outbox.mark_delivered(session, claim.row_id, now=now)
                if result.reply:
                    dispatch.handle_reply(
                        session, node, result.reply, signer=claim.peer, answers=claim.message_id
                    )
                return
            outbox.mark_failed(
                session, claim.row_id, result.error, now=now, permanent=result.permanent
            )
    except (PermissionDenied, UsageError) as exc:
        # The peer's reply is not bound to it or to our message (or is not an envelope):
        # refused and audited; asking again would bring the same reply back.
        refusals.record(
            node,
            exc,
            source=claim.peer,
            signer=claim.peer,
            message_id=claim.message_id,
            what="reply",
        )
        with node.session() as session:
            outbox.mark_failed(
                session,
                claim.row_id,
                f"{claim.peer} reply refused: {exc.message}",
                now=node.clock.now(),
                permanent=True,
            )
    except Exception as exc:
        # The reply could not be processed: keep the message, retry it with back-off (the
        # peer will answer 409 with the same reply) until an operator looks at it.
        log.exception("reply to %s from %s could not be processed", claim.message_id, claim.peer)
        error = exc.message if isinstance(exc, PasserelleError) else type(exc).__name__
        with node.session() as session:
            outbox.mark_failed(
                session, claim.row_id, f"reply not processed: {error}", now=node.clock.now()
            )


async def deliver_one(node: Node, client: httpx.AsyncClient, row_id: int) -> bool | None:
    """One attempt at one message: True delivered, False failed, None not ours to send now."""
    claim = await run_in_threadpool(_claim, node, row_id)
    if claim is None:
        return None
    timeout = node.settings.federation_timeout_seconds
    try:
        result = await asyncio.wait_for(
            transport.post(
                node,
                client,
                peer_code=claim.peer,
                url=claim.url,
                peer_key=keys.parse_public(claim.public_key),
                body=claim.body,
            ),
            timeout,
        )
    except TimeoutError:
        result = transport.Outcome(False, error=f"{claim.peer} did not answer within {timeout:g} s")
    except PasserelleError as exc:  # e.g. this node has no key pair yet
        result = transport.Outcome(False, error=exc.message)
    await run_in_threadpool(_record, node, claim, result)
    return result.delivered


async def deliver(
    node: Node, client: httpx.AsyncClient, row_ids: Sequence[int]
) -> dict[int, bool | None]:
    """Attempt several messages concurrently (one per peer at a time is the caller's choice)."""
    results = await asyncio.gather(*(deliver_one(node, client, i) for i in row_ids))
    return dict(zip(row_ids, results, strict=True))


async def deliver_due(node: Node, client: httpx.AsyncClient, *, limit: int = 50) -> int:
    """Attempt every due message once; returns how many were delivered."""

    def due() -> list[int]:
        # a read: the worker's frequent scan must never queue behind writers for the lock
        with node.read_session() as session:
            return outbox.due_ids(session, now=node.clock.now(), limit=limit)

    ids = await run_in_threadpool(due)
    if not ids:
        return 0
    results = await deliver(node, client, ids)
    return sum(1 for ok in results.values() if ok)


async def run_worker(node: Node, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
    """Deliver due messages until ``stop`` is set; errors are logged, never fatal."""
    while not stop.is_set():
        try:
            await deliver_due(node, client)
        except DatabaseBusy:
            log.warning("federation delivery pass skipped: the database is busy; will retry")
        except Exception:
            log.exception("federation delivery pass failed; will retry")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), rules.WORKER_POLL_SECONDS)


@contextlib.asynccontextmanager
async def worker(node: Node, client: httpx.AsyncClient) -> AsyncIterator[None]:
    """Run the delivery worker for the duration of the block."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(node, client, stop))
    try:
        yield
    finally:
        stop.set()
        await task
