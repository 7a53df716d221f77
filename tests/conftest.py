"""Fixture strategy.

Every test that touches a database runs twice: on SQLite (a file in ``tmp_path``) and on a real
PostgreSQL server. The server is started once per test session from the Debian binaries
(``initdb``/``pg_ctl``; as the ``postgres`` user when the tests run as root) unless
``PASSERELLE_TEST_POSTGRES_URL`` points at one; each test gets a fresh database on it. With
``CI=true`` a PostgreSQL server that cannot be started is a failure, never a skip. A test
that leaves a connection to its database open fails at its own teardown.

Nodes get a :class:`FrozenClock` so tests can move time; users are made with :func:`make_user`.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from passerelle.node import Node, open_node
from passerelle.privacy import FrozenClock, accounts
from passerelle.settings import Settings, get_settings
from passerelle.web.app import create_app
from tests.pgserver import PostgresServer

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("PASSERELLE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        server = PostgresServer()
        server.start()
    except Exception as exc:  # pragma: no cover - depends on the machine
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL server could not be started in CI: {exc}")
        pytest.skip(f"no PostgreSQL server available: {exc}")
    try:
        yield server.url("postgres")
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'node.sqlite3'}"
        return
    admin_url: str = request.getfixturevalue("pg_admin_url")
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield re.sub(
        r"/[^/?]*(\?|$)",
        f"/{name}\\1",
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
        count=1,
    )
    # A connection the test leaked is still connected to the server until Python collects it:
    # counting the server's connections to the test's database fails the test that leaked it,
    # instead of a random later test whose garbage collection meets the unclosed connection.
    with psycopg.connect(admin_url, autocommit=True) as conn:
        left = _connections_to(conn, name)
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert not left, f"the test left {left} connection(s) to its database open"


def _connections_to(conn: psycopg.Connection[tuple[int]], name: str) -> int:
    """Client connections to ``name``, waiting for closed ones to leave the server's list."""
    deadline = time.monotonic() + 30
    while True:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
        ).fetchone()
        count = int(row[0]) if row else 0
        if count == 0 or time.monotonic() > deadline:
            return count
        time.sleep(0.1)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The FR node a CLI command run in-process opens (``PASSERELLE_DATA_DIR``, SQLite)."""
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "fr"))
    monkeypatch.setenv("PASSERELLE_NODE", "FR")
    get_settings.cache_clear()
    yield tmp_path / "fr"
    get_settings.cache_clear()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # The background retention scheduler is off unless a test turns it on.
    return Settings(
        data_dir=tmp_path / "node",
        database_url=database_url,
        node="FR",
        retention_interval_seconds=0,
    )


@pytest.fixture
def node(settings: Settings, clock: FrozenClock) -> Iterator[Node]:
    n = open_node(settings, clock=clock)
    with n.session() as session:
        accounts.ensure_agency(session, "FR", "France — test node", "FR")
    yield n
    n.close()


def make_user(node: Node, username: str, *roles: str, password: str = PASSWORD) -> None:
    with node.session() as session:
        accounts.add_user(
            session,
            username=username,
            password=password,
            roles=list(roles),
            agency="FR",
            now=node.clock.now(),
        )


@pytest.fixture
def app(node: Node) -> FastAPI:
    return create_app(node)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as c:
        yield c


def login(
    client: TestClient | httpx.Client, username: str, password: str = PASSWORD
) -> httpx.Response:
    """Log in through the console form, CSRF token included, as a browser does."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "login page carries a CSRF token"
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token.group(1)}
    )


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, read from a console page as a browser would."""
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"{path} carries the session's CSRF token"
    return match.group(1)
