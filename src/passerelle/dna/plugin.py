"""How the DNA package plugs into a node (see ``passerelle.domains``): its tables, retention
rules, API and console, the ``passerelle dna …`` commands, the federation kind ``dna`` and the
demo scenario."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from passerelle.dna.service import exchange
from passerelle.kit import labels
from passerelle.kit.i18n import N_

#: The purposes this package records in the audit log, shown as labels in the reader's language
#: (the stored value stays the English text).
labels.register_purposes((N_("DNA identification (criminal investigation)"),))

if TYPE_CHECKING:
    from datetime import datetime

    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from passerelle.domains import WorkItem
    from passerelle.node import Node
    from passerelle.privacy import Principal, RetentionRule
    from passerelle.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [("/dna", "DNA", ("analyst", "supervisor", "dpo"))]

# Peers may search this node's exchangeable profiles as soon as the package is installed.
exchange.register()


def retention_rules() -> list[RetentionRule]:
    """The rules under the French terms (no node at hand, e.g. documentation)."""
    from passerelle.dna.service.retention import retention_rules as rules

    return rules()


def node_retention_rules(settings: Settings) -> list[RetentionRule]:
    """The rules under this node's terms; raises ``DnaRetentionTermsMissing`` (the package does
    not start) on a node whose country has no built-in terms and none configured."""
    from passerelle.dna.service.retention import node_terms, retention_rules

    return retention_rules(node_terms(settings))


#: Synthetic demo terms shipped for the demo and test nodes without built-in terms.
DEMO_TERMS = {
    c: Path(__file__).parent / "data" / f"retention-terms.demo-{c}.json" for c in ("BE", "ES", "NL")
}


def demo_settings(code: str) -> dict[str, str]:
    """Settings a demo or test node of country ``code`` needs: the synthetic DNA terms (never
    used on a real node, which sets its national terms)."""
    path = DEMO_TERMS.get(code.upper())
    return {"dna_retention_terms": str(path)} if path is not None else {}


def routers() -> list[APIRouter]:
    from passerelle.dna import api, console, console_matches

    return [api.router, console.router, console_matches.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.dna.cli import app as dna_app

    app.add_typer(dna_app, name="dna")


def demo_seed(node: Node) -> None:
    from passerelle.dna import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.dna import demo

    demo.check(nodes, accounts)


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Pending work of ``principal`` in this package, for the console home page."""
    from passerelle.dna import home

    return home.work(session, principal, now)


def demo_scene(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.dna import demo

    demo.scene(nodes, accounts)
