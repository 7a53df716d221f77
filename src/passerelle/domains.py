"""The installed domain packages and what each contributes to a node.

A domain (``pnr``, ``dna``, ``alerts``, …) is plugged in by adding it here: its Alembic
migrations folder, its retention rules, its API routers and its demo seed. The core never imports
a domain anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer
from fastapi import APIRouter

from passerelle.privacy.retention import RetentionRule

if TYPE_CHECKING:
    from passerelle.node import Node
    from passerelle.settings import Settings


def migration_dirs() -> list[str]:
    """Alembic version folders of the installed domains (each its own branch)."""
    return []


def retention_rules() -> list[RetentionRule]:
    """Retention rules of the installed domains."""
    return []


def routers() -> list[APIRouter]:
    """API and console routers of the installed domains."""
    return []


def demo_seeders() -> list[Callable[[Node], None]]:
    """Functions that add each domain's synthetic demo data to a node."""
    return []


def cli_registrars() -> list[Callable[[typer.Typer], None]]:
    """Functions that add each domain's commands to the ``passerelle`` CLI."""
    return []


def demo_wirings() -> list[Callable[[list[Settings]], None]]:
    """Functions run once all demo nodes are seeded (e.g. to make them peers of each other)."""
    return []


def demo_checks() -> list[Callable[..., None]]:
    """Cross-border scenarios that ``passerelle demo --check`` runs against the live nodes."""
    return []
