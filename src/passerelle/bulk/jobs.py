"""Bulk jobs, partitioned and resumable: one generic runner (:func:`run_job`) and screening.

A job is a :class:`JobPlan` (prepare the inputs, compute one partition, write the output);
:func:`run_job` owns the rest for every job: the engine, the partitions, progress, resumption
and clean-up. Screening is one plan; other packages bring theirs (the DNA comparison).

A job lives in a directory: ``manifest.json`` (what the job is, which partitions are done),
the inputs copied once as Parquet, and one Parquet file per finished partition under
``parts/``. Every file is written beside its final name and renamed into place, and the
manifest is rewritten the same way after each partition, so a run killed at any moment leaves
a consistent directory; running the same command again skips the finished partitions and
produces the same output. The job directory is removed when the output has been written.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypedDict, Unpack

import pyarrow as pa
import pyarrow.parquet as pq

from passerelle.bulk import blocking
from passerelle.bulk.engine import BulkEngine, check_engine, open_engine
from passerelle.bulk.options import DEFAULT_PARTITION_ROWS
from passerelle.bulk.people import write_people
from passerelle.bulk.progress import JobProgress
from passerelle.bulk.scoring import HIT_SCHEMA, clear_entry_cache, score_candidates
from passerelle.csvsafe import SafeWriter
from passerelle.errors import Conflict, ValidationFailed
from passerelle.identity import (
    NUMERIC_OUTPUT_COLUMNS,
    OUTPUT_COLUMNS,
    Reject,
    rejects_path,
    write_rejects,
)
from passerelle.settings import Settings

_VERSION = 1


@dataclass(frozen=True)
class JobReport:
    """What a run did: output rows, partitions in all, and how many an earlier run had done."""

    output: Path
    rows: int
    partitions: int
    resumed: int
    rejects: int = 0  # input rows with a problem, listed in the rejects report beside output


def _fingerprint(path: Path) -> list[Any]:
    stat = path.stat()
    return [str(path.resolve()), stat.st_size, stat.st_mtime_ns]


class JobDir:
    """A job directory and its manifest."""

    def __init__(self, path: Path, kind: str, inputs: list[Path], params: dict[str, Any]) -> None:
        self.path = path
        identity = {
            "version": _VERSION,
            "kind": kind,
            "inputs": [_fingerprint(p) for p in inputs],
            "params": params,
        }
        manifest_path = path / "manifest.json"
        if manifest_path.exists():
            self.manifest: dict[str, Any] = json.loads(manifest_path.read_text("utf-8"))
            if {k: self.manifest.get(k) for k in identity} != identity:
                raise Conflict(
                    f"{path} holds another job (different inputs or parameters); "
                    "remove it or choose another --job-dir"
                )
        else:
            path.mkdir(parents=True, exist_ok=True)
            self.manifest = {**identity, "completed": []}
            self.save()

    def save(self) -> None:
        """Rewrite the manifest atomically."""
        tmp = self.path / "manifest.json.tmp"
        tmp.write_text(json.dumps(self.manifest, indent=1), "utf-8")
        os.replace(tmp, self.path / "manifest.json")

    def __truediv__(self, name: str) -> Path:
        return self.path / name

    @property
    def completed(self) -> set[int]:
        return set(self.manifest["completed"])

    def part(self, index: int) -> Path:
        return self.path / "parts" / f"part-{index:05d}.parquet"

    def finish_part(self, index: int, table: pa.Table) -> None:
        """Write a partition's output, then record it as done (in that order)."""
        target = self.part(index)
        target.parent.mkdir(exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, target)
        self.manifest["completed"] = sorted(self.completed | {index})
        self.save()

    def parts(self, count: int) -> list[pa.Table]:
        return [pq.read_table(self.part(i)) for i in range(count)]


def default_job_dir(out: Path) -> Path:
    """Where a job writing ``out`` keeps its state unless told otherwise."""
    return out.with_name(f".{out.name}.job")


def _ranges(rows: int, size: int) -> list[tuple[int, int]]:
    return [(lo, min(rows, lo + size)) for lo in range(0, rows, size)] or [(0, 0)]


