"""Engine and session handling for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from passerelle.errors import DatabaseBusy
from passerelle.storage.gate import WriteGate
from passerelle.storage.migrate import upgrade

#: SQLSTATEs PostgreSQL gives when ``lock_timeout`` or ``statement_timeout`` expires.
_PG_BUSY = {"55P03", "57014"}
#: A pooled PostgreSQL connection idle longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0
#: ``ConnectionRecord.info`` key: when the connection last went back to the pool.
_IDLE_SINCE = "passerelle_idle_since"


class BlockingCallOnEventLoop(RuntimeError):
    """A programming error: a database session was opened on the server's event loop.

    Every route and dependency that touches the database is a plain ``def`` (FastAPI runs it in
    the thread pool); async code hands database work to ``run_in_threadpool``. A session opened
    on the loop would freeze every other request while it waits for a lock.
    """


#: True while an HTTP request is being served (set by the web app's outermost middleware).
serving_request: ContextVar[bool] = ContextVar("passerelle_serving_request", default=False)


def on_event_loop() -> bool:
    """True when called from a thread that is running an asyncio event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def is_busy(exc: BaseException) -> bool:
    """True for the errors a database gives when a lock was not granted in time."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database table is locked" in message


class Database:
    """One node's database: an engine, a session factory and its migrations.

    On SQLite every transaction starts with ``BEGIN IMMEDIATE`` so that concurrent writers (two
    processes on one node file) queue on the write lock instead of failing half-way; WAL mode
    keeps readers unblocked. Within one process, writers first wait on a
    :class:`~passerelle.storage.gate.WriteGate` (woken at the previous commit) rather than in
    SQLite's polling busy handler.

    A lock is waited for at most ``busy_timeout`` seconds (SQLite ``busy_timeout``, PostgreSQL
    ``lock_timeout``, and the wait for a pooled connection); past that the unit of work fails
    with :class:`~passerelle.errors.DatabaseBusy` (HTTP 503 with ``Retry-After``).
    """

    def __init__(
        self,
        url: str,
        *,
        extra_migrations: Sequence[str] = (),
        busy_timeout: float = 5.0,
        ping_after_idle: float = PING_AFTER_IDLE_SECONDS,
    ) -> None:
        self.url = url
        self.extra_migrations = tuple(extra_migrations)
        self.busy_timeout = busy_timeout
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"pool_timeout": max(busy_timeout, 1.0)}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                _private_file(Path(parsed.database))
            kwargs["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
            kwargs["pool_size"], kwargs["max_overflow"] = 8, 32
        else:
            milliseconds = max(int(busy_timeout * 1000), 1)
            kwargs["pool_size"], kwargs["max_overflow"] = 8, 32
            kwargs["connect_args"] = {"options": f"-c lock_timeout={milliseconds}"}
        self.engine: Engine = create_engine(url, **kwargs)
        # Every DBAPI connection the engine opens, so that closing the node closes them all,
        # including one a stray session still held when ``dispose`` ran (the pool only closes
        # the connections checked in to it).
        self._opened: weakref.WeakSet[Any] = weakref.WeakSet()
        if not self.is_sqlite:
            event.listen(self.engine, "connect", lambda dbapi, _record: self._opened.add(dbapi))
            _ping_when_idle(self.engine, ping_after_idle)
        self.write_gate = WriteGate()
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_timeout, self.write_gate)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(passerelle_read_only=True), expire_on_commit=False
        )
        self._lookup_sessions = (
            self._read_sessions
            if self.is_sqlite
            else sessionmaker(
                self.engine.execution_options(
                    passerelle_read_only=True, isolation_level="AUTOCOMMIT"
                ),
                expire_on_commit=False,
            )
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back otherwise.

        A lock not granted in time raises :class:`~passerelle.errors.DatabaseBusy`; opening a
        session on the event loop while serving a request raises
        :class:`BlockingCallOnEventLoop`.
        """
        with self._unit(self._sessions) as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A unit of work that only reads: on SQLite a deferred ``BEGIN`` that takes no write
        lock, so it never waits for writers (WAL readers see the last committed state).
        Writing in it is a programming error (SQLite may then refuse with ``database is
        locked`` at once)."""
        with self._unit(self._read_sessions) as session:
            yield session

    @contextmanager
    def lookup_session(self) -> Iterator[Session]:
        """A read-only unit of work whose statements each run on their own: on PostgreSQL in
        autocommit, so a look-up of one row (a credential, per request) is one round trip,
        without ``BEGIN`` and ``COMMIT``. At PostgreSQL's READ COMMITTED every statement of a
        transaction sees the data committed before it began anyway, so a read sees the same
        rows. On SQLite it is :meth:`read_session`. Never write nor audit in it."""
        with self._unit(self._lookup_sessions) as session:
            yield session

    @contextmanager
    def _unit(self, factory: sessionmaker[Session]) -> Iterator[Session]:
        if serving_request.get() and on_event_loop():
            raise BlockingCallOnEventLoop(
                "a database session was opened on the event loop; run it in the thread pool"
            )
        try:
            with factory() as session, session.begin():
                yield session
        except (sa_exc.DBAPIError, sa_exc.TimeoutError) as exc:
            if is_busy(exc):
                raise DatabaseBusy(
                    "the database is busy; retry in a moment",
                    wait_seconds=self.busy_timeout,
                ) from exc
            raise

    def migrate(self) -> None:
        """Bring the schema to the newest revision; safe when several processes start at once."""
        with self._migration_lock():
            upgrade(self.engine, self.extra_migrations)

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.is_sqlite:
            database = make_url(self.url).database
            if not database or database == ":memory:":
                yield
                return
            lock_path = Path(database).with_suffix(".migrate.lock")
            with lock_path.open("w") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        else:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(7262001)"))
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(7262001)"))
                    conn.commit()

    def read_committed(self, statement: ClauseElement) -> list[Any]:
        """Rows of a SELECT read outside any transaction: the last committed state.

        For code that runs inside another transaction and must not wait for a second one:
        on SQLite every transaction takes the write lock (``BEGIN IMMEDIATE``), so a second
        session would wait for the first (federation calls a kind's search inside its inbox
        transaction). A plain DBAPI read in autocommit takes no lock.
        """
        compiled = cast(
            SQLCompiler,
            statement.compile(
                dialect=self.engine.dialect, compile_kwargs={"render_postcompile": True}
            ),
        )
        params = compiled.params
        positional = [params[k] for k in compiled.positiontup or ()]
        args: Any = positional if compiled.positional else params
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(str(compiled), args)
            rows = list(cursor.fetchall())
            cursor.close()
            raw.rollback()
        finally:
            raw.close()
        return rows

    def dispose(self) -> None:
        """Close the pool and every connection still open; the node is closed."""
        self.engine.dispose()
        for connection in list(self._opened):
            if not connection.closed:
                connection.close()


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before handing it out only if it sat idle ``idle_seconds``.

    ``pool_pre_ping`` pinged at every checkout: one round trip more per unit of work, about a
    tenth of a transaction check's. A connection back in use within the second was alive a
    moment ago; one idle longer (a restarted or failed-over server closed it meanwhile) is
    pinged and, if dead, replaced before anyone uses it (the pool retries the checkout with a
    new connection). A connection the server dropped within the last second fails its first
    statement instead, and SQLAlchemy then discards every pooled connection of that server.
    """

    @event.listens_for(engine.pool, "checkin")
    def _idle_from(_dbapi: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping_if_idle(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # a new connection, or one in use a moment ago
        try:
            engine.dialect.do_ping(dbapi)
        except Exception as exc:
            raise sa_exc.DisconnectionError(f"a pooled connection was closed: {exc}") from exc


def _private_file(path: Path) -> None:
    """Create the SQLite file (and its folder) readable by the owner only, whatever the umask;
    SQLite gives its ``-wal`` and ``-shm`` files the database file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.chmod(0o600)


def _raw(connection: Any) -> int:
    """Identity of the DBAPI connection behind a pooled proxy (or of the connection itself)."""
    return id(getattr(connection, "dbapi_connection", None) or connection)


def _configure_sqlite(engine: Engine, busy_timeout: float, gate: WriteGate) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN IMMEDIATE can be emitted.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={max(int(busy_timeout * 1000), 1)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get("passerelle_read_only", False)
        if not read_only:
            gate.acquire(_raw(conn.connection), busy_timeout)
        try:
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
        except BaseException:
            gate.release(_raw(conn.connection))
            raise

    # The gate opens once the transaction has really ended: after the DBAPI commit or rollback
    # (the pool's reset on return included), or when the connection leaves the pool.
    dialect = engine.dialect
    do_commit, do_rollback = dialect.do_commit, dialect.do_rollback

    def _commit(dbapi_connection: Any) -> None:
        try:
            do_commit(dbapi_connection)
        finally:
            gate.release(_raw(dbapi_connection))

    def _rollback(dbapi_connection: Any) -> None:
        try:
            do_rollback(dbapi_connection)
        finally:
            gate.release(_raw(dbapi_connection))

    dialect.do_commit = _commit  # type: ignore[method-assign]
    dialect.do_rollback = _rollback  # type: ignore[method-assign]
    for name in ("checkin", "close", "detach", "invalidate", "soft_invalidate"):
        event.listen(
            engine, name, lambda dbapi_connection, *_: gate.release(_raw(dbapi_connection))
        )
