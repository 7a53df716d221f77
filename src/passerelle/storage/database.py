"""Engine and session handling for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from passerelle.storage.migrate import upgrade


class Database:
    """One node's database: an engine, a session factory and its migrations.

    On SQLite every transaction starts with ``BEGIN IMMEDIATE`` so that concurrent writers (two
    processes on one node file) queue on the write lock instead of failing half-way; WAL mode
    keeps readers unblocked.
    """

    def __init__(self, url: str, *, extra_migrations: Sequence[str] = ()) -> None:
        self.url = url
        self.extra_migrations = tuple(extra_migrations)
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            if parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back otherwise."""
        with self._sessions() as session, session.begin():
            yield session

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
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN IMMEDIATE can be emitted.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
