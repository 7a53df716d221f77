"""``passerelle serve`` options: TLS files go together, mutual TLS needs TLS, workers >= 1."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from passerelle.errors import UsageError
from passerelle.settings import Settings
from passerelle.web.server import PeerCertProtocol, serve, uvicorn_options


def test_plain_http_by_default() -> None:
    options = uvicorn_options(Settings(host="127.0.0.1", port=8123))
    assert options == {"host": "127.0.0.1", "port": 8123, "log_level": "info"}


def test_tls_and_mutual_tls_options(tmp_path: Path) -> None:
    for name in ("node.pem", "node.key", "ca.pem"):
        (tmp_path / name).write_text("-")
    settings = Settings(tls_cert=str(tmp_path / "node.pem"), tls_key=str(tmp_path / "node.key"))
    options = uvicorn_options(settings)
    assert options["ssl_certfile"].endswith("node.pem") and options["http"] is PeerCertProtocol
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
