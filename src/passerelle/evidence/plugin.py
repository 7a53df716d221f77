"""How the evidence package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer


def register_cli(app: typer.Typer) -> None:
    from passerelle.evidence.nat_cli import app as nat_app

    app.add_typer(nat_app, name="nat")
