"""jit: teams, members, agreement versions, uploads, evidence, custody, statements,
approvals, actions

Revision ID: jit_0001
Revises:
Create Date: 2026-12-03 13:05:19.984009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "jit_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("jit",)
depends_on: str | Sequence[str] | None = "0001_foundation"


def upgrade() -> None:
    op.create_table(
        "jit_team",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_team")),
        sa.UniqueConstraint("reference", name=op.f("uq_jit_team_reference")),
    )
    with op.batch_alter_table("jit_team", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_team_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_jit_team_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "jit_action",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["jit_team.id"],
            name=op.f("fk_jit_action_team_id_jit_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_action")),
    )
    with op.batch_alter_table("jit_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_action_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_jit_action_team_id"), ["team_id"], unique=False)

    op.create_table(
        "jit_agreement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["jit_team.id"],
            name=op.f("fk_jit_agreement_team_id_jit_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_agreement")),
        sa.UniqueConstraint("team_id", "number", name=op.f("uq_jit_agreement_team_id")),
    )
    with op.batch_alter_table("jit_agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_agreement_team_id"), ["team_id"], unique=False)

    op.create_table(
        "jit_evidence",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("handling", sa.String(length=4), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("uploaded_at", UtcDateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=True),
        sa.Column("content_deleted_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["jit_team.id"],
            name=op.f("fk_jit_evidence_team_id_jit_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_evidence")),
    )
    with op.batch_alter_table("jit_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_evidence_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_jit_evidence_uploaded_at"), ["uploaded_at"], unique=False
        )

    op.create_table(
        "jit_member",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("login", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["jit_team.id"],
            name=op.f("fk_jit_member_team_id_jit_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_member")),
    )
    with op.batch_alter_table("jit_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_member_team_id"), ["team_id"], unique=False)

    op.create_table(
        "jit_statement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["jit_team.id"],
            name=op.f("fk_jit_statement_team_id_jit_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_statement")),
    )
    with op.batch_alter_table("jit_statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_statement_team_id"), ["team_id"], unique=False)

    op.create_table(
        "jit_upload",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("handling", sa.String(length=4), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("evidence_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["jit_team.id"],
            name=op.f("fk_jit_upload_team_id_jit_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_upload")),
    )
    with op.batch_alter_table("jit_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_upload_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_jit_upload_team_id"), ["team_id"], unique=False)

    op.create_table(
        "jit_approval",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("leader", sa.String(length=200), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["jit_statement.id"],
            name=op.f("fk_jit_approval_statement_id_jit_statement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_approval")),
        sa.UniqueConstraint(
            "statement_id", "number", "country", name=op.f("uq_jit_approval_statement_id")
        ),
    )
    with op.batch_alter_table("jit_approval", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_jit_approval_statement_id"), ["statement_id"], unique=False
        )

    op.create_table(
        "jit_custody",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("evidence_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=12), nullable=False),
        sa.Column("node", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signed", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["jit_evidence.id"],
            name=op.f("fk_jit_custody_evidence_id_jit_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_custody")),
        sa.UniqueConstraint("evidence_id", "node", "seq", name=op.f("uq_jit_custody_evidence_id")),
    )
    with op.batch_alter_table("jit_custody", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jit_custody_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_jit_custody_evidence_id"), ["evidence_id"], unique=False
        )

    op.create_table(
        "jit_statement_version",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("node", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["jit_statement.id"],
            name=op.f("fk_jit_statement_version_statement_id_jit_statement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jit_statement_version")),
        sa.UniqueConstraint(
            "statement_id", "number", name=op.f("uq_jit_statement_version_statement_id")
        ),
    )
    with op.batch_alter_table("jit_statement_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_jit_statement_version_statement_id"), ["statement_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("jit_statement_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_statement_version_statement_id"))

    op.drop_table("jit_statement_version")
    with op.batch_alter_table("jit_custody", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_custody_evidence_id"))
        batch_op.drop_index(batch_op.f("ix_jit_custody_at"))

    op.drop_table("jit_custody")
    with op.batch_alter_table("jit_approval", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_approval_statement_id"))

    op.drop_table("jit_approval")
    with op.batch_alter_table("jit_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_upload_team_id"))
        batch_op.drop_index(batch_op.f("ix_jit_upload_created_at"))

    op.drop_table("jit_upload")
    with op.batch_alter_table("jit_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_statement_team_id"))

    op.drop_table("jit_statement")
    with op.batch_alter_table("jit_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_member_team_id"))

    op.drop_table("jit_member")
    with op.batch_alter_table("jit_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_evidence_uploaded_at"))
        batch_op.drop_index(batch_op.f("ix_jit_evidence_team_id"))

    op.drop_table("jit_evidence")
    with op.batch_alter_table("jit_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_agreement_team_id"))

    op.drop_table("jit_agreement")
    with op.batch_alter_table("jit_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_action_team_id"))
        batch_op.drop_index(batch_op.f("ix_jit_action_due_on"))

    op.drop_table("jit_action")
    with op.batch_alter_table("jit_team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jit_team_updated_at"))
        batch_op.drop_index(batch_op.f("ix_jit_team_closed_at"))

    op.drop_table("jit_team")
