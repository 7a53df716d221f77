"""The progress bar a user watches: records processed, throughput, time left, resumption."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.bulk import JobProgress, screen_job


@pytest.mark.duckdb
def test_the_bar_shows_records_throughput_and_resumption(
    screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    watchlist, records = screening_files
    out = tmp_path / "hits.csv"

    def stop(index: int) -> None:
        raise KeyboardInterrupt

    first = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        screen_job(
            watchlist, records, out, threshold=0.85, engine="duckdb", partition_rows=50,
            progress=JobProgress(Console(file=first, width=120)), on_partition=stop,
        )  # fmt: skip
    second = io.StringIO()
    screen_job(
        watchlist, records, out, threshold=0.85, engine="duckdb", partition_rows=50,
        progress=JobProgress(Console(file=second, width=120)),
    )  # fmt: skip
    shown = second.getvalue()
    assert "Resuming" in shown and "1/2 partition(s) already done" in shown
    assert "94/94" in shown, "every record counted, including those of the earlier run"
    assert "records/s" in shown and "ETA" in shown
