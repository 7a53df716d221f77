"""dna: stored profiles, match records, cross-border searches

Revision ID: dna_0001
Revises:
Create Date: 2026-11-26 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "dna_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("dna",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "dna_profile",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("national_reference", sa.String(length=100), nullable=False),
        sa.Column("sample_type", sa.String(length=30), nullable=False),
        sa.Column("kit", sa.String(length=100), nullable=False),
        sa.Column("laboratory", sa.String(length=200), nullable=False),
        sa.Column("single_source", sa.Boolean(), nullable=False),
        sa.Column("loci", sa.JSON(), nullable=False),
        sa.Column("exchangeable", sa.Boolean(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_profile")),
        sa.UniqueConstraint("national_reference", name=op.f("uq_dna_profile_national_reference")),
    )
    with op.batch_alter_table("dna_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dna_profile_sample_type"), ["sample_type"])
        batch_op.create_index(batch_op.f("ix_dna_profile_updated_at"), ["updated_at"])
    op.create_table(
        "dna_match",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("query_ref", sa.String(length=100), nullable=False),
        sa.Column("matched_ref", sa.String(length=100), nullable=False),
        sa.Column("peer", sa.String(length=32), nullable=True),
        sa.Column("query_id", sa.String(length=36), nullable=True),
        sa.Column("matching_loci", sa.Integer(), nullable=True),
        sa.Column("mismatched_alleles", sa.Integer(), nullable=True),
        sa.Column("quality", sa.Integer(), nullable=True),
        sa.Column("rmp", sa.Float(), nullable=True),
        sa.Column("needs_lab_confirmation", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_match")),
    )
    with op.batch_alter_table("dna_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dna_match_scope"), ["scope"])
        batch_op.create_index(batch_op.f("ix_dna_match_query_ref"), ["query_ref"])
        batch_op.create_index(batch_op.f("ix_dna_match_query_id"), ["query_id"])
        batch_op.create_index(batch_op.f("ix_dna_match_created_at"), ["created_at"])
    op.create_table(
        "dna_cross_border",
        sa.Column("query_id", sa.String(length=36), nullable=False),
        sa.Column("profile_ref", sa.String(length=100), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("query_id", name=op.f("pk_dna_cross_border")),
    )
    with op.batch_alter_table("dna_cross_border", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dna_cross_border_profile_ref"), ["profile_ref"])
        batch_op.create_index(batch_op.f("ix_dna_cross_border_created_at"), ["created_at"])


def downgrade() -> None:
    op.drop_table("dna_cross_border")
    op.drop_table("dna_match")
    op.drop_table("dna_profile")
