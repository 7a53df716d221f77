"""``passerelle precursors …`` run as an operator would."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from passerelle.precursors import plugin
from tests.precursors.conftest import sale

runner = CliRunner()
app = typer.Typer()
plugin.register_cli(app)


def invoke(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output + repr(result.exception)
    return result.output


def test_check_prints_one_json_object_per_transaction_line(data_dir: Path, tmp_path: Path) -> None:
    out = invoke(
        "precursors",
        "seller",
        "add",
        "shop1",
        "--name",
        "Shop",
        "--kind",
        "shop",
        "--channel",
        "offline",
        "--country",
        "FR",
        "--city",
        "Lille",
    )
    assert "token (shown once): psl_" in out
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text(
        "sku,trade_name,synonyms,cas,concentration\nH2O2-30,Perhydrol 30,perhydrol,7722-84-1,30\n"
    )
    assert "1 products loaded" in invoke("precursors", "catalogue", "load", "shop1", str(catalogue))
    lines = tmp_path / "sales.jsonl"
    good = sale(product={"sku": "H2O2-30"}).model_dump_json()
    lines.write_text(f"{good}\n\n{{not json\n{sale().model_dump_json()}\n")
    printed = invoke("precursors", "check", "--json", str(lines), code=3).splitlines()
    objects = [json.loads(p) for p in printed]
    assert objects[0]["decision"] == "refused" and objects[0]["reference"]
    assert objects[1] == {"line": 3, "error": "malformed_input", "message": objects[1]["message"]}
    assert objects[2]["line"] == 4 and objects[2]["error"] == "not_found"  # H2O2-9 unknown


def test_registers_stats_and_substances(data_dir: Path) -> None:
    invoke(
        "precursors",
        "licence",
        "add",
        "BE",
        "L-1",
        "--family-name",
        "Claes",
        "--substances",
        "7722-84-1",
        "--max-concentration",
        "35",
        "--valid-from",
        "2026-01-01T00:00:00+00:00",
        "--valid-until",
        "2027-01-01T00:00:00+00:00",
    )
    assert "revoked" in invoke("precursors", "licence", "revoke", "BE", "L-1")
    assert "added" in invoke(
        "precursors", "watch", "add", "--family-name", "Martens", "--reason", "test"
    )
    stats = json.loads(invoke("precursors", "stats", "--year", "2026"))
    assert set(stats) == {"year", "online", "offline"}
    assert "7722-84-1" in invoke("precursors", "substances")
    assert "0 new patterns" in invoke("precursors", "patterns")
    invoke("precursors", "reports", "--overdue")
    invoke("precursors", "seller", "list")
    invoke("precursors", "catalogue", "list", "none")
