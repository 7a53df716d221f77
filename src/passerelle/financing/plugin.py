"""How the financing package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from passerelle.financing.service.retention import retention_rules as _rules

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from passerelle.privacy.retention import RetentionRule

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [("/financing", "Financing", ("fiu",))]


def retention_rules() -> list[RetentionRule]:
    return _rules()


def routers() -> list[APIRouter]:
    from passerelle.financing import api, console

    return [api.router, console.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.financing.cli import app as financing_app

    app.add_typer(financing_app, name="financing")
