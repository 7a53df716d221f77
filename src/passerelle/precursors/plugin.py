"""How the precursors package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.kit import labels
from passerelle.kit.i18n import N_
from passerelle.precursors.service import exchange
from passerelle.precursors.service.retention import retention_rules as _rules

#: The purposes this package records in the audit log, shown as labels in the reader's language
#: (the stored value stays the English text).
labels.register_purposes(
    (
        N_("explosives precursors: sales control and suspicious transactions"),
        N_("prevention of the illicit manufacture of explosives (suspicious transactions)"),
        N_("precursors watch list"),
    )
)

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from passerelle.node import Node
    from passerelle.privacy import RetentionRule

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [("/precursors", "Precursors", ("analyst", "supervisor"))]

# Peers' purchase notices are accepted as soon as the package is installed.
exchange.register_types()


def retention_rules() -> list[RetentionRule]:
    return _rules()


def routers() -> list[APIRouter]:
    from passerelle.precursors import api, console

    return [api.router, console.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.precursors.cli import app as precursors_app

    app.add_typer(precursors_app, name="precursors")


def demo_seed(node: Node) -> None:
    from passerelle.precursors import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.precursors import demo

    demo.check(nodes, accounts)
