"""How the DNA package plugs into a node: the ``passerelle dna …`` commands."""

from __future__ import annotations

import typer


def register_cli(app: typer.Typer) -> None:
    from passerelle.dna.cli import app as dna_app

    app.add_typer(dna_app, name="dna")
