"""How the DNA package plugs into a node (see ``passerelle.domains``): its tables, retention
rules, API and console, the ``passerelle dna …`` commands, the federation kind ``dna`` and the
demo scenario."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from passerelle.dna import exchange

if TYPE_CHECKING:
    from fastapi import APIRouter

    from passerelle.node import Node
    from passerelle.privacy.retention import RetentionRule

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [("/dna", "DNA", ("analyst", "supervisor", "dpo"))]

# Peers may search this node's exchangeable profiles as soon as the package is installed.
exchange.register()


def retention_rules() -> list[RetentionRule]:
    from passerelle.dna.retention import retention_rules as rules

    return rules()


def routers() -> list[APIRouter]:
    from passerelle.dna import api, console

    return [api.router, console.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.dna.cli import app as dna_app

    app.add_typer(dna_app, name="dna")


def demo_seed(node: Node) -> None:
    from passerelle.dna import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.dna import demo

    demo.check(nodes, accounts)
