"""heritage: objects (Object ID), photographs, provenance events, checks, exchanges, index
version

Revision ID: heritage_0001
Revises:
Create Date: 2026-12-03 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "heritage_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("heritage",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "heritage_check",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("seller", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
        sa.Column("checked_by", sa.String(length=120), nullable=False),
        sa.Column("risk", sa.String(length=8), nullable=False),
        sa.Column("submitted", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_check")),
        sa.UniqueConstraint("reference", name=op.f("uq_heritage_check_reference")),
    )
    op.create_index(
        op.f("ix_heritage_check_checked_at"), "heritage_check", ["checked_at"], unique=False
    )
    op.create_index(op.f("ix_heritage_check_risk"), "heritage_check", ["risk"], unique=False)
    op.create_table(
        "heritage_event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("object_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("party", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("date_from", sa.String(length=10), nullable=False),
        sa.Column("date_to", sa.String(length=10), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_event")),
    )
    op.create_index(
        op.f("ix_heritage_event_object_id"), "heritage_event", ["object_id"], unique=False
    )
    op.create_table(
        "heritage_exchange",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("peer", sa.String(length=8), nullable=False),
        sa.Column("request_ref", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("hit", sa.Boolean(), nullable=True),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_exchange")),
    )
    op.create_index(op.f("ix_heritage_exchange_at"), "heritage_exchange", ["at"], unique=False)
    op.create_index(
        op.f("ix_heritage_exchange_request_ref"), "heritage_exchange", ["request_ref"], unique=False
    )
    op.create_table(
        "heritage_index_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_index_version")),
    )
    op.create_table(
        "heritage_object",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=100), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("techniques", sa.JSON(), nullable=False),
        sa.Column("height_cm", sa.Float(), nullable=True),
        sa.Column("width_cm", sa.Float(), nullable=True),
        sa.Column("depth_cm", sa.Float(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("inscriptions", sa.Text(), nullable=False),
        sa.Column("distinguishing_features", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("date_period", sa.String(length=100), nullable=False),
        sa.Column("year_made", sa.Integer(), nullable=True),
        sa.Column("maker", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("country_of_origin", sa.String(length=2), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("inventory_number", sa.String(length=80), nullable=False),
        sa.Column("related_material", sa.Text(), nullable=False),
        sa.Column("place_of_origin", sa.String(length=200), nullable=False),
        sa.Column("cross_reference", sa.String(length=200), nullable=False),
        sa.Column("date_documented", sa.String(length=10), nullable=False),
        sa.Column("reported_stolen_at", UtcDateTime(), nullable=True),
        sa.Column("recovered_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_object")),
        sa.UniqueConstraint("reference", name=op.f("uq_heritage_object_reference")),
    )
    op.create_index(
        op.f("ix_heritage_object_created_at"), "heritage_object", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_heritage_object_recovered_at"), "heritage_object", ["recovered_at"], unique=False
    )
    op.create_index(op.f("ix_heritage_object_status"), "heritage_object", ["status"], unique=False)
    op.create_table(
        "heritage_photo",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("object_id", sa.String(length=36), nullable=False),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("phashes", sa.JSON(), nullable=False),
        sa.Column("dhashes", sa.JSON(), nullable=False),
        sa.Column("colour", sa.JSON(), nullable=False),
        sa.Column("texture", sa.JSON(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heritage_photo")),
    )
    op.create_index(
        op.f("ix_heritage_photo_object_id"), "heritage_photo", ["object_id"], unique=False
    )


def downgrade() -> None:
    for table in (
        "heritage_index_version",
        "heritage_exchange",
        "heritage_check",
        "heritage_event",
        "heritage_photo",
        "heritage_object",
    ):
        op.drop_table(table)