def write_atomic(out: Path, write: Callable[[Path], object]) -> None:
    tmp = out.with_name(out.name + ".part")
    try:
        write(tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


def run_partitions(
    job: JobDir,
    rows: int,
    partition_rows: int,
    compute: Callable[[int, int], pa.Table],
    progress: JobProgress,
    description: str,
    on_partition: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Compute every unfinished partition; returns (partitions, partitions resumed)."""
    ranges = _ranges(rows, partition_rows)
    done = job.completed
    resumed = len(done & set(range(len(ranges))))
    if resumed:
        progress.note(f"Resuming {job.path}: {resumed}/{len(ranges)} partition(s) already done")
    progress.start(
        description, rows, sum(hi - lo for i, (lo, hi) in enumerate(ranges) if i in done)
    )
    for index, (lo, hi) in enumerate(ranges):
        if index in done:
            continue
        job.finish_part(index, compute(lo, hi))
        progress.advance(hi - lo)
        if on_partition is not None:
            on_partition(index)
    return len(ranges), resumed


@dataclass(frozen=True)
class JobPlan:
    """What one kind of job does; :func:`run_job` runs it.

    ``prepare`` readies the job directory and registers the engine's tables, and returns the
    number of input rows to partition; ``compute`` turns rows ``[lo, hi)`` into a partition's
    table; ``write`` writes the output from every partition and returns its row count;
    ``rejects`` (optional) writes the rejects report and returns its problem count."""

    kind: str
    inputs: tuple[Path, ...]
    params: dict[str, Any]
    description: str
    prepare: Callable[[JobDir, BulkEngine], int]
    compute: Callable[[JobDir, BulkEngine, int, int], pa.Table]
    write: Callable[[Path, list[pa.Table]], int]
    rejects: Callable[[Path, JobDir], int] | None = None


class JobOptions(TypedDict, total=False):
    """How to run a job, the same for every bulk job (their ``**options``): see :func:`run_job`."""

    settings: Settings | None
    job_dir: Path | None
    partition_rows: int
    progress: JobProgress | None
    keep_job: bool
    on_partition: Callable[[int], None] | None
    workers: int


def run_job(
    plan: JobPlan,
    out: Path,
    *,
    engine: str,
    settings: Settings | None = None,
    job_dir: Path | None = None,
    job: JobDir | None = None,
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    progress: JobProgress | None = None,
    keep_job: bool = False,
    on_partition: Callable[[int], None] | None = None,
    workers: int = 1,
) -> JobReport:
    """Run ``plan`` on ``engine`` in its job directory (``job``, or one opened at ``job_dir``,
    by default beside ``out``), resuming after the partitions an earlier run finished. The
    directory is removed once the output is written, unless ``keep_job``."""
    if partition_rows < 1:
        raise ValidationFailed("partition rows must be at least 1")
    if job is None:
        job = JobDir(job_dir or default_job_dir(out), plan.kind, list(plan.inputs), plan.params)
    runner = open_engine(engine, settings, workers)
    bar = progress or JobProgress(enabled=False)
    try:
        with bar:
            rows = plan.prepare(job, runner)
            partitions, resumed = run_partitions(
                job,
                rows,
                partition_rows,
                partial(plan.compute, job, runner),
                bar,
                f"{plan.description} ({engine})",
                on_partition,
            )
        count = plan.write(out, job.parts(partitions))
    finally:
        runner.close()
    rejected = plan.rejects(out, job) if plan.rejects is not None else 0
    if not keep_job:
        shutil.rmtree(job.path, ignore_errors=True)
    return JobReport(out, count, partitions, resumed, rejected)


def _check(threshold: float, partition_rows: int) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise ValidationFailed(f"threshold {threshold} is outside [0, 1]")
    if partition_rows < 1:
        raise ValidationFailed("partition rows must be at least 1")


def _prepare_screening(
    job: JobDir, engine: BulkEngine, watchlist: Path, records: Path, strict: bool
) -> int:
    rejects: list[Reject] | None = None if strict else []
    if not (job / "entries_raw").exists():
        write_people(watchlist, job / "entries_raw", rejects)
    if not (job / "records").exists():
        write_people(records, job / "records", rejects)
    if rejects:  # kept in the job so that a resumed run reports them too
        write_rejects(job / "rejects.csv", rejects)
    engine.register("entries_raw", job / "entries_raw")
    if not (job / "entries").exists():
        engine.write(blocking.DEDUPLICATE_ENTRIES_SQL, job / "entries")
    engine.register("entries", job / "entries")
    if not (job / "entry_keys").exists():
        engine.write(
            "SELECT * FROM entries", job / "entry_keys", blocking.person_keys, blocking.KEY_SCHEMA
        )
    engine.register("entry_keys", job / "entry_keys")
    if not (job / "entry_index").exists():
        engine.write(blocking.entry_index_sql(), job / "entry_index")
    engine.register("entry_index", job / "entry_index")
    engine.register("records", job / "records")
    return _row_count(job / "records")


def _row_count(dataset: Path) -> int:
    """Rows of a Parquet dataset directory, from its files' footers."""
    return sum(int(pq.ParquetFile(f).metadata.num_rows) for f in dataset.glob("*.parquet"))


def _broadcast(job: JobDir) -> bool:
    """Whether the watchlist's key table is small enough to broadcast to the key join."""
    return _row_count(job / "entry_index") <= blocking.BROADCAST_MAX_KEY_ROWS


def _screen_partition(
    job: JobDir, engine: BulkEngine, threshold: float, broadcast: bool, lo: int, hi: int
) -> pa.Table:
    keys = job / "record_keys"
    engine.write(
        f"SELECT * FROM records WHERE ord >= {int(lo)} AND ord < {int(hi)}",  # noqa: S608
        keys,
        blocking.person_keys,
        blocking.KEY_SCHEMA,
    )
    engine.register("record_keys", keys)
    hits = engine.collect(
        blocking.candidates_sql(lo, hi, broadcast=broadcast),
        partial(score_candidates, threshold),
        HIT_SCHEMA,
    )
    # The in-memory order: input order, then best score first, ties by entry id.
    return hits.sort_by([("ord", "ascending"), ("score", "descending"), ("entry_id", "ascending")])


def write_hits(out: Path, tables: list[pa.Table]) -> int:
    """Write screening hits as CSV (identity's format, byte for byte) or Parquet."""
    columns = ["record_id", "entry_id", "score_text", "explanation"]
    table = pa.concat_tables([t.select(columns) for t in tables]) if tables else None
    if table is None:
        table = pa.table({c: pa.array([], pa.string()) for c in columns})
    table = table.rename_columns(list(OUTPUT_COLUMNS))

    def write(tmp: Path) -> None:
        if out.suffix.lower() == ".parquet":
            pq.write_table(table, tmp)
            return
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = SafeWriter(
                handle, OUTPUT_COLUMNS, numeric=NUMERIC_OUTPUT_COLUMNS, lineterminator="\n"
            )
            for batch in table.to_batches():
                writer.writerows(zip(*batch.to_pydict().values(), strict=True))

    write_atomic(out, write)
    return int(table.num_rows)


def _finish_rejects(out: Path, rejects: list[Reject] | None, saved: Path | None = None) -> int:
    """Write (or clear) the rejects report beside ``out``; the number of problems."""
    report = rejects_path(out)
    if saved is not None and saved.exists():
        shutil.copyfile(saved, report)
        with saved.open(encoding="utf-8") as handle:
            return max(0, sum(1 for _ in handle) - 1)
    if rejects:
        write_rejects(report, rejects)
        return len(rejects)
    report.unlink(missing_ok=True)
    return 0


def _screen_memory(
    watchlist: Path, records: Path, out: Path, threshold: float, strict: bool
) -> JobReport:
    from passerelle.bulk.people import read_any
    from passerelle.identity import Watchlist, hit_row, screen_many

    rejects: list[Reject] | None = None if strict else []
    index = Watchlist()
    for entry in read_any(watchlist, rejects):
        index.add(entry, replace=True)
    rows = [hit_row(r, m) for r, m in screen_many(read_any(records, rejects), index, threshold)]
    names = ["record_id", "entry_id", "score_text", "explanation"]
    table = pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})
    count = write_hits(out, [table])
    return JobReport(out, count, 1, 0, _finish_rejects(out, rejects))


