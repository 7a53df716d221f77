"""Acts that must wait for a commit: watchlist updates and writes caused by peer messages.

The identity watchlist is in memory; it must change only once the alert row is committed, or a
rolled-back act would leave a phantom entry. Messages from peers arrive inside federation's
inbox transaction, which a domain's ``search`` function cannot reach; their writes are queued
here (per thread) and run in their own transaction right after the inbox commits. A crash
between the two commits would lose that write while the peer believes it delivered — the
smallest workaround until federation lets a domain handle its own message types (see
docs/alerts.md). For the same reason the verified sender of the message being handled is
observed here, when federation records the incoming message, and checked by ``exchange``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from passerelle.federation.model import Message as FederationMessage

if TYPE_CHECKING:
    from passerelle.node import Node

T = TypeVar("T")
log = logging.getLogger("passerelle.alerts")
_KEY = "alerts.after_commit"
_local = threading.local()
#: Live state of the nodes whose watchlist this process keeps, by database engine.
_STATES: dict[int, dict[str, Any]] = {}


def after_commit(session: Session, fn: Callable[[], None]) -> None:
    """Run ``fn`` once ``session`` has committed (dropped on rollback)."""
    session.info.setdefault(_KEY, []).append(fn)


def defer_write(node: Node, fn: Callable[[Session], None]) -> None:
    """Write in a new transaction after the current (inbox) transaction of this thread commits."""
    pending: list[tuple[Node, Callable[[Session], None]]] = getattr(_local, "pending", [])
    pending.append((node, fn))
    _local.pending = pending


def register_state(node: Node) -> None:
    _STATES[id(node.db.engine)] = node.state


def state_of(session: Session) -> dict[str, Any] | None:
    """The live state of the node ``session`` belongs to, when this process keeps it."""
    return _STATES.get(id(session.get_bind()))


@event.listens_for(FederationMessage, "after_insert")
def _remember_sender(_mapper: Any, _connection: Any, row: FederationMessage) -> None:
    # Federation records every incoming message (after checking its signature) just before
    # running its handler in the same thread: its peer is the verified sender of the message
    # a kind's ``search`` function is about to see, which the function is not given.
    if row.direction == "in":
        _local.sender = row.peer


def verified_sender() -> str | None:
    """The signature-verified sender of the peer message being handled in this thread."""
    sender: str | None = getattr(_local, "sender", None)
    return sender


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for fn in session.info.pop(_KEY, []):
        fn()
    pending: list[tuple[Node, Callable[[Session], None]]] = getattr(_local, "pending", [])
    _local.pending = []
    for node, write in pending:
        try:
            with node.session() as other:
                write(other)
        except Exception:  # the peer's message is kept by federation; never break its inbox
            log.exception("storing an alerts message from a peer failed on %s", node.code)


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
    _local.pending = []


async def run_in_session(node: Node, fn: Callable[[Session], T]) -> T:
    """Run ``fn`` in its own committed transaction, off the event loop (for async routes that
    commit an act before telling the peers)."""

    def run() -> T:
        with node.session() as session:
            return fn(session)

    return await run_in_threadpool(run)
