"""evidence: provider directory, European Production and Preservation Orders, answers, files

Revision ID: evidence_0001
Revises:
Create Date: 2026-12-03 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "evidence_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("evidence",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "evidence_provider",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("token_name", sa.String(length=120), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_evidence_provider")),
        sa.UniqueConstraint("token_name", name=op.f("uq_evidence_provider_token_name")),
    )
    op.create_index(op.f("ix_evidence_provider_country"), "evidence_provider", ["country"])
    op.create_table(
        "evidence_order",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("form", sa.String(length=8), nullable=False),
        sa.Column("issuing_country", sa.String(length=2), nullable=False),
        sa.Column("authority_type", sa.String(length=24), nullable=False),
        sa.Column("authority_name", sa.String(length=200), nullable=False),
        sa.Column("validator_type", sa.String(length=24), nullable=False),
        sa.Column("validator_name", sa.String(length=200), nullable=False),
        sa.Column("validated_at", UtcDateTime(), nullable=True),
        sa.Column("validation_due_at", UtcDateTime(), nullable=True),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("enforcing_country", sa.String(length=2), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("offence", sa.String(length=300), nullable=False),
        sa.Column("max_sentence_years", sa.Integer(), nullable=False),
        sa.Column("listed_offence", sa.String(length=40), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("notify_enforcing", sa.Boolean(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("period_from", UtcDateTime(), nullable=True),
        sa.Column("period_to", UtcDateTime(), nullable=True),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("acknowledged_at", UtcDateTime(), nullable=True),
        sa.Column("due_at", UtcDateTime(), nullable=True),
        sa.Column("review_until", UtcDateTime(), nullable=True),
        sa.Column("preserve_until", UtcDateTime(), nullable=True),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", UtcDateTime(), nullable=True),
        sa.Column("refusal_ground", sa.String(length=40), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_order")),
        sa.UniqueConstraint("reference", name=op.f("uq_evidence_order_reference")),
    )
    for column in ("provider", "status", "issued_at", "due_at", "closed_at"):
        op.create_index(op.f(f"ix_evidence_order_{column}"), "evidence_order", [column])
    op.create_table(
        "evidence_answer",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=False),
        sa.Column("answered_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_answer")),
    )
    op.create_index(op.f("ix_evidence_answer_order_id"), "evidence_answer", ["order_id"])
    op.create_index(op.f("ix_evidence_answer_answered_at"), "evidence_answer", ["answered_at"])
    op.create_table(
        "evidence_answer_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_answer_file")),
    )
    op.create_index(
        op.f("ix_evidence_answer_file_answer_id"), "evidence_answer_file", ["answer_id"]
    )


def downgrade() -> None:
    op.drop_table("evidence_answer_file")
    op.drop_table("evidence_answer")
    op.drop_table("evidence_order")
    op.drop_table("evidence_provider")
