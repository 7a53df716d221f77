"""``passerelle heritage check --object OBJECT.json [--image FILE]... --json`` as an operator
runs it: a stolen object registered with its photograph is found from a transformed copy."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from passerelle.errors import ValidationFailed
from passerelle.heritage import plugin
from tests.heritage.conftest import copy_of, obj, photo

runner = CliRunner()
app = typer.Typer()
plugin.register_cli(app)


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_check_prints_rules_risk_and_matches_with_reasons(data_dir: Path, tmp_path: Path) -> None:
    stolen = tmp_path / "stolen.json"
    stolen.write_text(obj().model_dump_json(exclude={"offer"}))
    (tmp_path / "stolen.png").write_bytes(photo(7))
    registered = json.loads(
        invoke(
            "heritage",
            "register",
            "--object",
            str(stolen),
            "--image",
            str(tmp_path / "stolen.png"),
            "--stolen",
            "--source",
            "interpol",
        )
    )
    offered = tmp_path / "offered.json"
    offered.write_text(
        json.dumps(
            {
                "object_type": "figurine",
                "title": "Bronze worshipper figure",
                "materials": ["bronze"],
                "country_of_origin": "IQ",
                "category": "archaeological",
                "year_made": -2400,
                "offer": {"channel": "auction", "seller": "Salle des ventes (test)"},
            }
        )
    )
    (tmp_path / "copy.jpg").write_bytes(copy_of(7))
    out = json.loads(
        invoke(
            "heritage",
            "check",
            "--object",
            str(offered),
            "--image",
            str(tmp_path / "copy.jpg"),
            "--json",
        )
    )
    assert out["risk"] == "high"
    assert {r["code"] for r in out["rules"] if r["applies"]} >= {"import_licence", "embargo_IQ"}
    assert all(r["source"] for r in out["rules"])
    best = out["matches"][0]
    assert best["reference"] == registered["reference"]
    assert best["image_score"] > 0.5 and best["source"] == "interpol"
    assert any("perceptual hash" in reason for reason in best["reasons"])
    assert out["reference"].startswith("CHK-FR-")


def test_a_bad_object_file_is_a_typed_error(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"object_type": "vase", "year_made": "old"}')
    result = runner.invoke(app, ["heritage", "check", "--object", str(bad), "--json"])
    assert isinstance(result.exception, ValidationFailed)
    assert result.exception.details["field"] == "title"
