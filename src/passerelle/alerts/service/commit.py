"""Acts on the live watchlist that must wait for the commit of the session that caused them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from passerelle.node import Node

_AFTER_COMMIT = "alerts.after_commit"
#: Live state of the nodes whose watchlist this process keeps, by database engine.
_STATES: dict[int, dict[str, Any]] = {}


def after_commit(session: Session, fn: Callable[[], None]) -> None:
    """Run ``fn`` once ``session`` has committed (dropped on rollback)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(fn)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for fn in session.info.pop(_AFTER_COMMIT, []):
        fn()


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def keep_state(node: Node) -> None:
    _STATES[id(node.db.engine)] = node.state


def state_of(session: Session) -> dict[str, Any] | None:
    """The live state of the node ``session`` belongs to, when this process keeps it."""
    return _STATES.get(id(session.get_bind()))
