"""Fixture strategy: three nodes (FR, BE, ES) in one process.

Each node has its own database (SQLite files, or three databases on the test PostgreSQL
server), its own key pair and the two others as peers. They talk through :class:`Mesh`, an
httpx transport that routes ``http://<code>.test`` to that node's ASGI app and can take a node
"down" (connection refused) or make it slow (it processes the message, the answer comes late).
All nodes share one :class:`FrozenClock`. The kind ``vehicle`` is registered for the tests:
each node holds a few synthetic plates in :data:`PLATES`.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI

from passerelle import domains
from passerelle.federation import keys, kinds, peers, policies
from passerelle.node import Node, open_node
from passerelle.privacy import FrozenClock, accounts, audit
from passerelle.settings import Settings
from passerelle.web.app import create_app
from tests.conftest import START

CODES = ("FR", "BE", "ES")
#: The synthetic test kind names the legal basis it travels under, as every kind must.
VEHICLE_BASIS = "Synthetic test basis (vehicle registers, no personal data)"
#: Synthetic stolen-vehicle plates held by each node: plate → record.
PLATES: dict[str, dict[str, dict[str, str]]] = {
    "FR": {"AB-123-CD": {"plate": "AB-123-CD", "make": "Renault", "colour": "grey"}},
    "BE": {
        "1-ABC-234": {
            "plate": "1-ABC-234",
            "make": "Volkswagen",
            "colour": "blue",
            "holder": "Jan PEETERS",
        }
    },
    "ES": {},
}


def _search(query: Mapping[str, Any], node: Node) -> kinds.SearchResult:
    plate = str(query.get("plate", ""))
    return (
        kinds.SearchResult(True, plate) if plate in PLATES[node.code] else kinds.SearchResult(False)
    )


def _fetch(internal_ref: str, node: Node) -> dict[str, str]:
    return dict(PLATES[node.code].get(internal_ref, {}))


@pytest.fixture(autouse=True)
def vehicle_kind() -> Iterator[None]:
    kinds.register_kind("vehicle", _search, _fetch, replace=True, legal_basis=VEHICLE_BASIS)
    yield
    kinds.unregister_kind("vehicle")


class Mesh(httpx.AsyncBaseTransport):
    """Routes requests to in-process apps by host; nodes can be down or slow."""

    def __init__(self) -> None:
        self.apps: dict[str, httpx.ASGITransport] = {}
        self.down: set[str] = set()
        self.delay: dict[str, float] = {}
        self.posts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        code = request.url.host.split(".")[0].upper()
        self.posts.append(code)
        if code in self.down:
            raise httpx.ConnectError(f"{code} is down", request=request)
        response = await self.apps[code].handle_async_request(request)
        if code in self.delay:  # the peer has processed the message; its answer is late
            await asyncio.sleep(self.delay[code])
        return response


@dataclass
class Net:
    nodes: dict[str, Node]
    apps: dict[str, FastAPI]
    clock: FrozenClock
    mesh: Mesh = field(default_factory=Mesh)
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
        """Connect the apps to the mesh; yield an API client per node (as its analyst)."""
        async with httpx.AsyncClient(transport=self.mesh) as shared:
            for app in self.apps.values():
                app.state.federation_client = shared
            clients = {
                code: httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url=f"http://{code.lower()}.test"
                )
                for code, app in self.apps.items()
            }
            try:
                yield clients
            finally:
                for c in clients.values():
                    await c.aclose()

    def auth(self, code: str, role: str) -> dict[str, str]:
        return {"authorization": f"Bearer {self.tokens[(code, role)]}"}


def _pg_urls(request: pytest.FixtureRequest) -> list[str]:
    admin_url: str = request.getfixturevalue("pg_admin_url")
    urls = []
    for _ in CODES:
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        urls.append(
            re.sub(
                r"/[^/?]*(\?|$)",
                f"/{name}\\1",
                admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
                count=1,
            )
        )
    request.addfinalizer(lambda: _drop(admin_url, urls))
    return urls


def _drop(admin_url: str, urls: list[str]) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for url in urls:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def short_timeout(net: Net, code: str = "FR", seconds: float = 5.0) -> None:
    """Make ``code``'s per-peer timeout shorter, for the tests of a slow peer (long enough for
    the other peers to answer on a loaded machine)."""
    node = net.nodes[code]
    node.settings = node.settings.with_(federation_timeout_seconds=seconds)


def build_net(tmp_path: Path, urls: list[str]) -> Net:
    clock = FrozenClock(START)
    nodes: dict[str, Node] = {}
    for code, url in zip(CODES, urls, strict=True):
        settings = Settings(
            data_dir=tmp_path / code.lower(),
            database_url=url,
            node=code,
            public_url=f"http://{code.lower()}.test",
            # generous, so that answers on a loaded machine are not taken for timeouts; the
            # tests of a slow peer shorten it with ``short_timeout``
            federation_timeout_seconds=10.0,
        ).with_(**domains.demo_settings(code))
        keys.generate(settings)
        nodes[code] = open_node(settings, clock=clock)
    net = Net(nodes=nodes, apps={}, clock=clock)
    for code, node in nodes.items():
        with node.session() as session:
            accounts.ensure_agency(session, code, f"{code} test node", code)
            for other, other_node in nodes.items():
                if other != code:
                    public = keys.public_text(keys.load(other_node.settings))
                    peers.add(
                        session,
                        other,
                        other_node.settings.public_url,
                        public,
                        now=START,
                        insecure_http=True,
                    )
                    # Queries and follow-up answers carry personal data: a new peer gets
                    # ``never`` for them until an admin decides (issue #15), as here.
                    policies.apply_defaults(
                        session,
                        node,
                        audit.Actor("test:admin", code),
                        other,
                        "test net",
                        protocol_only=True,
                    )
            for role in ("analyst", "supervisor", "dpo", "admin"):
                net.tokens[(code, role)] = accounts.create_token(
                    session, name=f"{code}-{role}", role=role, agency=code, now=START
                )
        app = create_app(node)
        app.state.federation_worker = False
        net.apps[code] = app
        net.mesh.apps[code] = httpx.ASGITransport(app=app)
    return net


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    """Three nodes on SQLite."""
    urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    built = build_net(tmp_path, urls)
    yield built
    for node in built.nodes.values():
        node.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_net(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Net]:
    """Three nodes on SQLite, then on PostgreSQL (for the exchanges that write most)."""
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES]
    else:
        urls = _pg_urls(request)
    built = build_net(tmp_path, urls)
    yield built
    for node in built.nodes.values():
        node.close()
