"""How the JIT package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.jit.service import replicate

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from passerelle.domains import WorkItem
    from passerelle.privacy import Principal, RetentionRule
    from passerelle.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [("/jit", "Joint investigation teams", ("analyst", "supervisor"))]

# The parties' workspace copies are accepted as soon as the package is installed.
replicate.register_types()


def node_retention_rules(settings: Settings) -> list[RetentionRule]:
    from passerelle.jit.service.retention import retention_rules

    return retention_rules(settings)


def routers() -> list[APIRouter]:
    from passerelle.jit import api, console, console_forms, peer_api, tus_api

    # console_forms first: its /jit/new comes before the workspace's /jit/{team}.
    return [api.router, tus_api.router, peer_api.router, console_forms.router, console.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.jit.cli import app as jit_app

    app.add_typer(jit_app, name="jit")


def demo_wiring(nodes: list[Settings]) -> None:
    from passerelle.jit import demo

    demo.wire(nodes)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.jit import demo

    demo.check(nodes, accounts)


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Pending work of ``principal`` in this package, for the console home page."""
    from passerelle.jit import home

    return home.work(session, principal, now)
