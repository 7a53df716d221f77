"""financing: published filters and follow-up requests

Revision ID: financing_0002
Revises: financing_0001
Create Date: 2026-12-03 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "financing_0002"
down_revision: str | Sequence[str] | None = "financing_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "financing_filter",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_filter")),
    )
    op.create_index(op.f("ix_financing_filter_created_at"), "financing_filter", ["created_at"])
    op.create_table(
        "financing_followup",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("peer", sa.String(length=8), nullable=False),
        sa.Column("filter_id", sa.String(length=64), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_followup")),
    )
    op.create_index(op.f("ix_financing_followup_created_at"), "financing_followup", ["created_at"])


def downgrade() -> None:
    op.drop_table("financing_followup")
    op.drop_table("financing_filter")
