"""Reads outside any transaction: the last committed state, without waiting for a writer;
closing a node closes its connections."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from passerelle.node import Node, open_node
from passerelle.privacy import Agency, FrozenClock, accounts
from passerelle.settings import Settings


def test_read_committed_sees_committed_rows_while_a_write_is_open(node: Node) -> None:
    with node.session() as session:
        accounts.ensure_agency(session, "BE", "Belgium", "BE")
    statement = select(Agency.code).where(Agency.code.in_(["BE", "NL"])).order_by(Agency.code)
    with node.session() as session:
        # A transaction holding SQLite's write lock (BEGIN IMMEDIATE) with an uncommitted row:
        # the read neither waits for it nor sees its row.
        accounts.ensure_agency(session, "NL", "Netherlands", "NL")
        session.flush()
        assert [tuple(r) for r in node.db.read_committed(statement)] == [("BE",)]
    assert [tuple(r) for r in node.db.read_committed(statement)] == [("BE",), ("NL",)]


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_closing_the_node_closes_a_connection_a_session_still_holds(
    settings: Settings, clock: FrozenClock
) -> None:
    """A server shutdown while a unit of work is still open leaves no connection behind (the
    pool alone closes only the connections checked in to it)."""
    node = open_node(settings, clock=clock)
    units = node.session()
    session = units.__enter__()
    session.execute(select(Agency.code)).all()
    held = session.connection().connection.dbapi_connection
    assert held is not None and not held.closed  # type: ignore[attr-defined]
    node.close()
    assert held.closed  # type: ignore[attr-defined]
    with pytest.raises(Exception):  # noqa: B017 - the unit fails: its node is closed
        units.__exit__(None, None, None)
