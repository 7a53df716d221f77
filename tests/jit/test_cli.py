"""``passerelle jit open|list|agreement|evidence report`` against a node's database, and the
report written by the CLI verifying with ``jit evidence verify``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.errors import MalformedInput, UsageError
from passerelle.federation import keys
from passerelle.jit.service import common, evidence
from passerelle.node import open_node
from passerelle.settings import get_settings
from tests.jit.conftest import principal, team_in

runner = CliRunner()


@pytest.fixture(autouse=True)
def node_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "node"))
    get_settings.cache_clear()
    yield tmp_path / "node"
    get_settings.cache_clear()


def test_open_list_export_and_a_report_that_verifies(tmp_path: Path) -> None:
    spec = tmp_path / "team.json"
    spec.write_text(team_in().model_dump_json())
    opened = runner.invoke(app, ["jit", "open", str(spec)])
    assert opened.exit_code == 0, opened.output
    reference = opened.output.strip()
    assert reference.startswith("JIT-")
    listed = runner.invoke(app, ["jit", "list"])
    assert f"{reference}\topen\tFR,BE\tOpération Frontière" in listed.output
    pdf = tmp_path / "agreement.pdf"
    nl = runner.invoke(app, ["jit", "agreement", reference, "--out", str(pdf), "--lang", "nl"])
    assert nl.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(app, ["jit", "agreement", reference, "--out", str(pdf), "--lang", "de"])
    assert isinstance(bad.exception, UsageError)  # `passerelle` maps it to exit code 2

    node = open_node(get_settings())
    keys.ensure(node.settings)
    content = tmp_path / "item.bin"
    content.write_bytes(b"seized ledger scan")
    with node.session() as session:
        item = evidence.create(
            session,
            node,
            principal(),
            common.get_team(session, reference),
            filename="item.bin",
            handling="H1",
            content=content,
            sha256=evidence.digest_of(content.read_bytes()),
            size=content.stat().st_size,
        )
    node.close()
    report, report_pdf = tmp_path / "report.json", tmp_path / "report.pdf"
    written = runner.invoke(
        app, ["jit", "evidence", "report", item.id, "--out", str(report), "--pdf", str(report_pdf)]
    )
    assert written.exit_code == 0, written.output
    assert json.loads(report.read_text())["evidence"]["sha256"] == item.sha256
    assert report_pdf.read_bytes().startswith(b"%PDF")
    ok = runner.invoke(app, ["jit", "evidence", "verify", str(content), str(report)])
    assert ok.exit_code == 0, ok.output


def test_open_refuses_a_malformed_description(tmp_path: Path) -> None:
    spec = tmp_path / "team.json"
    spec.write_text('{"name": "x", "countries": ["FR"]}')
    result = runner.invoke(app, ["jit", "open", str(spec)])
    assert isinstance(result.exception, MalformedInput)
    assert "at least 2 items" in result.exception.message
