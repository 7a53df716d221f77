"""No blocking database call on the event loop, and a busy database answers 503 at once.

The model: every route and dependency that touches the database is a plain ``def`` (FastAPI
runs it in the thread pool); ``async def`` code only reads the request and hands database work
to ``run_in_threadpool``. These tests walk the app's dependency tree and the package's source
so that an ``async def`` opening a session cannot come back.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import sqlite3
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from tests.conftest import START, login, make_user

import passerelle
from passerelle.errors import DatabaseBusy
from passerelle.kit.web import db_session
from passerelle.node import Node, open_node
from passerelle.privacy import accounts
from passerelle.settings import Settings
from passerelle.storage import BlockingCallOnEventLoop
from passerelle.web.app import api_routes, create_app

#: Calls that open a database session or read the database directly.
SESSION_CALLS = frozenset(
    {"session", "read_session", "read_committed", "db_session", "raw_connection"}
)
PACKAGE = Path(passerelle.__file__).parent


def _target(call: Any) -> Callable[..., Any]:
    """The function FastAPI awaits or runs in a thread for a dependant's ``call``."""
    if inspect.isfunction(call) or inspect.ismethod(call):
        return call  # type: ignore[no-any-return]
    return call.__call__  # type: ignore[no-any-return]


def _is_async(call: Any) -> bool:
    return inspect.iscoroutinefunction(_target(call)) or inspect.isasyncgenfunction(_target(call))


def _direct_session_calls(fn: ast.AsyncFunctionDef) -> list[int]:
    """Lines where ``fn`` itself (not a nested def or lambda it hands to a thread) opens a
    session or reads the database."""
    lines = []
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in SESSION_CALLS:
                lines.append(node.lineno)
        stack.extend(ast.iter_child_nodes(node))
    return lines


def _opens_session(call: Any) -> bool:
    source = textwrap.dedent(inspect.getsource(_target(call)))
    tree = ast.parse(source)
    return any(
        _direct_session_calls(fn) for fn in ast.walk(tree) if isinstance(fn, ast.AsyncFunctionDef)
    )


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    stack = [dependant]
    while stack:
        dep = stack.pop()
        yield dep
        stack.extend(dep.dependencies)


def _offenders(app: FastAPI) -> list[str]:
    found = set()
    for route in api_routes(app):
        for dep in _walk(route.dependant):
            if dep.call is None or not _is_async(dep.call):
                continue
            name = f"{route.path}: {getattr(_target(dep.call), '__qualname__', dep.call)}"
            if any(sub.call is db_session for sub in dep.dependencies):
                found.add(f"{name} takes a database session parameter")
            if _opens_session(dep.call):
                found.add(f"{name} opens a database session on the event loop")
    return sorted(found)


def test_no_async_route_or_dependency_opens_a_session(app: FastAPI) -> None:
    assert api_routes(app), "the walk sees the routes"
    assert _offenders(app) == []


def test_every_route_commits_before_it_answers(app: FastAPI) -> None:
    """The request's session is committed before the response is sent (``scope="function"``):
    a client that acts on an answer (log in, then call the API) must find what it said was
    stored, even though credentials are read without waiting for writers."""
    late = sorted(
        route.path
        for route in api_routes(app)
        for dep in _walk(route.dependant)
        if dep.call is db_session and dep.scope != "function"
    )
    assert any(
        dep.call is db_session for route in api_routes(app) for dep in _walk(route.dependant)
    )
    assert late == []


def test_the_walk_catches_an_async_dependency_that_opens_a_session(node: Node) -> None:
    """The check itself can fail: an ``async def`` dependency like the old ``authenticate``."""
    from fastapi import Depends, Request

    async def old_authenticate(request: Request) -> None:
        with request.app.state.node.session() as session:
            accounts.principal_for_token(session, "x", now=START)

    app = create_app(node)
    app.router.routes.clear()

    @app.get("/probe", dependencies=[Depends(old_authenticate)])
    async def probe(session: Any = Depends(db_session)) -> None:
        return None

    app.state.routers = []
    offenders = _offenders(app)
    assert any("old_authenticate opens a database session" in o for o in offenders)
    assert any("probe takes a database session parameter" in o for o in offenders)


