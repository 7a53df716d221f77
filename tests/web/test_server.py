"""``passerelle serve`` options: TLS files go together, mutual TLS needs TLS, workers >= 1;
every connection has Nagle's algorithm off; a starting server leaves the heavy libraries out."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
import uvicorn
from uvicorn.server import ServerState

from passerelle.errors import UsageError
from passerelle.settings import Settings
from passerelle.web.server import NodeProtocol, serve, uvicorn_options


def test_plain_http_by_default() -> None:
    options = uvicorn_options(Settings(host="127.0.0.1", port=8123))
    assert options == {"host": "127.0.0.1", "port": 8123, "log_level": "info", "http": NodeProtocol}


def test_tls_and_mutual_tls_options(tmp_path: Path) -> None:
    for name in ("node.pem", "node.key", "ca.pem"):
        (tmp_path / name).write_text("-")
    settings = Settings(tls_cert=str(tmp_path / "node.pem"), tls_key=str(tmp_path / "node.key"))
    options = uvicorn_options(settings)
    assert options["ssl_certfile"].endswith("node.pem") and options["http"] is NodeProtocol
    assert "ssl_ca_certs" not in options
    mutual = uvicorn_options(settings.with_(tls_client_ca=str(tmp_path / "ca.pem")))
    assert mutual["ssl_cert_reqs"] == ssl.CERT_OPTIONAL  # browsers without a cert still connect
    assert mutual["ssl_ca_certs"].endswith("ca.pem")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tls_cert": "x.pem"}, "go together"),
        ({"tls_client_ca": "ca.pem"}, "needs --tls-cert"),
        ({"tls_cert": "missing.pem", "tls_key": "missing.key"}, "no file"),
    ],
)
def test_bad_tls_options_are_usage_errors(changes: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        uvicorn_options(Settings().with_(**changes))


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="at least 1"):
        serve(Settings(data_dir=tmp_path), workers=0)


async def _plain_app(scope: object, receive: object, send: object) -> None:
    raise AssertionError("no request is sent")


@pytest.mark.parametrize(
    "protocol_of", [lambda: NodeProtocol, lambda: uvicorn_options(Settings())["http"]]
)
def test_connections_on_a_workers_socket_have_nagle_off(protocol_of: object) -> None:
    """``serve --workers 2`` answered each request 40-50 ms late: on the listening socket
    uvicorn makes for its workers (``proto == 0``) asyncio leaves Nagle's algorithm on."""
    protocol = protocol_of()  # type: ignore[operator]

    async def scenario() -> int:
        config = uvicorn.Config(app=_plain_app, http=protocol, log_level="warning")
        config.load()
        state = ServerState()
        listener = socket.socket(family=socket.AF_INET)  # as uvicorn's Config.bind_socket
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: protocol(config=config, server_state=state, app_state={}), sock=listener
        )
        _, writer = await asyncio.open_connection(*listener.getsockname())
        while not state.connections:  # the server side accepts on its next loop turn
            await asyncio.sleep(0.01)
        (connection,) = state.connections
        nodelay = connection.transport.get_extra_info("socket").getsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY
        )
        writer.close()
        server.close()
        return int(nodelay)

    assert asyncio.run(asyncio.wait_for(scenario(), 60)) != 0


APP_PROBE = (
    "import sys\n"
    "from passerelle import domains\n"
    "from passerelle.node import open_node\n"
    "from passerelle.settings import get_settings\n"
    "from passerelle.web.app import create_app\n"
    "settings = get_settings()\n"
    "create_app(open_node(settings.with_(**domains.demo_settings(settings.node)))).openapi()\n"
    "heavy = ('duckdb', 'pyarrow', 'imagehash', 'scipy', 'reportlab', 'pyspark')\n"
    "print(' '.join(m for m in heavy if m in sys.modules) or 'light')\n"
)


def test_a_starting_server_loads_the_bulk_and_pdf_libraries_only_when_used(
    tmp_path: Path,
) -> None:
    """DuckDB, Arrow, image hashing and the PDF writer wait for the first request that needs
    them, so an idle node stays small (under 200 MB RSS with every domain installed)."""
    env = {**os.environ, "PASSERELLE_DATA_DIR": str(tmp_path / "fr"), "PASSERELLE_NODE": "FR"}
    env.pop("PASSERELLE_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", APP_PROBE], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "light"


async def _echo_app(scope: dict[str, object], receive: object, send: object) -> None:
    assert scope["type"] == "http"
    body = b""
    while True:
        message = await receive()  # type: ignore[operator]
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    answer = f"{scope['method']} {scope['path']} {len(body)}".encode()
    headers = [(b"content-length", str(len(answer)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": answer})  # type: ignore[operator]


async def _status_line(port: int, request: bytes) -> bytes:
    """The status line the server answers ``request`` with, on a connection of its own."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    line = (await reader.readuntil(b"\r\n")).strip()
    writer.close()
    await writer.wait_closed()
    return line


def test_the_server_protocol_reads_requests_in_pieces_and_refuses_a_malformed_one() -> None:
    """The node's HTTP parser (httptools under ``NodeProtocol``): a request whose head and
    body arrive in several TCP writes, then a second one on the same keep-alive connection,
    are answered; a malformed request line gets 400 and the server goes on serving."""

    async def scenario() -> list[bytes]:
        config = uvicorn.Config(
            app=_echo_app, http=uvicorn_options(Settings())["http"], log_level="warning"
        )
        config.load()
        state = ServerState()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: config.http_protocol_class(config=config, server_state=state, app_state={}),
            host="127.0.0.1",
            port=0,
        )
        port = server.sockets[0].getsockname()[1]
        answers = []
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for piece in (b"POST /check HT", b"TP/1.1\r\nHost: x\r\nContent-Le", b"ngth: 5\r\n\r\nab"):
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.05)
        writer.write(b"cde")
        writer.write(b"GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        for _ in range(2):
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            answers.append(head.split(b"\r\n")[0] + b" | " + await reader.readexactly(length))
        writer.close()
        await writer.wait_closed()
        answers.append(await _status_line(port, b"NOT A REQUEST\r\n\r\n"))
        answers.append(await _status_line(port, b"GET /after HTTP/1.1\r\nHost: x\r\n\r\n"))
        while state.connections:  # the server side closes each connection at its client's EOF
            await asyncio.sleep(0.01)
        server.close()
        await server.wait_closed()
        return answers

    answers = asyncio.run(asyncio.wait_for(scenario(), 60))
    assert answers == [
        b"HTTP/1.1 200 OK | POST /check 5",
        b"HTTP/1.1 200 OK | GET /again 0",
        b"HTTP/1.1 400 Bad Request",
        b"HTTP/1.1 200 OK",
    ]
