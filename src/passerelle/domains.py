"""The installed packages that plug into a node, and what each contributes.

Each entry of :data:`INSTALLED` names a package with a ``plugin`` module. A plugin module may
define any of:

- ``MIGRATIONS``: path of its Alembic version folder (its own branch, ``depends_on`` the
  foundation revision ``0001_foundation``);
- ``retention_rules() -> list[RetentionRule]``;
- ``routers() -> list[APIRouter]``;
- ``register_cli(app: typer.Typer) -> None``;
- ``demo_seed(node: Node) -> None``: synthetic demo data for ``init --demo-data``;
- ``demo_wiring(nodes: list[Settings]) -> None``: run once every demo node is seeded;
- ``demo_check(nodes, accounts) -> None``: a cross-border scenario for ``demo --check``.
- ``NAV``: console menu entries ``[(path, label msgid, roles)]``.

The core never imports a domain anywhere else, so adding one is one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from passerelle.privacy.retention import RetentionRule

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter

    from passerelle.node import Node
    from passerelle.settings import Settings

#: Plugged-in packages, in start-up order.
INSTALLED: tuple[str, ...] = (
    "passerelle.identity",
    "passerelle.federation",
    "passerelle.dna",
    "passerelle.pnr",
    "passerelle.bulk",
    "passerelle.alerts",
    "passerelle.precursors",
)


@cache
def plugins() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(f"{name}.plugin") for name in INSTALLED)


def _hooks(name: str) -> list[Any]:
    return [getattr(p, name) for p in plugins() if hasattr(p, name)]


def migration_dirs() -> list[str]:
    """Alembic version folders of the installed packages (each its own branch)."""
    return [str(path) for path in _hooks("MIGRATIONS")]


def retention_rules() -> list[RetentionRule]:
    return [rule for hook in _hooks("retention_rules") for rule in hook()]


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


def nav_links() -> list[tuple[str, str, tuple[str, ...]]]:
    """Console menu entries ``(path, label, roles)`` of the installed packages (``NAV``)."""
    return [link for links in _hooks("NAV") for link in links]
