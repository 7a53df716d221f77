"""heritage: quarantine of unreadable object JSON and photographs

Revision ID: heritage_0002
Revises: heritage_0001
Create Date: 2026-12-03 16:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "heritage_0002"
down_revision: str | Sequence[str] | None = "heritage_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "heritage_quarantine",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_quarantine")),
    )
    op.create_index(
        op.f("ix_heritage_quarantine_received_at"),
        "heritage_quarantine",
        ["received_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("heritage_quarantine")
