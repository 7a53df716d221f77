"""precursors: a version counter of the watched persons (the screening index's cheap check)

Revision ID: precursors_0002
Revises: precursors_0001
Create Date: 2026-12-03 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "precursors_0002"
down_revision: str | Sequence[str] | None = "precursors_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "precursors_watch_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_watch_version")),
    )


def downgrade() -> None:
    op.drop_table("precursors_watch_version")
