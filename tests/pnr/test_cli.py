"""``passerelle pnr ingest`` and ``passerelle pnr synth`` as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.pnr.cli import app
from passerelle.pnr.ingest import parse_file
from passerelle.pnr.osdm import validate_osdm
from passerelle.settings import get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def node_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``pnr ingest`` stores into the node of the settings: a fresh one per test."""
    monkeypatch.setenv("PASSERELLE_DATA_DIR", str(tmp_path / "node"))
    get_settings.cache_clear()
    yield tmp_path / "node"
    get_settings.cache_clear()


def test_ingest_json_prints_one_line_per_file_and_exits_0(samples: Path) -> None:
    files = [str(samples / "pnr1.txt"), str(samples / "no_pnr_history.edi")]
    result = runner.invoke(app, ["ingest", "--json", *files])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["record_locators"] for line in lines] == [
        ["MFN4TI"],
        ["3MZVP2", "33O6DK", "35K2IO"],
    ]
    assert [line["passengers"] for line in lines] == [2, 4]
    assert set(lines[0]) == {
        "file",
        "messages",
        "pnrs",
        "passengers",
        "record_locators",
        "quarantined",
    }


def test_ingest_exits_3_when_something_is_quarantined(tmp_path: Path, samples: Path) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_text("UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'TIF+X+Y:A:1'UNT+3+1'")
    result = runner.invoke(app, ["ingest", "--json", str(samples / "pnr4.txt"), str(bad)])
    assert result.exit_code == 3
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["quarantined"] == [
        {"segment": 3, "reason": "TIF before any SRC (no PNR to attach it to)"}
    ]


def test_ingest_human_output(samples: Path) -> None:
    result = runner.invoke(app, ["ingest", str(samples / "pnr4.txt")])
    assert result.exit_code == 0
    assert "1 PNR(s), 1 passenger(s), 0 quarantined" in result.stdout


def test_ingest_stores_into_the_node_once(samples: Path, node_dir: Path) -> None:
    first = runner.invoke(app, ["ingest", str(samples / "pnr4.txt")])
    again = runner.invoke(app, ["ingest", str(samples / "pnr4.txt")])
    assert first.exit_code == again.exit_code == 0
    assert "1 stored" in first.stdout
    assert "already received" in again.stdout
    assert (node_dir / "passerelle.sqlite3").is_file()


def test_ingest_dry_run_stores_nothing(samples: Path, node_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", "--dry-run", "--json", str(samples / "pnr4.txt")])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["record_locators"] == ["0995F0"]
    assert not node_dir.exists()


def test_ingest_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["ingest"]).exit_code == 2
    assert runner.invoke(app, ["ingest", str(tmp_path / "missing.edi")]).exit_code == 2


def test_synth_writes_pushes_that_ingest_accepts(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "--air", "30", "--rail", "4", "--out", str(tmp_path), "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "air: 30 PNR(s)" in result.stdout
    air = sorted((tmp_path / "air").iterdir())
    rail = sorted((tmp_path / "rail").iterdir())
    assert len(rail) == 4
    assert sum(len(parse_file(p).pnrs) for p in air) == 30
    for path in rail:
        validate_osdm(json.loads(path.read_text()))
    ingest = runner.invoke(app, ["ingest", "--json", *map(str, air + rail)])
    assert ingest.exit_code == 0, ingest.output


def test_ingest_of_non_ascii_digits_reports_instead_of_a_traceback(tmp_path: Path) -> None:
    weird = tmp_path / "weird.edi"
    weird.write_text(
        "UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'EQN+²'SRC'RCI+AF:SUP123'TIF+DUPONT+MARIE:A:1'"
        "EBD+X+³:20:KG'UNT+" + "9" * 5000 + "+1'UNZ+1+1'",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", "--json", str(weird)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["record_locators"] == ["SUP123"]


def test_ingest_of_a_garbage_file_prints_the_refusal_and_exits_3(tmp_path: Path) -> None:
    junk = tmp_path / "junk.edi"
    junk.write_text("UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'" + "XX'" * 1000 + "UNT+3+1'")
    result = runner.invoke(app, ["ingest", str(junk)])
    assert result.exit_code == 3, result.output
    assert "1000 quarantined" in result.output
    assert "push refused: 1000 of its 1003 segments cannot be read" in result.output
    as_json = json.loads(runner.invoke(app, ["ingest", "--json", "--dry-run", str(junk)]).stdout)
    assert as_json["refused"].startswith("push refused")
    assert as_json["quarantined"] == [{"segment": 0, "reason": as_json["refused"]}]
