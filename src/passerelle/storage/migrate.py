"""Alembic migrations, applied automatically when a node opens its database.

The foundation's revisions live in ``passerelle/storage/migrations/versions``; each domain package
adds its own ``migrations`` folder with a branch label and ``depends_on`` the foundation, so
domains evolve their schema independently (``upgrade heads``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(extra_locations: Sequence[str] = ()) -> Config:
    """An Alembic configuration without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    locations = [str(MIGRATIONS_DIR / "versions"), *extra_locations]
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("path_separator", "space")
    return config


def upgrade(engine: Engine, extra_locations: Sequence[str] = ()) -> None:
    """Apply every pending revision of every branch."""
    config = alembic_config(extra_locations)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
