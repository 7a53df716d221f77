"""``passerelle pnr …`` commands. Thin: parsing lives in :mod:`passerelle.pnr.ingest`, storing
and screening in :mod:`passerelle.pnr.service`.

The sub-app is plugged into ``passerelle`` by :mod:`passerelle.pnr.plugin` (``register_cli``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from passerelle.pnr.ingest import ParseResult, parse_file
from passerelle.pnr.synth import write_synthetic
from passerelle.settings import get_settings

__all__ = ["app"]

app = typer.Typer(name="pnr", help="Passenger data: air PNR (PNRGOV), API (PAXLST), rail (OSDM).")

EXIT_QUARANTINED = 3  # passerelle.errors.Quarantined.exit_code
EXIT_USAGE = 2
#: Files stored per transaction: a crash keeps every batch reported and nothing else.
BATCH = 200


def _report(result: ParseResult, as_json: bool, note: str = "") -> None:
    if as_json:
        typer.echo(json.dumps(result.summary(), ensure_ascii=False))
        return
    total = max(result.quarantined_total, len(result.quarantined))
    typer.echo(
        f"{result.file}: {result.messages} message(s), {len(result.pnrs)} PNR(s), "
        f"{len(result.passengers)} passenger(s), {total} quarantined{note}"
    )
    if result.refused:
        typer.echo(f"  {result.refused}")
        return
    for item in result.quarantined:
        typer.echo(f"  quarantined: segment {item.segment}: {item.reason}")
    if total > len(result.quarantined):
        typer.echo(f"  … and {total - len(result.quarantined)} more, counted but not kept")


@app.command()
def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="PNRGOV/PAXLST EDIFACT or OSDM JSON files."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file per line (JSON Lines).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and report only; store nothing.")
    ] = False,
) -> None:
    """Store and screen pushed files; exit 0 when all was accepted, 3 when something was
    quarantined."""
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        typer.echo(f"error: no such file: {', '.join(missing)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    quarantined = False
    if dry_run:
        rows = get_settings().pnr_quarantine_rows
        for path in files:
            result = parse_file(path, max_quarantined=rows)
            quarantined = quarantined or not result.accepted
            _report(result, as_json)
    else:
        quarantined = _store(files, as_json)
    if quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


def _store(files: list[Path], as_json: bool) -> bool:
    from passerelle.node import open_node
    from passerelle.pnr.service import ingest_files
    from passerelle.privacy import audit

    node = open_node(get_settings())
    actor = audit.Actor("cli", node.code)
    quarantined = False
    try:
        for start in range(0, len(files), BATCH):
            chunk = files[start : start + BATCH]
            for outcome in ingest_files(node, [(p.read_bytes(), str(p)) for p in chunk], actor):
                quarantined = quarantined or not outcome.result.accepted
                note = (
                    " (already received)"
                    if outcome.duplicate
                    else f", {outcome.stored} stored, {outcome.refused_out_of_scope} refused"
                )
                _report(outcome.result, as_json, note)
    finally:
        node.close()
    return quarantined


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
