"""``passerelle crisis import|send|ack|list|escalate`` against a node's database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.crisis.model import CapMessage, Recipient
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.federation import keys, peers
from passerelle.node import open_node
from passerelle.settings import get_settings
from tests.crisis.conftest import cap_xml

runner = CliRunner()


@pytest.fixture(autouse=True)
def node_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "node"))
    monkeypatch.setenv("PASSERELLE_FEDERATION_TIMEOUT_SECONDS", "1")
    get_settings.cache_clear()
    yield tmp_path / "node"
    get_settings.cache_clear()


def test_import_stores_or_quarantines_and_says_which(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(cap_xml())
    bad.write_bytes(cap_xml(identifier="x2", status="Real"))
    result = runner.invoke(app, ["crisis", "import", str(good), str(bad)])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{good}: stored ")
    assert lines[1].startswith(f"{bad}: quarantined ") and "line 6" in lines[1]
    listed = runner.invoke(app, ["crisis", "list", "--search", "leie"])
    assert "Overstroming van de Leie" in listed.output


def test_send_to_an_unreachable_peer_queues_it_with_its_ack_deadline(tmp_path: Path) -> None:
    settings = get_settings()
    keys.generate(settings)
    node = open_node(settings)
    with node.session() as session:
        public = keys.public_text(keys.generate(settings.with_(data_dir=tmp_path / "be")))
        peers.add(
            session, "BE", "http://127.0.0.1:9", public, now=node.clock.now(), insecure_http=True
        )
    node.close()
    doc = tmp_path / "alert.xml"
    doc.write_bytes(cap_xml(identifier="FR.file.1", sender="cic@fr"))
    result = runner.invoke(app, ["crisis", "send", str(doc), "--to", "be"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("BE: queued  ack due ")
    again = runner.invoke(app, ["crisis", "send", str(doc), "--to", "BE"])
    # typed errors reach `passerelle.cli.main`, which prints them and exits with their code
    assert isinstance(again.exception, Conflict) and again.exception.exit_code == 7
    assert "already sent to BE" in again.exception.message
    unknown = runner.invoke(app, ["crisis", "send", str(doc), "--to", "XX"])
    assert isinstance(unknown.exception, ValidationFailed) and "unknown peer" in str(
        unknown.exception
    )
    node = open_node(get_settings())
    with node.session() as session:
        stored = session.scalars(select(CapMessage)).one()
        assert (stored.identifier, stored.origin) == ("FR.file.1", "local")
        assert session.scalars(select(Recipient.peer)).all() == ["BE"]
    node.close()


def test_ack_of_an_unknown_message_is_not_found_and_escalate_runs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["crisis", "ack", "nope"])
    assert isinstance(result.exception, NotFound) and result.exception.exit_code == 6
    assert "no crisis message nope" in result.exception.message
    assert runner.invoke(app, ["crisis", "escalate"]).output == "0 escalation(s) fired\n"
