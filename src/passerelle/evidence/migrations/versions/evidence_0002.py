"""evidence: art. 8 notifications received as the enforcing state

Revision ID: evidence_0002
Revises: evidence_0001
Create Date: 2026-12-03 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "evidence_0002"
down_revision: str | Sequence[str] | None = "evidence_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_notification",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.String(length=8), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("review_until", UtcDateTime(), nullable=False),
        sa.Column("certificate", sa.JSON(), nullable=False),
        sa.Column("refusal_ground", sa.String(length=40), nullable=False),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.Column("refused_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_notification")),
    )
    op.create_index(
        op.f("ix_evidence_notification_reference"), "evidence_notification", ["reference"]
    )
    op.create_index(
        op.f("ix_evidence_notification_received_at"), "evidence_notification", ["received_at"]
    )


def downgrade() -> None:
    op.drop_table("evidence_notification")
