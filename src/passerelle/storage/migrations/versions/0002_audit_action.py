"""audit_log.action widened to 64 characters: received messages name what happened

Revision ID: 0002_audit_action
Revises: 0001_foundation
Create Date: 2026-12-03 10:05:00

Issue #15: a received message is audited as ``alert received``, ``hit report received`` …
instead of ``receive`` with that name in the outcome. Existing entries are not changed: an
entry's hash covers the same fields as before, with the action it was written with, so
``audit verify`` still verifies chains written before this revision.

On SQLite the column type is changed by copying the table (batch mode), which drops its
triggers: the append-only trigger is created again in the same transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_audit_action"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGER = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
)


def _width(old: int, new: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        with op.batch_alter_table("audit_log", recreate="always") as batch:
            batch.alter_column(
                "action", existing_type=sa.String(old), type_=sa.String(new), nullable=False
            )
        op.execute(_SQLITE_TRIGGER)
    else:
        # Changing a varchar's length rewrites no row: the no-update trigger does not fire.
        op.alter_column("audit_log", "action", existing_type=sa.String(old), type_=sa.String(new))


def upgrade() -> None:
    _width(16, 64)


def downgrade() -> None:
    _width(64, 16)
