"""Running a node under uvicorn (``passerelle serve``): TLS, mutual TLS, worker processes.

With ``--tls-cert``/``--tls-key`` the node speaks HTTPS only. ``--tls-client-ca`` asks every
client for a certificate signed by that CA (optional for browsers); the federation inbox then
requires one, pinned for the signing peer (``passerelle.federation.tls``). The client
certificate reaches the app through :class:`PeerCertProtocol`.

``--workers N`` runs N uvicorn worker processes, each opening the node from the environment
(:func:`app_from_env`). On PostgreSQL they scale with the cores; on SQLite they are allowed,
but writers still take the file's single write lock in turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from passerelle.errors import UsageError
from passerelle.node import open_node
from passerelle.settings import Settings, get_settings

#: ``request.state`` key of the TLS client certificate (DER bytes) of the connection.
PEER_CERT_STATE = "tls_peer_cert"


class NodeProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with Nagle's algorithm off on every connection, exposing the
    connection's TLS client certificate to the app.

    httptools (the C ``llhttp`` parser) rather than h11 (pure Python): h11 cost about 0.5 ms of
    CPU per request more to parse the request and write the answer, a tenth of an API
    check through HTTP (docs/benchmarks/precursors.md).

    asyncio turns Nagle off only on sockets it made itself (``proto == IPPROTO_TCP``); the
    listening socket uvicorn makes for ``--workers N`` has ``proto == 0``, so there every answer
    (headers and body are two writes) waited for the client's delayed ACK: 53 ms per request
    against 5 ms with one worker (docs/benchmarks/load.md).
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        if der:
            # Per connection: uvicorn copies app_state into every request's scope["state"].
            self.app_state = {**self.app_state, PEER_CERT_STATE: der}


def _file(value: str, flag: str) -> str:
    if not Path(value).is_file():
        raise UsageError(f"{flag}: no file {value}")
    return value


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run``/``uvicorn.Config`` from a node's settings."""
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "http": NodeProtocol,
    }
    if not (settings.tls_cert or settings.tls_key):
        if settings.tls_client_ca:
            raise UsageError("--tls-client-ca needs --tls-cert and --tls-key")
        return options
    if not (settings.tls_cert and settings.tls_key):
        raise UsageError("--tls-cert and --tls-key go together")
    options.update(
        ssl_certfile=_file(settings.tls_cert, "--tls-cert"),
        ssl_keyfile=_file(settings.tls_key, "--tls-key"),
    )
    if settings.tls_client_ca:
        options.update(
            ssl_ca_certs=_file(settings.tls_client_ca, "--tls-client-ca"),
            ssl_cert_reqs=ssl.CERT_OPTIONAL,
        )
    return options


#: Settings fields ``serve`` may override, with their environment variable (for workers).
OVERRIDES = {
    "host": "PASSERELLE_HOST",
    "port": "PASSERELLE_PORT",
    "tls_cert": "PASSERELLE_TLS_CERT",
    "tls_key": "PASSERELLE_TLS_KEY",
    "tls_client_ca": "PASSERELLE_TLS_CLIENT_CA",
}


def serve(settings: Settings, *, workers: int = 1) -> None:
    """Run the node until interrupted; ``workers`` > 1 starts that many processes."""
    import uvicorn

    from passerelle.web.app import create_app

    if workers < 1:
        raise UsageError("--workers must be at least 1")
    options = uvicorn_options(settings)
    node = open_node(settings)  # migrations run once, here, before any worker starts
    if workers == 1:
        uvicorn.run(create_app(node), **options)
        return
    node.close()
    for name, variable in OVERRIDES.items():  # worker processes read their settings from here
        os.environ[variable] = str(getattr(settings, name))
    uvicorn.run("passerelle.web.server:app_from_env", factory=True, workers=workers, **options)


def app_from_env() -> FastAPI:
    """The app factory each uvicorn worker process calls (``serve --workers N``)."""
    from passerelle.web.app import create_app

    return create_app(open_node(get_settings()))
