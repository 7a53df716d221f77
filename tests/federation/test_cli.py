"""``passerelle keys``, ``peers`` and ``outbox``, run as an operator would."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from passerelle.errors import ValidationFailed
from passerelle.federation import cli, envelope, keys, outbox, peers
from passerelle.node import open_node
from passerelle.settings import get_settings

runner = CliRunner()
app = typer.Typer()
cli.register(app)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "fr"))
    monkeypatch.setenv("PASSERELLE_NODE", "FR")
    monkeypatch.setenv("PASSERELLE_PUBLIC_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("PASSERELLE_FEDERATION_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("COLUMNS", "250")  # rich tables: no truncated ids
    get_settings.cache_clear()
    yield tmp_path / "fr"
    get_settings.cache_clear()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_keys_generate_then_show_prints_the_line_a_peer_runs(data_dir: Path) -> None:
    public = invoke("keys", "generate").strip().splitlines()[-1]
    assert len(public) == 44
    mode = stat.S_IMODE((data_dir / "keys" / keys.PRIVATE_KEY_FILE).stat().st_mode)
    assert mode == 0o600
    shown = invoke("keys", "show")
    assert f"passerelle peers add FR http://127.0.0.1:9 {public} --insecure-http" in shown.replace(
        "\n", ""
    )
    again = runner.invoke(app, ["keys", "generate"])
    assert again.exit_code != 0  # never replaced silently


def peer_codes(listing: str) -> set[str]:
    """The codes in the first column of the peers table (the random keys may contain any
    letters, so the whole output is not searched)."""
    return set(re.findall(r"^│ ([A-Z]{2,3}) +│", listing, flags=re.MULTILINE))


def test_peers_add_list_remove(data_dir: Path) -> None:
    public = keys.public_text(Ed25519PrivateKey.generate())
    for code in ("be", "ES"):
        invoke("peers", "add", code, f"https://{code.lower()}.example:8000", public)
    listing = invoke("peers", "list")
    assert peer_codes(listing) == {"BE", "ES"}
    invoke("peers", "remove", "BE")
    listing = invoke("peers", "list")
    assert peer_codes(listing) == {"ES"}
    bad = runner.invoke(app, ["peers", "add", "NL", "ftp://nl", public])
    assert bad.exit_code != 0


def test_peers_add_refuses_http_unless_insecure_http_and_pins_certificates(
    data_dir: Path,
) -> None:
    """Red-team finding 9: ``peers add`` accepted ``http://``, so bodies travelled in clear."""
    public = keys.public_text(Ed25519PrivateKey.generate())
    refused = runner.invoke(app, ["peers", "add", "BE", "http://be.example", public])
    assert isinstance(refused.exception, ValidationFailed)
    assert "https://" in refused.exception.message
    invoke("peers", "add", "BE", "http://127.0.0.1:9", public, "--insecure-http")
    pin = "AB:" * 31 + "CD"
    invoke("peers", "add", "ES", "https://es.example", public, "--tls-cert-sha256", pin)
    bad_pin = runner.invoke(
        app, ["peers", "add", "NL", "https://nl.example", public, "--tls-cert-sha256", "xyz"]
    )
    assert isinstance(bad_pin.exception, ValidationFailed)
    node = open_node(get_settings())
    with node.session() as session:
        assert peers.get(session, "BE").url == "http://127.0.0.1:9"
        assert peers.get(session, "ES").tls_cert_sha256 == ("ab" * 31 + "cd")
        assert peers.get(session, "BE").tls_cert_sha256 is None
        assert [p.code for p in peers.all_peers(session)] == ["BE", "ES"]
    node.close()


def test_outbox_list_and_retry_against_an_unreachable_peer(data_dir: Path) -> None:
    invoke("keys", "generate")
    invoke(
        "peers",
        "add",
        "BE",
        "http://127.0.0.1:9",
        keys.public_text(Ed25519PrivateKey.generate()),
        "--insecure-http",
    )
    node = open_node(get_settings())
    with node.session() as session:
        message = envelope.make(
            node, recipient="BE", type="ack", purpose="p", legal_basis="l", case_ref="C-1"
        )
        outbox.enqueue(session, message, now=node.clock.now(), cipher=node.cipher)
    node.close()
    assert message.id in invoke("outbox", "list")
    out = invoke("outbox", "retry")
    assert "1 message(s) retried, 0 delivered" in out
    listing = invoke("outbox", "list")
    assert "pending" in listing and "unreachable" in listing
    assert "1 message(s) retried" in invoke("outbox", "retry", message.id)
