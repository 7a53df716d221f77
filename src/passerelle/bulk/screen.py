"""``passerelle screen``: screen a CSV file of records against a CSV watchlist.

In memory with the identity package's index, or as a bulk job on DuckDB or Spark; it lives in
``bulk`` because it composes both (identity sits below bulk and never imports it).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from passerelle.bulk.engine import Engine
from passerelle.csvsafe import SafeWriter
from passerelle.identity import (
    NUMERIC_OUTPUT_COLUMNS,
    OUTPUT_COLUMNS,
    PersonRecord,
    Reject,
    Watchlist,
    count_rows,
    hit_row,
    read_people,
    rejects_path,
    rules,
    screen_many,
    write_rejects,
)

LARGE_WATCHLIST = 100_000
# Exit code of a run that completed but met rows it could read only in part.
WARNING_EXIT_CODE = 3


def screen(
    watchlist: Annotated[Path, typer.Option("--watchlist", help="Watchlist CSV (id, name …).")],
    records: Annotated[Path, typer.Option("--records", help="Records CSV to screen.")],
    out: Annotated[Path, typer.Option("--out", help="Output CSV of hits.")],
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, max=1.0, help="Lowest score reported."),
    ] = rules.DEFAULT_THRESHOLD,
    engine: Annotated[Engine, typer.Option("--engine", help="Screening engine.")] = Engine.memory,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse the whole run on the first unreadable row (default: screen it with "
            "the unusable part unknown, list it in OUT.rejects.csv and exit with code 3).",
        ),
    ] = False,
) -> None:
    """Screen every record against the watchlist; write record_id,entry_id,score,explanation."""
    if engine is not Engine.memory:
        from passerelle.bulk.cli import run_screen  # the job machinery, only when used

        run_screen(watchlist, records, out, threshold, engine.value, strict=strict)
        return
    rejects: list[Reject] | None = None if strict else []
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        loading = progress.add_task("Indexing watchlist", total=count_rows(watchlist) or None)
        entries: dict[str, PersonRecord] = {}
        for entry in read_people(watchlist, rejects):
            entries.pop(entry.id, None)  # a repeated id replaces the earlier row (kept last)
            entries[entry.id] = entry

        def advancing() -> Iterator[PersonRecord]:
            for entry in entries.values():
                yield entry
                progress.advance(loading)

        # Filed in bulk: several times faster than one by one at a million entries.
        index = Watchlist(advancing())
        if len(index) >= LARGE_WATCHLIST:
            # The index lives until the process ends: keep the cyclic GC from walking it
            # again and again while screening (100 ms pauses at a million entries).
            gc.collect()
            gc.freeze()
        task = progress.add_task("Screening", total=count_rows(records) or None)
        hits = 0
        # Write beside the target and rename at the end: a failed run leaves no partial file.
        tmp = out.with_name(out.name + ".part")
        try:
            with tmp.open("w", newline="", encoding="utf-8") as handle:
                writer = SafeWriter(
                    handle, OUTPUT_COLUMNS, numeric=NUMERIC_OUTPUT_COLUMNS, lineterminator="\n"
                )
                for record, match in screen_many(
                    read_people(records, rejects),
                    index,
                    threshold,
                    lambda n: progress.advance(task, n),
                ):
                    writer.writerow(hit_row(record, match))
                    hits += 1
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
    console.print(f"{hits} hit(s) at threshold {threshold} written to {out}")
    report = rejects_path(out)
    if rejects:
        write_rejects(report, rejects)
        console.print(f"warning: {len(rejects)} row problem(s) listed in {report}")
        raise typer.Exit(WARNING_EXIT_CODE)
    report.unlink(missing_ok=True)
