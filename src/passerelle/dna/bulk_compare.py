"""The DNA comparison job: every profile of A against database B under the Prüm rules.

Runs on any :class:`~passerelle.bulk.BulkEngine` (the bulk package's engines, partitions,
progress and resumption). Partitions of A are mapped through :func:`search_profiles`, which
loads B once per worker into the DNA package's own :class:`~passerelle.dna.index.ProfileIndex`
and asks it for every match — its block keys are the candidate generation, its exact rules the
comparison. The output equals ``passerelle dna compare`` on the memory engine, row for row.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any, Unpack

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from passerelle.bulk import (
    DEFAULT_PARTITION_ROWS,
    BulkEngine,
    JobDir,
    JobOptions,
    JobPlan,
    JobReport,
    check_engine,
    run_job,
    write_atomic,
)
from passerelle.dna import csvio, service
from passerelle.dna.index import ProfileIndex
from passerelle.dna.matching import MatchResult
from passerelle.dna.profiles import Profile
from passerelle.dna.rules import Quality
from passerelle.dna.wide import index_from_wide, profiles_of, write_wide
from passerelle.errors import MalformedInput, ValidationFailed

DNA_HIT_SCHEMA = pa.schema(
    [
        ("ord", pa.int64()),
        ("b_row", pa.int64()),
        ("a_id", pa.string()),
        ("b_id", pa.string()),
        ("compared_loci", pa.int32()),
        ("matching_loci", pa.int32()),
        ("mismatched_alleles", pa.int32()),
        ("quality", pa.int32()),
    ]
)

# The searched database, loaded once per worker process and kept for the next tasks.
_INDEXES: dict[str, tuple[ProfileIndex, NDArray[np.int64], NDArray[Any]]] = {}


def load_database(path: str) -> None:
    """Load the searched database in this process now: worker processes forked afterwards
    (the DuckDB engine's) then share one copy of its index instead of each building its own."""
    _index(path)


def _index(path: str) -> tuple[ProfileIndex, NDArray[np.int64], NDArray[Any]]:
    """The index of a wide profile dataset, with ids sorted for row look-ups."""
    found = _INDEXES.get(path)
    if found is None:
        _INDEXES.clear()
        index = index_from_wide(Path(path))
        order = np.argsort(index.ids, kind="stable").astype(np.int64)
        found = _INDEXES[path] = (index, order, index.ids[order])
    return found


def _tail(m: MatchResult) -> tuple[int, int]:
    return m.mismatched_alleles, int(m.quality)


def search_profiles(database: str, loci: tuple[str, ...], batch: pa.RecordBatch) -> pa.RecordBatch:
    """Query profiles (wide rows over ``loci``) → every Prüm match in the wide dataset
    ``database``, found by the DNA package's own ``ProfileIndex.search``."""
    index, order, sorted_ids = _index(database)
    out: dict[str, list[object]] = {name: [] for name in DNA_HIT_SCHEMA.names}
    for ordinal, query in profiles_of(batch, loci):
        for m in index.search(query):
            cells = (ordinal, 0, m.a_id, m.b_id, m.compared_loci, m.matching_loci, *_tail(m))
            for name, cell in zip(DNA_HIT_SCHEMA.names, cells, strict=True):
                out[name].append(cell)
    if out["b_id"]:
        # The input row of each matched profile in the database: output follows its order
        # (the index stores rows grouped by kit; ``original`` maps them back).
        wanted = np.asarray(out["b_id"], dtype=sorted_ids.dtype)
        out["b_row"] = index.original[order[np.searchsorted(sorted_ids, wanted)]].tolist()
    return pa.record_batch([out[n] for n in DNA_HIT_SCHEMA.names], schema=DNA_HIT_SCHEMA)


def load_any_profiles(path: Path) -> list[Profile]:
    """Profiles from a long-form CSV or a Parquet file with the same columns (strict)."""
    if path.suffix.lower() != ".parquet":
        return service.load_profiles(path)
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise MalformedInput(f"{path}: cannot be read as Parquet ({exc})") from exc
    rows = [
        (line, {k: "" if v is None else str(v).strip() for k, v in row.items()})
        for line, row in enumerate(table.to_pylist(), start=2)
    ]
    report = service.import_profiles(rows)
    report.raise_for_errors()
    return report.profiles


def matches_of(tables: Sequence[pa.Table]) -> list[MatchResult]:
    """Match results of finished partitions, in the in-memory order (A order, then B order)."""
    results: list[MatchResult] = []
    for table in tables:
        ordered = table.sort_by([("ord", "ascending"), ("b_row", "ascending")])
        for row in ordered.to_pylist():
            results.append(
                MatchResult(
                    row["a_id"],
                    row["b_id"],
                    row["compared_loci"],
                    row["matching_loci"],
                    row["mismatched_alleles"],
                    Quality(row["quality"]),
                )
            )
    return results


def write_matches(out: Path, matches: Sequence[MatchResult]) -> int:
    """The match list as the DNA CSV (byte for byte) or as Parquet with the same columns."""
    if out.suffix.lower() != ".parquet":
        write_atomic(out, lambda tmp: csvio.write_matches(tmp, matches))
        return len(matches)
    table = pa.table(
        {
            "a_id": pa.array([m.a_id for m in matches], pa.string()),
            "b_id": pa.array([m.b_id for m in matches], pa.string()),
            "matching_loci": pa.array([m.matching_loci for m in matches], pa.int32()),
            "mismatched_alleles": pa.array([m.mismatched_alleles for m in matches], pa.int32()),
            "quality": pa.array([int(m.quality) for m in matches], pa.int32()),
        }
    )
    write_atomic(out, lambda tmp: pq.write_table(table, tmp))
    return len(matches)


def _plan(
    a: Path, b: Path, partition_rows: int, prepared: tuple[int, Sequence[str]] | None = None
) -> JobPlan:
    """The comparison as a bulk job: wide datasets ``a`` and ``b`` in the job directory (made
    from the profile files unless ``prepared`` gives their rows and loci), every partition of
    A searched in B, the matches written in the in-memory order."""

    def prepare(job: JobDir, runner: BulkEngine) -> int:
        if prepared is not None:
            rows = prepared[0]
        else:
            if "loci" not in job.manifest:
                profiles_a, profiles_b = load_any_profiles(a), load_any_profiles(b)
                loci = sorted({x for p in [*profiles_a, *profiles_b] for x in p.typed_loci()})
                write_wide(profiles_a, loci, job / "a")
                write_wide(profiles_b, loci, job / "b")
                job.manifest.update(loci=loci, rows=len(profiles_a))
                job.save()
            rows = int(job.manifest["rows"])
        runner.register("a", job / "a")
        if runner.name == "duckdb" and len(job.completed) * partition_rows < rows:
            # Batches are searched here or in processes forked from here: one copy of B.
            load_database(str((job / "b").resolve()))
        return rows

    def compute(job: JobDir, runner: BulkEngine, lo: int, hi: int) -> pa.Table:
        loci = tuple(prepared[1] if prepared is not None else job.manifest["loci"])
        fn = partial(search_profiles, str((job / "b").resolve()), loci)
        query = f"SELECT * FROM a WHERE ord >= {int(lo)} AND ord < {int(hi)}"  # noqa: S608
        return runner.collect(query, fn, DNA_HIT_SCHEMA)

    return JobPlan(
        kind="dna-compare",
        inputs=(a, b),
        params={"partition_rows": partition_rows},
        description="Comparing profiles",
        prepare=prepare,
        compute=compute,
        write=lambda out, parts: write_matches(out, matches_of(parts)),
    )


def compare_prepared(
    job: JobDir,
    rows: int,
    loci: Sequence[str],
    out: Path,
    *,
    engine: str,
    **options: Unpack[JobOptions],
) -> JobReport:
    """Run a job whose wide datasets ``a`` and ``b`` are already in the job directory (kept)."""
    partition_rows = options.get("partition_rows", DEFAULT_PARTITION_ROWS)
    options["keep_job"] = True
    plan = _plan(job / "a", job / "b", partition_rows, (rows, loci))
    return run_job(plan, out, engine=engine, job=job, **options)


def compare_job(
    a: Path, b: Path, out: Path, *, engine: str, **options: Unpack[JobOptions]
) -> JobReport:
    """Compare profile files A and B on ``engine``; same output as ``dna compare``."""
    partition_rows = options.get("partition_rows", DEFAULT_PARTITION_ROWS)
    if partition_rows < 1:
        raise ValidationFailed("partition rows must be at least 1")
    if check_engine(engine) == "memory":
        profiles = load_any_profiles(a)
        index = ProfileIndex.from_profiles(load_any_profiles(b))
        workers = options.get("workers", 1)
        count = write_matches(out, service.compare_databases(profiles, index, workers))
        return JobReport(out, count, 1, 0)
    return run_job(_plan(a, b, partition_rows), out, engine=engine, **options)


__all__ = [
    "DNA_HIT_SCHEMA",
    "compare_job",
    "compare_prepared",
    "load_any_profiles",
    "load_database",
    "matches_of",
    "search_profiles",
    "write_matches",
]
