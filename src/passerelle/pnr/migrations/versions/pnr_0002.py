"""pnr: results pushed by other PIUs kept in their own table, masked with their booking

Revision ID: pnr_0002
Revises: pnr_0001
Create Date: 2026-12-03 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "pnr_0002"
down_revision: str | Sequence[str] | None = "pnr_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pnr_received_result",
        sa.Column("id", sa.String(60), nullable=False),
        sa.Column("sender", sa.String(32), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("list_name", sa.String(100), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.Column("record_locator", sa.String(60), nullable=False),
        sa.Column("journey", sa.String(200), nullable=False),
        sa.Column("passenger", sa.String(300), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reviewed_by", sa.String(120), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("mask_on", UtcDateTime(), nullable=False),
        sa.Column("delete_on", UtcDateTime(), nullable=False),
        sa.Column("masked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_received_result")),
    )
    for column in ("received_at", "mask_on", "delete_on"):
        op.create_index(op.f(f"ix_pnr_received_result_{column}"), "pnr_received_result", [column])


def downgrade() -> None:
    op.drop_table("pnr_received_result")
