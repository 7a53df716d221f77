"""crisis: CAP messages, recipients and acknowledgements, escalations, quarantine, feeds

Revision ID: crisis_0001
Revises:
Create Date: 2026-12-03 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "crisis_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("crisis",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "crisis_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.Column("last_fetched_at", UtcDateTime(), nullable=True),
        sa.Column("last_result", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_feed")),
        sa.UniqueConstraint("url", name=op.f("uq_crisis_feed_url")),
    )
    op.create_table(
        "crisis_message",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("sent", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("msg_type", sa.String(length=8), nullable=False),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("thread", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("headline", sa.String(length=300), nullable=False),
        sa.Column("headlines", sa.JSON(), nullable=False),
        sa.Column("event", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=12), nullable=False),
        sa.Column("urgency", sa.String(length=12), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("expires", UtcDateTime(), nullable=True),
        sa.Column("names_people", sa.Boolean(), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=True),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_message")),
        sa.UniqueConstraint("sender", "identifier", name=op.f("uq_crisis_message_sender")),
    )
    with op.batch_alter_table("crisis_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crisis_message_msg_type"), ["msg_type"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_crisis_message_received_at"), ["received_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_crisis_message_sent"), ["sent"], unique=False)
        batch_op.create_index(batch_op.f("ix_crisis_message_thread"), ["thread"], unique=False)

    op.create_table(
        "crisis_quarantine",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_quarantine")),
    )
    with op.batch_alter_table("crisis_quarantine", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crisis_quarantine_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "crisis_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("peer", sa.String(length=32), nullable=False),
        sa.Column("envelope_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=False),
        sa.Column("ack_due_at", UtcDateTime(), nullable=False),
        sa.Column("acked_at", UtcDateTime(), nullable=True),
        sa.Column("ack_message_id", sa.String(length=36), nullable=True),
        sa.Column("escalated_at", UtcDateTime(), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("next_escalation_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["crisis_message.id"],
            name=op.f("fk_crisis_recipient_message_id_crisis_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_recipient")),
        sa.UniqueConstraint("message_id", "peer", name=op.f("uq_crisis_recipient_message_id")),
    )
    with op.batch_alter_table("crisis_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crisis_recipient_ack_due_at"), ["ack_due_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_recipient_acked_at"), ["acked_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_recipient_envelope_id"), ["envelope_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_recipient_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_recipient_next_escalation_at"),
            ["next_escalation_at"],
            unique=False,
        )

    op.create_table(
        "crisis_escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("peer", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("fired_at", UtcDateTime(), nullable=False),
        sa.Column("resolved_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["crisis_recipient.id"],
            name=op.f("fk_crisis_escalation_recipient_id_crisis_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_escalation")),
    )
    with op.batch_alter_table("crisis_escalation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_crisis_escalation_fired_at"), ["fired_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_escalation_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_crisis_escalation_recipient_id"), ["recipient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("crisis_escalation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_escalation_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_escalation_message_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_escalation_fired_at"))

    op.drop_table("crisis_escalation")
    with op.batch_alter_table("crisis_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_recipient_next_escalation_at"))
        batch_op.drop_index(batch_op.f("ix_crisis_recipient_message_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_recipient_envelope_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_recipient_acked_at"))
        batch_op.drop_index(batch_op.f("ix_crisis_recipient_ack_due_at"))

    op.drop_table("crisis_recipient")
    with op.batch_alter_table("crisis_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_quarantine_received_at"))

    op.drop_table("crisis_quarantine")
    with op.batch_alter_table("crisis_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crisis_message_thread"))
        batch_op.drop_index(batch_op.f("ix_crisis_message_sent"))
        batch_op.drop_index(batch_op.f("ix_crisis_message_received_at"))
        batch_op.drop_index(batch_op.f("ix_crisis_message_msg_type"))

    op.drop_table("crisis_message")
    op.drop_table("crisis_feed")
