"""How the financing package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.financing.service import exchange
from passerelle.financing.service.retention import retention_rules as _rules

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from passerelle.domains import WorkItem
    from passerelle.node import Node
    from passerelle.privacy import Principal, RetentionRule
    from passerelle.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [("/financing", "Financing", ("fiu",))]

# Partners' follow-up requests are accepted as soon as the package is installed.
exchange.register_types()


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Pending work of ``principal`` in this package, for the console home page."""
    from passerelle.financing import home

    return home.work(session, principal, now)


def retention_rules() -> list[RetentionRule]:
    return _rules()


def routers() -> list[APIRouter]:
    from passerelle.financing import api, console

    return [api.router, console.router]


def demo_seed(node: Node) -> None:
    from passerelle.financing import demo

    demo.seed(node)


def demo_wiring(settings_list: list[Settings]) -> None:
    from passerelle.financing import demo

    demo.wire(settings_list)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.financing import demo

    demo.check(nodes, accounts)


def register_cli(app: typer.Typer) -> None:
    from passerelle.financing.cli import app as financing_app

    app.add_typer(financing_app, name="financing")
