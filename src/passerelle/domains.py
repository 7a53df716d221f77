"""The installed packages that plug into a node, and what each contributes.

Each entry of :data:`INSTALLED` names a package with a ``plugin`` module. A plugin module may
define any of:

- ``MIGRATIONS``: path of its Alembic version folder (its own branch, ``depends_on`` the
  foundation revision ``0001_foundation``);
- ``retention_rules() -> list[RetentionRule]``, or ``node_retention_rules(settings)`` when the
  rules depend on the node (its country's terms); either may raise a typed start-up error;
- ``routers() -> list[APIRouter]``;
- ``register_cli(app: typer.Typer) -> None``;
- ``demo_seed(node: Node) -> None``: synthetic demo data for ``init --demo-data``;
- ``demo_wiring(nodes: list[Settings]) -> None``: run once every demo node is seeded;
- ``demo_check(nodes, accounts) -> None``: a cross-border scenario for ``demo --check``.
- ``NAV``: console menu entries ``[(path, label msgid, roles)]``.
- ``home_work(session, principal, now) -> list[WorkItem]``: the pending work of that principal
  in the package (counts only, no personal data), shown on the console home page.
- ``demo_settings(code) -> dict[str, str]``: Settings fields a demo or test node of that country
  needs (e.g. the DNA package's synthetic retention terms for BE).

The commands a package adds to ``passerelle`` (:data:`CLI_COMMANDS`) and to ``passerelle bulk``
(:data:`BULK_COMMANDS`) are tables here, so that listing them imports no plugin (start-up time).
The core never imports a domain anywhere else, so adding one is one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from datetime import datetime

    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from passerelle.node import Node
    from passerelle.privacy import Principal, RetentionRule
    from passerelle.settings import Settings

#: Commands the installed packages add to ``passerelle``, imported only when used (start-up
#: time): name -> ("module:attribute", one-line help). Each package's ``register_cli`` adds
#: the same commands to a Typer app; ``tests/cli/test_lazy.py`` checks that both agree.
CLI_COMMANDS: dict[str, tuple[str, str]] = {
    "screen": (
        "passerelle.bulk.screen:screen",
        "Screen every record against the watchlist; write record_id,entry_id,score,explanation.",
    ),
    "keys": ("passerelle.federation.cli:keys_app", "This node's Ed25519 signing key pair."),
    "peers": ("passerelle.federation.cli:peers_app", "Partner nodes this node exchanges with."),
    "outbox": ("passerelle.federation.cli:outbox_app", "Outgoing messages waiting for delivery."),
    "sharing": (
        "passerelle.federation.cli:sharing_app",
        "Sharing policies: which message type goes to which peer (automatic, approval, never).",
    ),
    "dna": (
        "passerelle.dna.cli:app",
        "DNA profiles: harmonised STR profiles and Prüm-rule comparison.",
    ),
    "pnr": (
        "passerelle.pnr.cli:app",
        "Passenger data: air PNR (PNRGOV), API (PAXLST), rail (OSDM).",
    ),
    "bulk": (
        "passerelle.bulk.cli:app",
        "Bulk jobs on DuckDB or Spark: screening and DNA comparison, resumable.",
    ),
    "alerts": ("passerelle.alerts.cli:app", "Alerts, the release calendar and returnees."),
    "crisis": ("passerelle.crisis.cli:app", "CAP 1.2 alerts between crisis centres."),
    "precursors": (
        "passerelle.precursors.cli:app",
        "Explosive precursors: sales checks and reports.",
    ),
    "heritage": (
        "passerelle.heritage.cli:app",
        "Cultural goods: provenance, sale checks, stolen objects.",
    ),
    "jit": (
        "passerelle.jit.cli:app",
        "Joint investigation teams: workspace, evidence, custody.",
    ),
    "evidence": (
        "passerelle.evidence.cli:app",
        "European production and preservation orders (e-Evidence).",
    ),
    "nat": (
        "passerelle.evidence.nat_cli:app",
        "CGNAT subscriber attribution: NAT logs and RFC 7422 pools.",
    ),
    "financing": (
        "passerelle.financing.cli:app",
        "Terrorism financing: FIU matching and money flows.",
    ),
}

#: Commands the installed packages add to ``passerelle bulk``: name -> ``module:function``,
#: imported when ``passerelle bulk`` runs (not through the plugins, which load the whole node).
BULK_COMMANDS: dict[str, str] = {"dna-compare": "passerelle.dna.bulk_cli:bulk_dna_compare"}

#: Plugged-in packages, in start-up order.
INSTALLED: tuple[str, ...] = (
    "passerelle.identity",
    "passerelle.federation",
    "passerelle.dna",
    "passerelle.pnr",
    "passerelle.bulk",
    "passerelle.alerts",
    "passerelle.crisis",
    "passerelle.precursors",
    "passerelle.heritage",
    "passerelle.jit",
    "passerelle.evidence",
    "passerelle.financing",
)


class WorkItem(NamedTuple):
    """One line of a role's pending work on the console home page."""

    #: The label's message id (English, translated by the console).
    label: str
    total: int
    #: The console page where the work is done (one the principal may open).
    link: str
    #: Overdue or due today: shown first and marked.
    urgent: bool = False


