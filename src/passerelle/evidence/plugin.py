"""How the evidence package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.evidence.service import exchange

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from passerelle.node import Node
    from passerelle.privacy.retention import RetentionRule
    from passerelle.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


# Peers' art. 8 notifications and art. 12 refusals are accepted once the package is installed.
exchange.register_types()


def node_retention_rules(settings: Settings) -> list[RetentionRule]:
    from passerelle.evidence.service.retention import retention_rules

    return retention_rules(settings.data_dir / "nat")


def routers() -> list[APIRouter]:
    from passerelle.evidence import api

    return [api.router]


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
