"""federation: encrypted message bodies with their own retention, sharing policies, approvals

Revision ID: federation_0002
Revises: federation_0001
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "federation_0002"
down_revision: str | Sequence[str] | None = "federation_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("federation_message", schema=None) as batch_op:
        batch_op.alter_column("body", existing_type=sa.Text(), nullable=True)
        batch_op.add_column(sa.Column("reference", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("body_hash", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("body_masked", sa.Text(), nullable=True))
        for column in ("body_mask_at", "body_delete_at", "body_masked_at", "body_erased_at"):
            batch_op.add_column(sa.Column(column, UtcDateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_federation_message_reference"), ["reference"], unique=False
        )
    op.create_table(
        "federation_policy",
        sa.Column("message_type", sa.String(32), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("policy", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(120), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_type", "peer", name=op.f("pk_federation_policy")),
    )
    op.create_table(
        "federation_outgoing",
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("message_type", sa.String(32), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("case_ref", sa.String(100), nullable=False),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("legal_basis", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("handling_code", sa.String(2), nullable=True),
        sa.Column("handling_text", sa.Text(), nullable=True),
        sa.Column("evaluation", sa.String(2), nullable=True),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_federation_outgoing")),
    )
    for column in ("message_type", "status", "requested_at"):
        op.create_index(op.f(f"ix_federation_outgoing_{column}"), "federation_outgoing", [column])


def downgrade() -> None:
    op.drop_table("federation_outgoing")
    op.drop_table("federation_policy")
    with op.batch_alter_table("federation_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_federation_message_reference"))
        for column in (
            "body_erased_at",
            "body_masked_at",
            "body_delete_at",
            "body_mask_at",
            "body_masked",
            "body_hash",
            "reference",
        ):
            batch_op.drop_column(column)
        batch_op.alter_column("body", existing_type=sa.Text(), nullable=False)