def test_no_async_function_in_the_package_opens_a_session() -> None:
    """Services called from async routes (federation sends, alerts, PNR pushes) included."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.AsyncFunctionDef):
                rel = path.relative_to(PACKAGE)
                offenders += [f"{rel}:{line} {fn.name}" for line in _direct_session_calls(fn)]
                offenders += [
                    f"{rel}:{fn.lineno} {fn.name} takes a session parameter"
                    for arg in fn.args.args + fn.args.kwonlyargs
                    if arg.annotation is not None
                    and ast.unparse(arg.annotation) in {"Session", "DbSession"}
                ]
    assert offenders == []


def test_a_session_opened_on_the_event_loop_while_serving_is_refused(node: Node) -> None:
    app = create_app(node)

    @app.get("/probe/blocking")
    async def blocking() -> dict[str, int]:
        with node.session() as session:
            return {"users": len(accounts.list_users(session))}

    @app.get("/probe/threaded")
    def threaded() -> dict[str, int]:
        with node.session() as session:
            return {"users": len(accounts.list_users(session))}

    with TestClient(app) as client:
        with pytest.raises(BlockingCallOnEventLoop):
            client.get("/probe/blocking")
        assert client.get("/probe/threaded").json() == {"users": 0}

    async def command_line() -> int:  # outside a request (e.g. a CLI's asyncio.run): allowed
        with node.session() as session:
            return len(accounts.list_users(session))

    assert asyncio.run(command_line()) == 0


# ---- a busy database: 503 with Retry-After, quickly ------------------------------------------


@pytest.fixture
def busy_node(tmp_path: Path, database_url: str) -> Iterator[Node]:
    settings = Settings(
        data_dir=tmp_path / "node",
        database_url=database_url,
        node="FR",
        retention_interval_seconds=0,
        db_busy_timeout_seconds=0.5,
    )
    node = open_node(settings)
    with node.session() as session:
        accounts.ensure_agency(session, "FR", "France — test node", "FR")
    yield node
    node.close()


def _hold_lock(node: Node) -> Callable[[], None]:
    """Take the lock a request needs from another connection; returns the release."""
    url = make_url(node.db.url)
    if node.db.is_sqlite:
        conn = sqlite3.connect(str(url.database), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn.close
    pg = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    pg.execute("LOCK TABLE api_token, login_session IN ACCESS EXCLUSIVE MODE")
    return pg.close


def test_a_busy_database_answers_503_with_retry_after_at_once(busy_node: Node) -> None:
    with busy_node.session() as session:
        token = accounts.create_token(
            session, name="probe", role="analyst", agency="FR", now=busy_node.clock.now()
        )
    make_user(busy_node, "fr.analyst", "analyst")
    screening = {
        "id": "r1",
        "full_name": "Jean Dupont",
        "purpose": "border check",
        "legal_basis": "test",
    }
    with TestClient(create_app(busy_node), follow_redirects=False) as client:
        assert login(client, "fr.analyst").status_code == 303
        release = _hold_lock(busy_node)
        try:
            started = time.monotonic()
            api = client.post(
                "/api/v1/identity/screen",
                json=screening,
                headers={"authorization": f"Bearer {token}"},
            )
            page = client.get("/exchange/peers")
            elapsed = time.monotonic() - started
            health = client.get("/health")
        finally:
            release()
        after = client.post(
            "/api/v1/identity/screen", json=screening, headers={"authorization": f"Bearer {token}"}
        )
    assert api.status_code == 503, api.text
    assert api.headers["retry-after"] == "1"
    assert api.json()["error"] == "database_busy"
    assert page.status_code == 503 and page.headers["retry-after"] == "1"
    assert "content-security-policy" in {k.lower() for k in page.headers}
    assert elapsed < 5, f"two busy requests took {elapsed:.1f} s"
    assert health.status_code == 200
    assert after.status_code == 200, after.text


def test_a_read_session_does_not_wait_for_a_writer_on_sqlite(tmp_path: Path) -> None:
    """Resolving a token or a session cookie reads in a deferred transaction: a writer holding
    the SQLite write lock does not make every request wait behind it."""
    node = open_node(Settings(data_dir=tmp_path / "node", node="FR", db_busy_timeout_seconds=2))
    release = _hold_lock(node)
    try:
        started = time.monotonic()
        with node.read_session() as session:
            users = accounts.list_users(session)
        waited = time.monotonic() - started
        with pytest.raises(DatabaseBusy), node.session() as session:
            accounts.list_users(session)
    finally:
        release()
        node.close()
    assert users == [] and waited < 1
