"""``passerelle bulk screen`` and ``passerelle bulk dna-compare``: every option, same output."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from passerelle.bulk.cli import app
from passerelle.bulk.jobs import screen_job


@pytest.mark.duckdb
def test_bulk_screen_keeps_its_job_directory_when_asked(
    screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    watchlist, records = screening_files
    out, job = tmp_path / "hits.parquet", tmp_path / "job"
    args = ["screen", "--watchlist", str(watchlist), "--records", str(records), "--out", str(out)]
    args += ["--engine", "duckdb", "--job-dir", str(job), "--partition-rows", "30", "--keep-job"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "hit(s) at threshold 0.85 written to" in result.output
    assert sorted(p.name for p in (job / "parts").iterdir()) == [
        f"part-0000{i}.parquet" for i in range(4)
    ]
    screen_job(watchlist, records, tmp_path / "m.parquet", threshold=0.85, engine="memory")
    assert pq.read_table(out).equals(pq.read_table(tmp_path / "m.parquet"))
