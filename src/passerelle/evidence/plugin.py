"""How the evidence package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.evidence.service import exchange

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from passerelle.domains import WorkItem
    from passerelle.node import Node
    from passerelle.privacy import Principal, RetentionRule
    from passerelle.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [
    ("/evidence", "e-Evidence", ("judicial", "analyst", "supervisor")),
    ("/evidence/provider", "Orders received", ("addressee",)),
    ("/evidence/notifications", "Notifications received", ("judicial", "analyst", "supervisor")),
]


# Peers' art. 8 notifications and art. 12 refusals are accepted once the package is installed.
exchange.register_types()


def node_retention_rules(settings: Settings) -> list[RetentionRule]:
    from passerelle.evidence.service.retention import retention_rules

    return retention_rules(settings.data_dir / "nat")


def routers() -> list[APIRouter]:
    from passerelle.evidence import (
        api,
        console,
        console_enforcing,
        console_issue,
        console_provider,
    )

    return [api.router, console.router, console_issue.router, console_provider.router,
            console_enforcing.router]  # fmt: skip


def register_cli(app: typer.Typer) -> None:
    from passerelle.evidence.cli import app as evidence_app
    from passerelle.evidence.nat_cli import app as nat_app

    app.add_typer(evidence_app, name="evidence")
    app.add_typer(nat_app, name="nat")


def demo_seed(node: Node) -> None:
    from passerelle.evidence import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.evidence import demo

    demo.check(nodes, accounts)


def demo_scene(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.evidence import demo

    demo.scene(nodes, accounts)


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Orders overdue or awaiting the provider, for the console home page (counts only)."""
    from passerelle.evidence import home

    return home.work(session, principal, now)
