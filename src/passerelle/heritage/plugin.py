"""How the cultural-goods package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.heritage.service import exchange

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from passerelle.node import Node
    from passerelle.privacy import RetentionRule

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [
    ("/heritage", "Cultural goods", ("analyst", "supervisor")),
    ("/heritage/quarantine", "Refused cultural-goods input", ("dpo",)),
]

#: Peers' screening requests and answers are accepted as soon as the package is installed.
exchange.register_types()


def register_cli(app: typer.Typer) -> None:
    from passerelle.heritage.cli import app as heritage_app

    app.add_typer(heritage_app, name="heritage")


def retention_rules() -> list[RetentionRule]:
    from passerelle.heritage.service.retention import retention_rules as rules

    return rules()


def routers() -> list[APIRouter]:
    from passerelle.heritage import api, console

    return [api.router, console.router]


def demo_seed(node: Node) -> None:
    from passerelle.heritage import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.heritage import demo

    demo.check_flow(nodes, accounts)
