"""The ``passerelle dna`` commands, driven through the Typer sub-app."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.dna import csvio
from passerelle.dna.cli import app
from passerelle.errors import UsageError, ValidationFailed
from tests.dna.conftest import Make

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path, make: Make) -> tuple[Path, Path]:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    csvio.write_profiles(a, [make("FR-1"), make("FR-2", TH01="7,8", FGA="19,20")])
    csvio.write_profiles(
        b, [make("BE-1", TH01="6,10"), make("BE-2", D3S1358="15,17"), make("BE-3", vWA="14,15")]
    )
    return a, b


def test_compare_writes_every_matching_pair(files: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = files
    out = tmp_path / "matches.csv"
    result = runner.invoke(app, ["compare", "--a", str(a), "--b", str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == [
        "a_id,b_id,matching_loci,mismatched_alleles,quality",
        "FR-1,BE-1,12,0,3",
        "FR-1,BE-2,11,1,4",
    ]
    assert "2 matching pair(s)" in result.output


def test_compare_refuses_an_unknown_engine(files: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = files
    args = ["compare", "--a", str(a), "--b", str(b), "--out", str(tmp_path / "m.csv")]
    result = runner.invoke(app, [*args, "--engine", "hadoop"])
    assert isinstance(result.exception, UsageError)


def test_compare_names_the_bad_line(files: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_text("profile_id,locus,allele_1,allele_2\nX,TH01,6,9.3\nX,FGA,21,250\n")
    args = ["compare", "--a", str(a), "--b", str(bad), "--out", str(tmp_path / "m.csv")]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, ValidationFailed)
    assert "line 3" in result.exception.message


def test_search_prints_quality_and_rmp(files: tuple[Path, Path]) -> None:
    a, b = files
    result = runner.invoke(app, ["search", str(a), "--db", str(b)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "FR-1: 2 match(es)"
    assert "BE-1  quality 3 (microvariant)" in lines[1] and "RMP" in lines[1]
    assert "needs laboratory confirmation" in lines[2]
    assert lines[3] == "FR-2: no match"


def test_search_with_codis_stringency(files: tuple[Path, Path]) -> None:
    a, b = files
    result = runner.invoke(app, ["search", str(a), "--db", str(b), "--stringency", "low"])
    assert result.exit_code == 0, result.output
    assert "FR-1: 2 low-stringency match(es)" in result.output


def test_profile_ids_that_look_like_formulas_are_text_and_read_back(
    tmp_path: Path, make: Make
) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    csvio.write_profiles(a, [make("=HYPERLINK(1)")])
    csvio.write_profiles(b, [make("@SUM(1)"), make("-2+3")])
    assert "'=HYPERLINK(1),D3S1358" in a.read_text()
    out = tmp_path / "matches.csv"
    result = runner.invoke(app, ["compare", "--a", str(a), "--b", str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == [
        "a_id,b_id,matching_loci,mismatched_alleles,quality",
        "'=HYPERLINK(1),'@SUM(1),12,0,1",
        "'=HYPERLINK(1),'-2+3,12,0,1",
    ]
