"""Reads outside any transaction: the last committed state, without waiting for a writer;
closing a node closes its connections."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text

from passerelle.node import Node, open_node
from passerelle.privacy import Agency, FrozenClock, accounts
from passerelle.settings import Settings
from passerelle.storage import Database


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


PG_ONLY = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _terminate_all(database_url: str) -> None:
    """Close, server side, every connection to the test's database (as a restarted or
    failed-over server would), from a connection of its own."""
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the backends exit a moment after the signal
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.05)


@PG_ONLY
def test_a_connection_the_server_closed_while_idle_is_replaced_before_use(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(database_url, ping_after_idle=0.2)
    pings = _count_pings(db, monkeypatch)
    try:
        with db.session() as session:
            assert session.execute(text("SELECT 1")).scalar_one() == 1
        _terminate_all(database_url)
        time.sleep(0.3)  # idle longer than ping_after_idle: the next checkout pings
        with db.session() as session:  # the dead connection is pinged and replaced
            assert session.execute(text("SELECT 1")).scalar_one() == 1
        assert pings[0] == 1
    finally:
        db.dispose()


@PG_ONLY
def test_a_connection_closed_within_the_idle_limit_fails_once_then_the_pool_is_renewed(
    database_url: str,
) -> None:
    """The window the idle limit leaves: the first unit of work fails with a disconnection,
    and the next one gets a new connection (SQLAlchemy discards the dead pool)."""
    db = Database(database_url, ping_after_idle=60.0)
    try:
        with db.session() as session:
            session.execute(text("SELECT 1")).scalar_one()
        _terminate_all(database_url)
        with pytest.raises(sa_exc.OperationalError), db.session() as session:
            session.execute(text("SELECT 1")).scalar_one()
        with db.session() as session:
            assert session.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        db.dispose()


@PG_ONLY
def test_a_connection_back_in_use_within_the_idle_limit_is_not_pinged(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One round trip fewer per unit of work under load; an idle connection is still pinged."""
    db = Database(database_url, ping_after_idle=60.0)
    pings = _count_pings(db, monkeypatch)
    try:
        for _ in range(5):
            with db.session() as session:
                session.execute(text("SELECT 1")).scalar_one()
        assert pings[0] == 0
    finally:
        db.dispose()
    db = Database(database_url, ping_after_idle=0.0)
    pings = _count_pings(db, monkeypatch)
    try:
        for _ in range(5):
            with db.session() as session:
                session.execute(text("SELECT 1")).scalar_one()
        assert pings[0] == 4  # every checkout of a pooled connection (the first is new)
    finally:
        db.dispose()


def _count_pings(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    count = [0]
    ping = db.engine.dialect.do_ping

    def counted(dbapi: object) -> bool:
        count[0] += 1
        return ping(dbapi)

    monkeypatch.setattr(db.engine.dialect, "do_ping", counted)
    return count


def test_a_lookup_reads_committed_rows_and_leaves_transactions_to_the_other_units(
    node: Node,
) -> None:
    """On PostgreSQL a look-up runs in autocommit (no BEGIN, no COMMIT round trip); the pooled
    connection goes back to transactions for the next unit of work, which still rolls back."""
    with node.session() as session:
        accounts.ensure_agency(session, "BE", "Belgium", "BE")
    postgres = not node.db.is_sqlite
    for _ in range(3):
        with node.db.lookup_session() as session:
            assert session.scalars(select(Agency.code).where(Agency.code == "BE")).all() == ["BE"]
            raw = session.connection().connection.dbapi_connection
            if postgres:
                assert raw.autocommit  # type: ignore[union-attr]
                assert raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE  # type: ignore[union-attr]
    for _ in range(3):
        with pytest.raises(RuntimeError), node.session() as session:
            accounts.ensure_agency(session, "NL", "Netherlands", "NL")
            session.flush()
            if postgres:
                assert not session.connection().connection.dbapi_connection.autocommit  # type: ignore[union-attr]
            raise RuntimeError("the unit fails: its writes roll back")
    with node.read_session() as session:
        assert session.scalars(select(Agency.code).where(Agency.code == "NL")).all() == []