@cache
def plugins() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(f"{name}.plugin") for name in INSTALLED)


def _hooks(name: str) -> list[Any]:
    return [getattr(p, name) for p in plugins() if hasattr(p, name)]


def migration_dirs() -> list[str]:
    """Alembic version folders of the installed packages (each its own branch)."""
    return [str(path) for path in _hooks("MIGRATIONS")]


def retention_rules(settings: Settings | None = None) -> list[RetentionRule]:
    """Every plugin's rules; ``node_retention_rules(settings)`` is preferred when defined."""
    found: list[RetentionRule] = []
    for plugin in plugins():
        if settings is not None and hasattr(plugin, "node_retention_rules"):
            found.extend(plugin.node_retention_rules(settings))
        elif hasattr(plugin, "retention_rules"):
            found.extend(plugin.retention_rules())
    return found


def routers() -> list[APIRouter]:
    return [router for hook in _hooks("routers") for router in hook()]


def cli_registrars() -> list[Callable[[typer.Typer], None]]:
    return _hooks("register_cli")


def demo_seeders() -> list[Callable[[Node], None]]:
    return _hooks("demo_seed")


def demo_wirings() -> list[Callable[[list[Settings]], None]]:
    return _hooks("demo_wiring")


def demo_checks() -> list[Callable[..., None]]:
    return _hooks("demo_check")


def bulk_commands() -> dict[str, str]:
    """``passerelle bulk`` sub-commands of the installed packages: name -> ``module:function``."""
    return dict(BULK_COMMANDS)


def demo_scenes() -> list[Callable[..., None]]:
    """Each package's ``demo_scene(nodes, accounts)``: work left pending for the demo roles,
    made through the running nodes' real interfaces (``passerelle demo``, once per data dir)."""
    return _hooks("demo_scene")


def nav_links() -> list[tuple[str, str, tuple[str, ...]]]:
    """Console menu entries ``(path, label, roles)`` of the installed packages (``NAV``)."""
    return [link for links in _hooks("NAV") for link in links]


def demo_settings(code: str) -> dict[str, str]:
    """Settings fields (name → value) the installed packages need on a demo/test node ``code``."""
    found: dict[str, str] = {}
    for hook in _hooks("demo_settings"):
        found.update(hook(code))
    return found


def demo_env(code: str) -> dict[str, str]:
    """:func:`demo_settings` as ``PASSERELLE_*`` environment variables (for subprocesses)."""
    return {f"PASSERELLE_{k.upper()}": v for k, v in demo_settings(code).items()}


def home_work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    """Every installed package's pending work for ``principal``, urgent items first."""
    items = [item for hook in _hooks("home_work") for item in hook(session, principal, now)]
    return sorted(items, key=lambda item: not item.urgent)
