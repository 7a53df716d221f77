"""``passerelle bulk …`` commands, and the engine path behind ``screen``/``dna compare``.

Thin: parse options, call :mod:`passerelle.bulk.jobs` with a progress bar, print one line.
Rerunning an interrupted command resumes it. Other packages add their own jobs as commands of
``passerelle bulk`` through ``passerelle.domains.BULK_COMMANDS`` (e.g. ``dna-compare``).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

from passerelle import domains
from passerelle.bulk.options import DEFAULT_PARTITION_ROWS, ENGINE_HELP, JOB_HELP, WORKERS_HELP
from passerelle.identity import rejects_path
from passerelle.identity import rules as identity_rules
from passerelle.settings import get_settings

app = typer.Typer(
    name="bulk",
    help="Bulk jobs on DuckDB or Spark: screening and DNA comparison, resumable.",
    no_args_is_help=True,
)

_STRICT_HELP = (
    "Refuse the run on the first unreadable row (default: screen it with the unusable part "
    "unknown, list it in OUT.rejects.csv and exit with code 3)."
)


def run_screen(
    watchlist: Path,
    records: Path,
    out: Path,
    threshold: float,
    engine: str,
    job_dir: Path | None = None,
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    keep_job: bool = False,
    workers: int = 1,
    strict: bool = False,
) -> None:
    """Screen on a bulk engine with a progress bar (``passerelle screen --engine …``).

    Ends with exit code 3 (a warning) when input rows had problems: they are listed in the
    rejects report beside ``out``; ``strict`` refuses the run on the first one instead."""
    from passerelle.bulk.jobs import screen_job
    from passerelle.bulk.options import run_with_progress

    report, console = run_with_progress(
        screen_job, watchlist, records, out, threshold=threshold, engine=engine,
        job_dir=job_dir, partition_rows=partition_rows, keep_job=keep_job, workers=workers,
        strict=strict,
    )  # fmt: skip
    console.print(f"{report.rows} hit(s) at threshold {threshold} written to {out}")
    if report.rejects:
        console.print(f"warning: {report.rejects} row problem(s) listed in {rejects_path(out)}")
        raise typer.Exit(3)


@app.command("screen")
def screen(
    watchlist: Path = typer.Option(..., "--watchlist", help="Watchlist (CSV or Parquet)."),
    records: Path = typer.Option(..., "--records", help="Records to screen (CSV or Parquet)."),
    out: Path = typer.Option(..., "--out", help="Hits: .csv or .parquet."),
    threshold: float = typer.Option(
        identity_rules.DEFAULT_THRESHOLD, "--threshold", min=0.0, max=1.0, help="Lowest score."
    ),
    engine: str | None = typer.Option(None, "--engine", help=ENGINE_HELP),
    job_dir: Path | None = typer.Option(None, "--job-dir", help=JOB_HELP),
    partition_rows: int = typer.Option(
        DEFAULT_PARTITION_ROWS, "--partition-rows", min=1, help="Records per partition."
    ),
    keep_job: bool = typer.Option(False, "--keep-job", help="Keep the job directory."),
    workers: int = typer.Option(1, "--workers", min=1, help=WORKERS_HELP),
    strict: bool = typer.Option(False, "--strict", help=_STRICT_HELP),
) -> None:
    """Screen a records file against a watchlist; same output as ``passerelle screen``."""
    run_screen(
        watchlist,
        records,
        out,
        threshold,
        engine or get_settings().bulk_engine,
        job_dir,
        partition_rows,
        keep_job,
        workers,
        strict,
    )


@app.command("review-load")
def review_load(
    hits: Path = typer.Option(..., "--hits", help="Output of a bulk screening (CSV or Parquet)."),
    source: str = typer.Option(
        ..., "--source", help="What was screened, e.g. 'AF1234 2026-11-26'."
    ),
) -> None:
    """Load a bulk screening output into this node as candidates for human review."""
    from passerelle.bulk.review import load_candidates
    from passerelle.node import open_node
    from passerelle.privacy import audit

    node = open_node(get_settings())
    try:
        loaded = load_candidates(node, hits, source, audit.Actor("cli", node.code))
    finally:
        node.close()
    typer.echo(f"{loaded.candidates} candidate(s) loaded for review as run {loaded.run_id}")


def _add_plugged_commands() -> None:
    """The ``passerelle bulk`` commands of the installed packages (``domains.BULK_COMMANDS``)."""
    for name, target in domains.bulk_commands().items():
        module, _, attribute = target.partition(":")
        app.command(name)(getattr(importlib.import_module(module), attribute))


_add_plugged_commands()

__all__ = ["app", "run_screen"]
