"""How the alerts package plugs into a node (see ``passerelle.domains``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from passerelle.alerts import service  # registers the alerts message types with federation
from passerelle.alerts.service.retention import retention_rules as _rules
from passerelle.kit import labels
from passerelle.kit.i18n import N_

#: The purposes this package records in the audit log, shown as labels in the reader's language
#: (the stored value stays the English text).
labels.register_purposes(
    (
        N_("alert register (SIS-style person alerts)"),
        N_("hit on a SIS-style alert"),
        N_("sharing of SIS-style alerts"),
        N_("harmonised alert criteria"),
        N_("follow-up of detainees before release"),
        N_("follow-up of returnees"),
        N_("alert checks"),
        N_("warning before automatic deletion"),
    )
)

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from passerelle.domains import WorkItem
    from passerelle.node import Node
    from passerelle.privacy import Principal, RetentionRule

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Console menu entries: (path, label msgid, roles).
NAV = [
    ("/alerts", "Alerts", ("analyst", "supervisor")),
    ("/alerts/calendar", "Releases", ("analyst", "supervisor")),
    ("/alerts/returnees", "Returnees", ("analyst", "supervisor", "minors")),
]

del service  # imported for its registrations: peers' alerts messages are accepted at once


def retention_rules() -> list[RetentionRule]:
    return _rules()


def routers() -> list[APIRouter]:
    from passerelle.alerts import api, console, console_followup

    return [*api.ROUTERS, console_followup.router, console.router]


def register_cli(app: typer.Typer) -> None:
    from passerelle.alerts.cli import app as alerts_app

    app.add_typer(alerts_app, name="alerts")


def demo_seed(node: Node) -> None:
    from passerelle.alerts import demo

    demo.seed(node)


def demo_check(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.alerts import demo

    demo.check(nodes, accounts)


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Pending work of ``principal`` in this package, for the console home page."""
    from passerelle.alerts import home

    return home.work(session, principal, now)


def demo_scene(nodes: list[Any], accounts: dict[str, list[Any]]) -> None:
    from passerelle.alerts import demo

    demo.scene(nodes, accounts)
