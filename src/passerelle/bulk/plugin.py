"""How the bulk package plugs into a node: its review table and the ``passerelle bulk`` commands."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.orm import Session

from passerelle.bulk import rules
from passerelle.bulk.model import Candidate
from passerelle.privacy import RetentionRule

if TYPE_CHECKING:
    import typer

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def _purge(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(Candidate).where(Candidate.loaded_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            data_class="bulk_candidate",
            description="Bulk screening candidates are erased six months after they were "
            "loaded for review.",
            source=rules.CANDIDATE_RETENTION_SOURCE,
            delete_after=rules.CANDIDATE_RETENTION,
            delete=_purge,
        )
    ]


def register_cli(app: typer.Typer) -> None:
    from passerelle.bulk.cli import app as bulk_app
    from passerelle.bulk.screen import screen

    app.command("screen")(screen)
    app.add_typer(bulk_app, name="bulk")
