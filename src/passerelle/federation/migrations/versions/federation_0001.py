"""federation: peers, message log, queries, answers, references, follow-up requests

Revision ID: federation_0001
Revises:
Create Date: 2026-11-26 18:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "federation_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("federation",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "federation_peer",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("url", sa.String(300), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.Column("last_ok_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("last_error_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_federation_peer")),
    )
    op.create_table(
        "federation_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("case_ref", sa.String(100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_message")),
        sa.UniqueConstraint(
            "message_id", "direction", name=op.f("uq_federation_message_message_id")
        ),
    )
    for column in ("peer", "case_ref", "created_at", "status"):
        op.create_index(op.f(f"ix_federation_message_{column}"), "federation_message", [column])
    op.create_table(
        "federation_query",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("case_ref", sa.String(100), nullable=False),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("legal_basis", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_query")),
    )
    op.create_index(op.f("ix_federation_query_case_ref"), "federation_query", ["case_ref"])
    op.create_index(op.f("ix_federation_query_created_at"), "federation_query", ["created_at"])
    op.create_table(
        "federation_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("query_id", sa.String(36), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("detail", sa.String(300), nullable=False),
        sa.Column("handling_code", sa.String(2), nullable=True),
        sa.Column("handling_text", sa.Text(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["query_id"],
            ["federation_query.id"],
            name=op.f("fk_federation_answer_query_id_federation_query"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_answer")),
        sa.UniqueConstraint("query_id", "peer", name=op.f("uq_federation_answer_query_id")),
    )
    op.create_index(op.f("ix_federation_answer_message_id"), "federation_answer", ["message_id"])
    op.create_table(
        "federation_reference",
        sa.Column("token", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("internal_ref", sa.String(200), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("query_message_id", sa.String(36), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_federation_reference")),
    )
    op.create_table(
        "federation_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(36), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("peer", sa.String(32), nullable=False),
        sa.Column("query_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("case_ref", sa.String(100), nullable=False),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("legal_basis", sa.String(200), nullable=False),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("items", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_federation_request")),
        sa.UniqueConstraint(
            "request_id", "direction", name=op.f("uq_federation_request_request_id")
        ),
    )
    op.create_index(op.f("ix_federation_request_case_ref"), "federation_request", ["case_ref"])
    op.create_index(op.f("ix_federation_request_status"), "federation_request", ["status"])


def downgrade() -> None:
    for table in (
        "federation_request",
        "federation_reference",
        "federation_answer",
        "federation_query",
        "federation_message",
        "federation_peer",
    ):
        op.drop_table(table)
