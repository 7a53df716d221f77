"""precursors: sellers, catalogue, licences, watched persons, transactions, reports, patterns,
notices from peers, quarantine

Revision ID: precursors_0001
Revises:
Create Date: 2026-12-03 07:12:27.533707
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "precursors_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("precursors",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:

    op.create_table(
        "precursors_licence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("given_names", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("document_number", sa.String(length=40), nullable=False),
        sa.Column("substances", sa.JSON(), nullable=False),
        sa.Column("max_concentration", sa.Float(), nullable=False),
        sa.Column("valid_from", UtcDateTime(), nullable=False),
        sa.Column("valid_until", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_licence")),
        sa.UniqueConstraint("country", "number", name=op.f("uq_precursors_licence_country")),
    )
    with op.batch_alter_table("precursors_licence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_precursors_licence_document_number"), ["document_number"], unique=False
        )

    op.create_table(
        "precursors_notice",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.String(length=8), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("given_names", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("document_number", sa.String(length=40), nullable=False),
        sa.Column("identity_key", sa.String(length=40), nullable=False),
        sa.Column("cas", sa.String(length=12), nullable=False),
        sa.Column("quantity_kg", sa.Float(), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("seller_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_notice")),
    )
    with op.batch_alter_table("precursors_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_precursors_notice_identity_key"), ["identity_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_precursors_notice_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_precursors_notice_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "precursors_pattern",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=400), nullable=False),
        sa.Column("detected_at", UtcDateTime(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_pattern")),
        sa.UniqueConstraint("kind", "signature", name=op.f("uq_precursors_pattern_kind")),
    )
    with op.batch_alter_table("precursors_pattern", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_precursors_pattern_detected_at"), ["detected_at"], unique=False
        )

    op.create_table(
        "precursors_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seller", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=80), nullable=False),
        sa.Column("trade_name", sa.String(length=200), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
        sa.Column("cas", sa.String(length=12), nullable=False),
        sa.Column("concentration", sa.Float(), nullable=False),
        sa.Column("particle_um", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_product")),
        sa.UniqueConstraint("seller", "sku", name=op.f("uq_precursors_product_seller")),
    )
    with op.batch_alter_table("precursors_product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_precursors_product_seller"), ["seller"], unique=False)

    op.create_table(
        "precursors_quarantine",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_quarantine")),
    )
    with op.batch_alter_table("precursors_quarantine", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_precursors_quarantine_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "precursors_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("seller", sa.String(length=40), nullable=False),
        sa.Column("transaction_id", sa.String(length=36), nullable=True),
        sa.Column("pattern_id", sa.String(length=36), nullable=True),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("filed_at", UtcDateTime(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("contact_point", sa.String(length=200), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(length=120), nullable=False),
        sa.Column("acknowledged_at", UtcDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_report")),
        sa.UniqueConstraint("reference", name=op.f("uq_precursors_report_reference")),
    )
    with op.batch_alter_table("precursors_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_precursors_report_filed_at"), ["filed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_precursors_report_transaction_id"), ["transaction_id"], unique=False
        )

    op.create_table(
        "precursors_seller",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("token_name", sa.String(length=120), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_precursors_seller")),
        sa.UniqueConstraint("token_name", name=op.f("uq_precursors_seller_token_name")),
    )
    op.create_table(
        "precursors_transaction",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("seller", sa.String(length=40), nullable=False),
        sa.Column("seller_ref", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
        sa.Column("customer_type", sa.String(length=12), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("given_names", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("document_type", sa.String(length=20), nullable=False),
        sa.Column("document_number", sa.String(length=40), nullable=False),
        sa.Column("document_country", sa.String(length=3), nullable=False),
        sa.Column("account", sa.String(length=120), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("identity_key", sa.String(length=40), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("cas", sa.String(length=12), nullable=False),
        sa.Column("annex", sa.String(length=4), nullable=False),
        sa.Column("concentration", sa.Float(), nullable=False),
        sa.Column("quantity_kg", sa.Float(), nullable=False),
        sa.Column("payment_method", sa.String(length=12), nullable=False),
        sa.Column("payment_amount", sa.Float(), nullable=False),
        sa.Column("delivery_method", sa.String(length=12), nullable=False),
        sa.Column("delivery_address", sa.String(length=300), nullable=False),
        sa.Column("delivery_key", sa.String(length=200), nullable=False),
        sa.Column("id_checked", sa.Boolean(), nullable=False),
        sa.Column("licence_number", sa.String(length=40), nullable=False),
        sa.Column("licence_ok", sa.Boolean(), nullable=False),
        sa.Column("professional_checked", sa.Boolean(), nullable=False),
        sa.Column("intended_use", sa.String(length=500), nullable=False),
        sa.Column("statement_signed", sa.Boolean(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_transaction")),
        sa.UniqueConstraint("reference", name=op.f("uq_precursors_transaction_reference")),
    )
    with op.batch_alter_table("precursors_transaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_precursors_transaction_cas"), ["cas"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_precursors_transaction_decision"), ["decision"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_precursors_transaction_delivery_key"), ["delivery_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_precursors_transaction_identity_key"), ["identity_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_precursors_transaction_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_precursors_transaction_seller"), ["seller"], unique=False
        )

    op.create_table(
        "precursors_watched",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("given_names", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("document_number", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursors_watched")),
    )


def downgrade() -> None:

    op.drop_table("precursors_watched")
    with op.batch_alter_table("precursors_transaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precursors_transaction_seller"))
        batch_op.drop_index(batch_op.f("ix_precursors_transaction_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_precursors_transaction_identity_key"))
        batch_op.drop_index(batch_op.f("ix_precursors_transaction_delivery_key"))
        batch_op.drop_index(batch_op.f("ix_precursors_transaction_decision"))
        batch_op.drop_index(batch_op.f("ix_precursors_transaction_cas"))

    op.drop_table("precursors_transaction")
    op.drop_table("precursors_seller")
    with op.batch_alter_table("precursors_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precursors_report_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_precursors_report_filed_at"))

    op.drop_table("precursors_report")
    with op.batch_alter_table("precursors_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precursors_quarantine_received_at"))

    op.drop_table("precursors_quarantine")
    with op.batch_alter_table("precursors_product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precursors_product_seller"))

    op.drop_table("precursors_product")
    with op.batch_alter_table("precursors_pattern", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precursors_pattern_detected_at"))

    op.drop_table("precursors_pattern")
    with op.batch_alter_table("precursors_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precursors_notice_received_at"))
        batch_op.drop_index(batch_op.f("ix_precursors_notice_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_precursors_notice_identity_key"))

    op.drop_table("precursors_notice")
    with op.batch_alter_table("precursors_licence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_precursors_licence_document_number"))

    op.drop_table("precursors_licence")
