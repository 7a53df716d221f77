"""alerts: register, hit reports, criteria catalogue, detainees, releases, returnees, feed tokens

Revision ID: alerts_0001
Revises:
Create Date: 2026-11-26 18:45:17.407021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "alerts_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("alerts",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "alerts_alert",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("issuing_node", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("place_of_birth", sa.String(length=200), nullable=True),
        sa.Column("nationalities", sa.JSON(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("names_at_birth", sa.String(length=200), nullable=True),
        sa.Column("physical_characteristics", sa.String(length=500), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("offence_type", sa.String(length=200), nullable=True),
        sa.Column("issuing_authority", sa.String(length=200), nullable=True),
        sa.Column("decision_reference", sa.String(length=100), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("linked_alerts", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("reviewed_at", UtcDateTime(), nullable=False),
        sa.Column("valid_until", UtcDateTime(), nullable=False),
        sa.Column("withdrawn_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_alert")),
        sa.UniqueConstraint("reference", name=op.f("uq_alerts_alert_reference")),
    )
    with op.batch_alter_table("alerts_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_alert_category"), ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_alerts_alert_issuing_node"), ["issuing_node"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alerts_alert_valid_until"), ["valid_until"], unique=False
        )

    op.create_table(
        "alerts_catalogue_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publisher", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("adopted_at", UtcDateTime(), nullable=True),
        sa.Column("adopted_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_catalogue_version")),
        sa.UniqueConstraint(
            "publisher", "version", name=op.f("uq_alerts_catalogue_version_publisher")
        ),
    )
    op.create_table(
        "alerts_detainee",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("offences", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("assessments", sa.JSON(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_detainee")),
    )
    op.create_table(
        "alerts_feed_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_alerts_feed_token")),
    )
    with op.batch_alter_table("alerts_feed_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alerts_feed_token_username"), ["username"], unique=False
        )

    op.create_table(
        "alerts_hit_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("alert_reference", sa.String(length=40), nullable=False),
        sa.Column("issuing_node", sa.String(length=32), nullable=False),
        sa.Column("executing_node", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("answer_due_at", UtcDateTime(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("delivery", sa.String(length=12), nullable=False),
        sa.Column("delivery_detail", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_hit_report")),
    )
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alerts_hit_report_alert_id"), ["alert_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alerts_hit_report_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "alerts_returnee",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=False),
        sa.Column("returned_from", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=200), nullable=False),
        sa.Column("protection_measures", sa.JSON(), nullable=False),
        sa.Column("responsible_authority", sa.String(length=200), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_returnee")),
    )
    with op.batch_alter_table("alerts_returnee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_returnee_kind"), ["kind"], unique=False)

    op.create_table(
        "alerts_proposal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("detainee_id", sa.String(length=36), nullable=False),
        sa.Column("catalogue_publisher", sa.String(length=32), nullable=False),
        sa.Column("catalogue_version", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("fired", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["detainee_id"],
            ["alerts_detainee.id"],
            name=op.f("fk_alerts_proposal_detainee_id_alerts_detainee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_proposal")),
    )
    with op.batch_alter_table("alerts_proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alerts_proposal_detainee_id"), ["detainee_id"], unique=False
        )

    op.create_table(
        "alerts_release",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("detainee_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("notified", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["detainee_id"],
            ["alerts_detainee.id"],
            name=op.f("fk_alerts_release_detainee_id_alerts_detainee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_release")),
    )
    with op.batch_alter_table("alerts_release", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alerts_release_detainee_id"), ["detainee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alerts_release_release_date"), ["release_date"], unique=False
        )

    op.create_table(
        "alerts_release_step",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("release_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=24), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["alerts_release.id"],
            name=op.f("fk_alerts_release_step_release_id_alerts_release"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts_release_step")),
    )
    with op.batch_alter_table("alerts_release_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alerts_release_step_due_date"), ["due_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alerts_release_step_release_id"), ["release_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts_release_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_release_step_release_id"))
        batch_op.drop_index(batch_op.f("ix_alerts_release_step_due_date"))

    op.drop_table("alerts_release_step")
    with op.batch_alter_table("alerts_release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_release_release_date"))
        batch_op.drop_index(batch_op.f("ix_alerts_release_detainee_id"))

    op.drop_table("alerts_release")
    with op.batch_alter_table("alerts_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_proposal_detainee_id"))

    op.drop_table("alerts_proposal")
    with op.batch_alter_table("alerts_returnee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_returnee_kind"))

    op.drop_table("alerts_returnee")
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_hit_report_created_at"))
        batch_op.drop_index(batch_op.f("ix_alerts_hit_report_alert_id"))

    op.drop_table("alerts_hit_report")
    with op.batch_alter_table("alerts_feed_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_feed_token_username"))

    op.drop_table("alerts_feed_token")
    op.drop_table("alerts_detainee")
    op.drop_table("alerts_catalogue_version")
    with op.batch_alter_table("alerts_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_alert_valid_until"))
        batch_op.drop_index(batch_op.f("ix_alerts_alert_issuing_node"))
        batch_op.drop_index(batch_op.f("ix_alerts_alert_category"))

    op.drop_table("alerts_alert")
