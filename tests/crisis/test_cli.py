"""``passerelle crisis validate FILE...``: one line per file, exit 0 when all are valid."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.crisis import rules
from tests.crisis.conftest import cap_xml


def test_validate_prints_one_line_per_file_and_fails_when_any_is_invalid(tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(cap_xml())
    bad = tmp_path / "bad.xml"
    bad.write_bytes(cap_xml(msg_type="Warning"))
    missing = tmp_path / "missing.xml"
    result = CliRunner().invoke(app, ["crisis", "validate", str(good), str(bad), str(missing)])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[0] == f"{good}: valid"
    assert lines[1].startswith(f"{bad}: invalid: line 7: schema: ")
    assert "msgType" in lines[1] and "'Warning'" in lines[1]
    assert lines[2].startswith(f"{missing}: invalid: cannot be read")
    assert len(lines) == 3


def test_validate_exits_0_when_every_file_is_valid(tmp_path: Path) -> None:
    files = []
    for n in range(3):
        path = tmp_path / f"a{n}.xml"
        path.write_bytes(cap_xml(identifier=f"BE.nccn.{n}"))
        files.append(str(path))
    result = CliRunner().invoke(app, ["crisis", "validate", *files])
    assert result.exit_code == 0
    assert result.output.splitlines() == [f"{f}: valid" for f in files]


def test_validate_agrees_with_xmllint_on_the_schema(tmp_path: Path) -> None:
    if shutil.which("xmllint") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("xmllint (libxml2-utils) is required in CI")
        pytest.skip("xmllint (libxml2-utils) not installed")
    for raw, expected in ((cap_xml(), 0), (cap_xml(status="Real"), 1)):
        path = tmp_path / "doc.xml"
        path.write_bytes(raw)
        ours = CliRunner().invoke(app, ["crisis", "validate", str(path)]).exit_code
        theirs = subprocess.run(
            ["xmllint", "--noout", "--nonet", "--schema", str(rules.CAP_XSD), str(path)],
            capture_output=True,
            check=False,
        ).returncode
        assert (ours, theirs != 0) == (expected, bool(expected))
