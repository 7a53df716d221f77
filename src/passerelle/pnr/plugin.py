"""How the passenger-data package plugs into a node: the ``passerelle pnr …`` commands."""

from __future__ import annotations

import typer


def register_cli(app: typer.Typer) -> None:
    from passerelle.pnr.cli import app as pnr_app

    app.add_typer(pnr_app, name="pnr")
