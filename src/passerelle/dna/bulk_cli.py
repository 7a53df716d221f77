"""``passerelle bulk dna-compare``, and the engine path of ``passerelle dna compare``.

Thin: parse options, run :func:`passerelle.dna.bulk_compare.compare_job` on a bulk engine with
a progress bar, print one line. The command joins ``passerelle bulk`` through the table
``passerelle.domains.BULK_COMMANDS``; rerunning an interrupted comparison resumes it.
"""

from __future__ import annotations

from pathlib import Path

import typer

from passerelle.bulk import (
    DEFAULT_PARTITION_ROWS,
    ENGINE_HELP,
    JOB_HELP,
    WORKERS_HELP,
    run_with_progress,
)
from passerelle.settings import get_settings


def run_compare(
    a: Path,
    b: Path,
    out: Path,
    engine: str,
    job_dir: Path | None = None,
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    keep_job: bool = False,
    workers: int = 1,
) -> None:
    """Compare DNA databases on a bulk engine (``passerelle dna compare --engine …``)."""
    from passerelle.dna.bulk_compare import compare_job  # numpy, pyarrow: not for --help

    report, _ = run_with_progress(
        compare_job, a, b, out, engine=engine, job_dir=job_dir, partition_rows=partition_rows,
        keep_job=keep_job, workers=workers,
    )  # fmt: skip
    typer.echo(f"{report.rows} matching pair(s) written to {out}")


def bulk_dna_compare(
    a: Path = typer.Option(..., "--a", help="Profiles to search (long-form CSV or Parquet)."),
    b: Path = typer.Option(..., "--b", help="Database searched (long-form CSV or Parquet)."),
    out: Path = typer.Option(..., "--out", help="Match list: .csv or .parquet."),
    engine: str | None = typer.Option(None, "--engine", help=ENGINE_HELP),
    job_dir: Path | None = typer.Option(None, "--job-dir", help=JOB_HELP),
    partition_rows: int = typer.Option(
        DEFAULT_PARTITION_ROWS, "--partition-rows", min=1, help="Profiles of A per partition."
    ),
    keep_job: bool = typer.Option(False, "--keep-job", help="Keep the job directory."),
    workers: int = typer.Option(1, "--workers", min=1, help=WORKERS_HELP),
) -> None:
    """Compare two DNA databases; same output as ``passerelle dna compare``."""
    run_compare(
        a, b, out, engine or get_settings().bulk_engine, job_dir, partition_rows, keep_job, workers
    )


__all__ = ["bulk_dna_compare", "run_compare"]
