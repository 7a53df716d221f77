"""bulk: review candidates from bulk screening runs

Revision ID: bulk_0001
Revises:
Create Date: 2026-11-26 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "bulk_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("bulk",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "bulk_candidate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("loaded_at", UtcDateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_candidate")),
    )
    op.create_index(op.f("ix_bulk_candidate_run_id"), "bulk_candidate", ["run_id"])
    op.create_index(op.f("ix_bulk_candidate_status"), "bulk_candidate", ["status"])
    op.create_index(op.f("ix_bulk_candidate_loaded_at"), "bulk_candidate", ["loaded_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_bulk_candidate_loaded_at"), table_name="bulk_candidate")
    op.drop_index(op.f("ix_bulk_candidate_status"), table_name="bulk_candidate")
    op.drop_index(op.f("ix_bulk_candidate_run_id"), table_name="bulk_candidate")
    op.drop_table("bulk_candidate")