def screen_job(
    watchlist: Path,
    records: Path,
    out: Path,
    *,
    threshold: float,
    engine: str,
    strict: bool = False,
    **options: Unpack[JobOptions],
) -> JobReport:
    """Screen every record against the watchlist on ``engine``; same output as ``screen``.

    ``workers``: processes the DuckDB engine scores in (Spark uses its executors' cores).
    A bad input row never aborts the run unless ``strict``: it is screened with its usable
    part (or skipped without an id) and listed in the rejects report beside ``out``."""
    partition_rows = options.get("partition_rows", DEFAULT_PARTITION_ROWS)
    _check(threshold, partition_rows)
    if check_engine(engine) == "memory":
        return _screen_memory(watchlist, records, out, threshold, strict)

    def prepare(job: JobDir, runner: BulkEngine) -> int:
        clear_entry_cache()
        return _prepare_screening(job, runner, watchlist, records, strict)

    def compute(job: JobDir, runner: BulkEngine, lo: int, hi: int) -> pa.Table:
        return _screen_partition(job, runner, threshold, _broadcast(job), lo, hi)

    plan = JobPlan(
        kind="screen",
        inputs=(watchlist, records),
        params={"threshold": threshold, "partition_rows": partition_rows},
        description="Screening",
        prepare=prepare,
        compute=compute,
        write=write_hits,
        rejects=lambda out, job: _finish_rejects(out, None, job / "rejects.csv"),
    )
    return run_job(plan, out, engine=engine, **options)


__all__ = [
    "DEFAULT_PARTITION_ROWS",
    "JobDir",
    "JobOptions",
    "JobPlan",
    "JobReport",
    "default_job_dir",
    "run_job",
    "run_partitions",
    "screen_job",
    "write_hits",
]
