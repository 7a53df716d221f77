"""``passerelle pnr …`` commands. Thin: parsing lives in :mod:`passerelle.pnr.ingest`.

The lead registers this sub-app with ``app.add_typer(passerelle.pnr.cli.app)``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from passerelle.pnr.ingest import parse_file
from passerelle.pnr.synth import write_synthetic

__all__ = ["app"]

app = typer.Typer(name="pnr", help="Passenger data: air PNR (PNRGOV), API (PAXLST), rail (OSDM).")

EXIT_QUARANTINED = 3  # passerelle.errors.Quarantined.exit_code
EXIT_USAGE = 2


@app.command()
def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="PNRGOV/PAXLST EDIFACT or OSDM JSON files."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file per line (JSON Lines).")
    ] = False,
) -> None:
    """Parse pushed files; exit 0 when all was accepted, 3 when something was quarantined."""
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        typer.echo(f"error: no such file: {', '.join(missing)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    quarantined = False
    for path in files:
        result = parse_file(path)
        quarantined = quarantined or not result.accepted
        if as_json:
            typer.echo(json.dumps(result.summary(), ensure_ascii=False))
        else:
            typer.echo(
                f"{result.file}: {result.messages} message(s), {len(result.pnrs)} PNR(s), "
                f"{len(result.passengers)} passenger(s), {len(result.quarantined)} quarantined"
            )
            for item in result.quarantined:
                typer.echo(f"  quarantined: segment {item.segment}: {item.reason}")
    if quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="Directory to write into (created).")],
    air: Annotated[int, typer.Option("--air", min=0, help="Number of air PNRs.")] = 0,
    rail: Annotated[int, typer.Option("--rail", min=0, help="Number of rail bookings.")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 0,
) -> None:
    """Write synthetic PNRGOV files (air) and OSDM Booking JSON documents (rail)."""
    summary = write_synthetic(out, air=air, rail=rail, seed=seed)
    typer.echo(
        f"air: {summary.air_pnrs} PNR(s), {summary.air_passengers} passenger(s) in "
        f"{len(summary.air_files)} file(s); rail: {summary.rail_bookings} booking(s), "
        f"{summary.rail_passengers} passenger(s) in {out}"
    )
