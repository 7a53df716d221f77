"""The installed domain packages and what each contributes to a node.

A domain (``pnr``, ``dna``, ``alerts``, …) is plugged in by adding it here: its Alembic
migrations folder, its retention rules, its API routers and its demo seed. The core never imports
a domain anywhere else.
"""

from __future__ import annotations

from passerelle.privacy.retention import RetentionRule


def migration_dirs() -> list[str]:
    """Alembic version folders of the installed domains (each its own branch)."""
    return []


def retention_rules() -> list[RetentionRule]:
    """Retention rules of the installed domains."""
    return []
