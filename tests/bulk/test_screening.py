"""Bulk screening gives the in-memory path's output, byte for byte, on every engine."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from passerelle.bulk import blocking, screen_job
from passerelle.bulk.jobs import default_job_dir
from passerelle.bulk.screen import screen
from passerelle.errors import Conflict, UsageError
from passerelle.identity import rules

app = typer.Typer()
app.command("screen")(screen)


def run_screen(watchlist: Path, records: Path, out: Path, *extra: str) -> None:
    args = ["--watchlist", str(watchlist), "--records", str(records), "--out", str(out), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def test_screen_command_on_each_engine_writes_the_in_memory_output(
    engine: str, screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    watchlist, records = screening_files
    run_screen(watchlist, records, tmp_path / "memory.csv", "--threshold", "0.8")
    run_screen(watchlist, records, tmp_path / "bulk.csv", "--threshold", "0.8", "--engine", engine)
    expected = (tmp_path / "memory.csv").read_bytes()
    assert (tmp_path / "bulk.csv").read_bytes() == expected
    rows = list(csv.DictReader(expected.decode().splitlines()))
    # The data reach the rules being mirrored: homonyms beyond the candidate limit, a
    # replaced watchlist entry, cross-script and noisy variants.
    assert sum(r["record_id"] == "Q1" for r in rows) >= 10
    assert len({r["record_id"] for r in rows}) > 40
    assert not (tmp_path / ".bulk.csv.job").exists(), "the job directory is removed at the end"


def test_over_common_keys_are_ignored_as_in_memory(
    engine: str,
    screening_files: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With a tiny posting cap most one-part keys are "too common": both paths drop the same.
    monkeypatch.setattr(rules, "POSTING_CAP", 3)
    watchlist, records = screening_files
    memory = screen_job(watchlist, records, tmp_path / "m.csv", threshold=0.7, engine="memory")
    bulk = screen_job(
        watchlist, records, tmp_path / "b.csv", threshold=0.7, engine=engine, partition_rows=200
    )
    assert (tmp_path / "b.csv").read_text("utf-8") == (tmp_path / "m.csv").read_text("utf-8")
    assert bulk.rows == memory.rows > 0


class Interrupted(Exception):
    pass


def test_a_watchlist_too_large_to_broadcast_gives_the_same_hits(
    engine: str,
    screening_files: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Past the broadcast limit the key join runs without Spark's hints (a shuffled join):
    # the hits must not change.
    monkeypatch.setattr(blocking, "BROADCAST_MAX_KEY_ROWS", 0)
    plans: list[bool] = []
    original = blocking.candidates_sql

    def spy(low: int, high: int, limit: int | None = None, *, broadcast: bool = True) -> str:
        plans.append(broadcast)
        return original(low, high, limit, broadcast=broadcast)

    monkeypatch.setattr(blocking, "candidates_sql", spy)
    watchlist, records = screening_files
    screen_job(watchlist, records, tmp_path / "m.csv", threshold=0.8, engine="memory")
    screen_job(
        watchlist, records, tmp_path / "b.csv", threshold=0.8, engine=engine, partition_rows=300
    )
    assert (tmp_path / "b.csv").read_text("utf-8") == (tmp_path / "m.csv").read_text("utf-8")
    assert plans and not any(plans)
    assert "/*+" not in original(0, 10, broadcast=False)
    assert "BROADCAST(e)" in original(0, 10)


def test_an_interrupted_job_resumes_from_its_last_partition(
    engine: str, screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    watchlist, records = screening_files
    out = tmp_path / "hits.csv"
    screen_job(watchlist, records, tmp_path / "memory.csv", threshold=0.85, engine="memory")

    def stop_after_first(index: int) -> None:
        raise Interrupted(index)

    with pytest.raises(Interrupted):
        screen_job(
            watchlist, records, out, threshold=0.85, engine=engine, partition_rows=40,
            on_partition=stop_after_first,
        )  # fmt: skip
    assert not out.exists(), "no output until every partition is done"
    assert (default_job_dir(out) / "parts" / "part-00000.parquet").exists()

    seen: list[int] = []
    report = screen_job(
        watchlist, records, out, threshold=0.85, engine=engine, partition_rows=40,
        on_partition=seen.append,
    )  # fmt: skip
    assert report.partitions == 3 and report.resumed == 1
    assert seen == [1, 2], "finished partitions are not computed again"
    assert out.read_bytes() == (tmp_path / "memory.csv").read_bytes()


@pytest.mark.duckdb
def test_a_job_directory_of_other_inputs_is_refused(
    screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    watchlist, records = screening_files
    job = tmp_path / "job"

    def stop(index: int) -> None:
        raise Interrupted(index)

    with pytest.raises(Interrupted):
        screen_job(
            watchlist, records, tmp_path / "a.csv", threshold=0.85, engine="duckdb",
            job_dir=job, partition_rows=50, on_partition=stop,
        )  # fmt: skip
    with pytest.raises(Conflict, match="another job"):
        screen_job(
            watchlist, records, tmp_path / "a.csv", threshold=0.9, engine="duckdb",
            job_dir=job, partition_rows=50,
        )  # fmt: skip


@pytest.mark.duckdb
def test_parquet_in_and_out_give_the_same_hits(
    screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    watchlist, records = screening_files
    as_parquet = tmp_path / "records.parquet"
    pq.write_table(pacsv.read_csv(records, convert_options=_all_strings(records)), as_parquet)
    screen_job(watchlist, records, tmp_path / "hits.csv", threshold=0.85, engine="duckdb")
    screen_job(watchlist, as_parquet, tmp_path / "hits.parquet", threshold=0.85, engine="duckdb")
    from_csv = list(csv.DictReader((tmp_path / "hits.csv").read_text("utf-8").splitlines()))
    assert pq.read_table(tmp_path / "hits.parquet").to_pylist() == from_csv


def _all_strings(path: Path) -> object:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = path.read_text("utf-8").splitlines()[0].split(",")
    return pacsv.ConvertOptions(column_types={c: pa.string() for c in header})


def test_an_unknown_engine_is_a_usage_error(
    screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    watchlist, records = screening_files
    with pytest.raises(UsageError, match="unknown engine"):
        screen_job(watchlist, records, tmp_path / "x.csv", threshold=0.85, engine="hadoop")


@pytest.mark.duckdb
def test_duckdb_scoring_in_two_processes_gives_the_same_output(
    screening_files: tuple[Path, Path], tmp_path: Path
) -> None:
    watchlist, records = screening_files
    screen_job(watchlist, records, tmp_path / "m.csv", threshold=0.85, engine="memory")
    screen_job(
        watchlist, records, tmp_path / "d.csv", threshold=0.85, engine="duckdb", workers=2,
        partition_rows=60,
    )  # fmt: skip
    assert (tmp_path / "d.csv").read_bytes() == (tmp_path / "m.csv").read_bytes()


def test_bad_rows_never_abort_a_bulk_run_and_are_reported_beside_the_output(
    engine: str, tmp_path: Path
) -> None:
    watchlist = tmp_path / "w.csv"
    watchlist.write_text(
        "id,full_name,date_of_birth\nW1,Sergei Ivanov,1975-03-02\nW2,Pieter Janssens,1969-7-16\n",
        encoding="utf-8",
    )
    records = tmp_path / "r.csv"
    records.write_text(
        "id,full_name,date_of_birth\n"
        "R1,Sergei Ivanov,1975-03-32\n"
        ",Nobody,1970\n"
        "R3,Pieter Janssens,1969-07-16\n",
        encoding="utf-8",
    )
    args = ["--watchlist", str(watchlist), "--records", str(records)]
    bulk = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "b.csv"), "--engine", engine])
    memory = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "m.csv")])
    assert bulk.exit_code == memory.exit_code == 3, (bulk.output, memory.output)
    hits = list(csv.DictReader((tmp_path / "b.csv").read_text("utf-8").splitlines()))
    assert {(h["record_id"], h["entry_id"]) for h in hits} == {("R1", "W1"), ("R3", "W2")}
    report = (tmp_path / "b.rejects.csv").read_text("utf-8").splitlines()
    assert report[0] == "file,line,reason"
    assert [row.split(",")[1] for row in report[1:]] == ["3", "2", "3"]
    assert report[1:] == (tmp_path / "m.rejects.csv").read_text("utf-8").splitlines()[1:]
    strict = CliRunner().invoke(
        app, [*args, "--out", str(tmp_path / "s.csv"), "--engine", engine, "--strict"]
    )
    assert isinstance(strict.exception, UsageError)
