"""federation: messages of verified peers refused while processed, kept raw with the reason

Revision ID: federation_0004_quarantine
Revises: federation_0003_request_items
Create Date: 2026-12-03 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "federation_0004_quarantine"
down_revision: str | Sequence[str] | None = "federation_0003_request_items"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "federation_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("error", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("raw_chars", sa.Integer(), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_quarantine")),
    )
    with op.batch_alter_table("federation_quarantine") as batch:
        batch.create_index(batch.f("ix_federation_quarantine_peer"), ["peer"], unique=False)
        batch.create_index(
            batch.f("ix_federation_quarantine_received_at"), ["received_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("federation_quarantine")
