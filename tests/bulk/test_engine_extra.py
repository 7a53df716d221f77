"""Spark is the ``passerelle[spark]`` extra: without pyspark, ``--engine spark`` says what to
install in one line and exits 2 (no traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

#: Runs the real ``passerelle`` entry point in a Python where ``import pyspark`` finds nothing,
#: as after ``pip install passerelle`` without the extra.
_WITHOUT_PYSPARK = (
    "import sys; sys.modules['pyspark'] = None; "
    "from passerelle.cli import main; sys.argv[0] = 'passerelle'; main()"
)


@pytest.mark.parametrize(
    "command",
    [
        ["bulk", "screen", "--watchlist", "{w}", "--records", "{r}", "--out", "{o}"],
        ["screen", "--watchlist", "{w}", "--records", "{r}", "--out", "{o}"],
        ["dna", "compare", "--a", "{a}", "--b", "{a}", "--out", "{o}"],
    ],
    ids=["bulk-screen", "screen", "dna-compare"],
)
def test_engine_spark_without_pyspark_exits_2_with_one_line(
    command: list[str], tmp_path: Path
) -> None:
    w, r = tmp_path / "w.csv", tmp_path / "r.csv"
    w.write_text("id,full_name\nW1,Jean Dupont\n", encoding="utf-8")
    r.write_text("id,full_name\nR1,Jean Dupond\n", encoding="utf-8")
    a = tmp_path / "a.csv"
    a.write_text("profile_id,locus,allele_1,allele_2\nP1,D3S1358,15,16\n", encoding="utf-8")
    names = {"w": str(w), "r": str(r), "a": str(a), "o": str(tmp_path / "out.csv")}
    argv = [part.format(**names) for part in command] + ["--engine", "spark"]
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_PYSPARK, *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [
        "error: the spark engine needs Apache Spark: pip install 'passerelle[spark]' "
        "(and a Java runtime)"
    ]
    assert not (tmp_path / "out.csv").exists()
