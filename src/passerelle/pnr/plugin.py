"""How the passenger-data package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.kit import labels
from passerelle.kit.i18n import N_
from passerelle.pnr.service import exchange, masking
from passerelle.privacy import RetentionRule

#: The purposes this package records in the audit log, shown as labels in the reader's language
#: (the stored value stays the English text).
labels.register_purposes(
    (
        N_("assess passengers before arrival or departure"),
        N_("duly reasoned request, case by case"),
        N_("scope of intra-EU rail data collection"),
        N_("pre-determined criteria"),
        N_("data protection officer informed of a re-personalisation approval"),
        N_("results of PNR processing to the PIU owning the alert"),
        N_("deletion of sensitive data on receipt"),
        N_("intra-EU flight or rail data outside the decided scope"),
        N_("quality of pushed data"),
    )
)

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from passerelle.domains import WorkItem
    from passerelle.node import Node
    from passerelle.privacy import Principal

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [
    ("/pnr", "Passenger data", ("analyst", "supervisor", "dpo")),
    ("/pnr/repersonalisations", "Re-personalisation", ("judicial",)),
]

exchange.register_kinds()  # importing exchange registered the pnr.result message type


def retention_rules() -> list[RetentionRule]:
    return [*masking.retention_rules(), *exchange.retention_rules()]


def routers() -> list[APIRouter]:
    from passerelle.pnr import api, console

    return [api.router, console.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.pnr.cli import app as pnr_app

    app.add_typer(pnr_app, name="pnr")


def demo_seed(node: Node) -> None:
    from passerelle.pnr import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.pnr import demo

    demo.check(nodes, accounts)


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Pending work of ``principal`` in this package, for the console home page."""
    from passerelle.pnr import home

    return home.work(session, principal, now)


def demo_scene(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.pnr import demo

    demo.scene(nodes, accounts)
