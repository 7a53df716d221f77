"""pnr: pushed messages, bookings and versions, hits, quarantine, criteria, scope decisions,
re-personalisation requests

Revision ID: pnr_0001
Revises:
Create Date: 2026-11-26 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "pnr_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("pnr",)
depends_on: str | Sequence[str] | None = "0001_foundation"

TABLES = (
    "pnr_repersonalisation",
    "pnr_hit",
    "pnr_booking_version",
    "pnr_scope_decision",
    "pnr_quarantine",
    "pnr_message",
    "pnr_criterion",
    "pnr_booking",
)


def upgrade() -> None:
    op.create_table(
        "pnr_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("record_locator", sa.String(length=60), nullable=False),
        sa.Column("carrier", sa.String(length=60), nullable=False),
        sa.Column("service_number", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=40), nullable=False),
        sa.Column("destination", sa.String(length=40), nullable=False),
        sa.Column("departure", sa.String(length=40), nullable=False),
        sa.Column("journey_key", sa.String(length=140), nullable=False),
        sa.Column("passenger_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("core", sa.Text(), nullable=False),
        sa.Column("personal", sa.Text(), nullable=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("masked_at", UtcDateTime(), nullable=True),
        sa.Column("case_ref", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_booking")),
        sa.UniqueConstraint("key", name=op.f("uq_pnr_booking_key")),
    )
    op.create_index(
        op.f("ix_pnr_booking_journey_key"), "pnr_booking", ["journey_key"], unique=False
    )
    op.create_index(
        op.f("ix_pnr_booking_received_at"), "pnr_booking", ["received_at"], unique=False
    )
    op.create_index(
        op.f("ix_pnr_booking_record_locator"), "pnr_booking", ["record_locator"], unique=False
    )
    op.create_table(
        "pnr_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("review_by", UtcDateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_criterion")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_pnr_criterion_code")),
    )
    op.create_index(op.f("ix_pnr_criterion_code"), "pnr_criterion", ["code"], unique=False)
    op.create_table(
        "pnr_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("sender", sa.String(length=120), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("bookings", sa.Integer(), nullable=False),
        sa.Column("passengers", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("refused_out_of_scope", sa.Integer(), nullable=False),
        sa.Column("sensitive_deleted", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_message")),
        sa.UniqueConstraint("digest", name=op.f("uq_pnr_message_digest")),
    )
    op.create_index(
        op.f("ix_pnr_message_received_at"), "pnr_message", ["received_at"], unique=False
    )
    op.create_table(
        "pnr_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_quarantine")),
    )
    op.create_index(
        op.f("ix_pnr_quarantine_message_id"), "pnr_quarantine", ["message_id"], unique=False
    )
    op.create_index(
        op.f("ix_pnr_quarantine_received_at"), "pnr_quarantine", ["received_at"], unique=False
    )
    op.create_table(
        "pnr_scope_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("targets", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("starts_at", UtcDateTime(), nullable=False),
        sa.Column("ends_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_scope_decision")),
    )
    op.create_index(
        op.f("ix_pnr_scope_decision_ends_at"), "pnr_scope_decision", ["ends_at"], unique=False
    )
    op.create_table(
        "pnr_booking_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("changed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["pnr_booking.id"],
            name=op.f("fk_pnr_booking_version_booking_id_pnr_booking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_booking_version")),
        sa.UniqueConstraint(
            "booking_id", "version", name=op.f("uq_pnr_booking_version_booking_id")
        ),
    )
    op.create_table(
        "pnr_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("passenger", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("list_name", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.String(length=200), nullable=False),
        sa.Column("criterion_version", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("sealed_explanation", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("reviewer", sa.String(length=120), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewed_at", UtcDateTime(), nullable=True),
        sa.Column("passed_to", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["pnr_booking.id"],
            name=op.f("fk_pnr_hit_booking_id_pnr_booking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_hit")),
    )
    op.create_index(op.f("ix_pnr_hit_booking_id"), "pnr_hit", ["booking_id"], unique=False)
    op.create_index(op.f("ix_pnr_hit_fingerprint"), "pnr_hit", ["fingerprint"], unique=False)
    op.create_index(op.f("ix_pnr_hit_status"), "pnr_hit", ["status"], unique=False)
    op.create_table(
        "pnr_repersonalisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(length=100), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("requester_agency", sa.String(length=60), nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decider_agency", sa.String(length=60), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("valid_until", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["pnr_booking.id"],
            name=op.f("fk_pnr_repersonalisation_booking_id_pnr_booking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_repersonalisation")),
    )
    op.create_index(
        op.f("ix_pnr_repersonalisation_booking_id"),
        "pnr_repersonalisation",
        ["booking_id"],
        unique=False,
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
