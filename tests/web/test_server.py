"""``passerelle serve`` options: TLS files go together, mutual TLS needs TLS, workers >= 1;
every connection has Nagle's algorithm off."""

from __future__ import annotations

import asyncio
import socket
import ssl
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
