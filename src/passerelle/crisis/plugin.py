"""How the crisis package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.crisis.service import exchange
from passerelle.crisis.service.retention import retention_rules as _rules
from passerelle.kit import labels
from passerelle.kit.i18n import N_

#: The purposes this package records in the audit log, shown as labels in the reader's language
#: (the stored value stays the English text).
labels.register_purposes(
    (N_("cross-border crisis coordination (CAP alerts between crisis centres)"),)
)

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from passerelle.node import Node
    from passerelle.privacy import RetentionRule

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [("/crisis", "Crisis", ("analyst", "supervisor"))]

# Peers' crisis messages are accepted as soon as the package is installed.
exchange.register_types()


def retention_rules() -> list[RetentionRule]:
    return _rules()


def routers() -> list[APIRouter]:
    from passerelle.crisis import api, console

    return [api.router, console.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.crisis.cli import app as crisis_app

    app.add_typer(crisis_app, name="crisis")


def demo_seed(node: Node) -> None:
    from passerelle.crisis import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.crisis import demo

    demo.check(nodes, accounts)
