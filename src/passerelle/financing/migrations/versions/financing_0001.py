"""financing: reports, parties, transfers, quarantine, lists, findings

Revision ID: financing_0001
Revises:
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "financing_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("financing",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "financing_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("reporting_entity", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("submitted_on", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_report")),
    )
    op.create_index(op.f("ix_financing_report_reference"), "financing_report", ["reference"])
    op.create_index(op.f("ix_financing_report_received_at"), "financing_report", ["received_at"])
    op.create_table(
        "financing_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("account", sa.String(length=120), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("chain", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["financing_report.id"],
            name=op.f("fk_financing_party_report_id_financing_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_party")),
    )
    op.create_index(op.f("ix_financing_party_report_id"), "financing_party", ["report_id"])
    op.create_index(op.f("ix_financing_party_account"), "financing_party", ["account"])
    op.create_table(
        "financing_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("from_account", sa.String(length=120), nullable=False),
        sa.Column("to_account", sa.String(length=120), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["financing_report.id"],
            name=op.f("fk_financing_transfer_report_id_financing_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_transfer")),
    )
    for column in ("report_id", "occurred_at", "from_account", "to_account"):
        op.create_index(op.f(f"ix_financing_transfer_{column}"), "financing_transfer", [column])
    op.create_table(
        "financing_quarantine",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_quarantine")),
    )
    op.create_index(
        op.f("ix_financing_quarantine_received_at"), "financing_quarantine", ["received_at"]
    )
    op.create_table(
        "financing_list_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("account", sa.String(length=120), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_list_entry")),
    )
    for column in ("list_kind", "account", "added_at"):
        op.create_index(op.f(f"ix_financing_list_entry_{column}"), "financing_list_entry", [column])
    op.create_table(
        "financing_finding",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=400), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("edges", sa.JSON(), nullable=False),
        sa.Column("detected_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_finding")),
        sa.UniqueConstraint("signature", name=op.f("uq_financing_finding_signature")),
    )
    op.create_index(op.f("ix_financing_finding_rule"), "financing_finding", ["rule"])
    op.create_index(op.f("ix_financing_finding_detected_at"), "financing_finding", ["detected_at"])


def downgrade() -> None:
    for table in (
        "financing_finding",
        "financing_list_entry",
        "financing_quarantine",
        "financing_transfer",
        "financing_party",
        "financing_report",
    ):
        op.drop_table(table)
