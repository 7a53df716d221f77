"""Reads outside any transaction: the last committed state, without waiting for a writer."""

from __future__ import annotations

from sqlalchemy import select

from passerelle.node import Node
from passerelle.privacy import Agency, accounts


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
