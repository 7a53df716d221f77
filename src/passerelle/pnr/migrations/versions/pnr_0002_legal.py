"""pnr: legal review of 2026-12 (issue #16) — structured retention grounds with a review date,
the basis of a re-personalisation approval

Data changes: none here. The "national" retention policy is gone from the code: bookings it
kept (every booking five years) and bookings kept only by a free-text case reference are
re-evaluated by the ``pnr_booking`` retention rule at the next run — those older than six
months without a confirmed hit or a structured ground (``ground_review_on`` ahead) are deleted,
which that run audits as an ``erase`` of ``pnr_booking`` with its count. Existing case references
stay readable on the booking; they no longer extend retention.

Revision ID: pnr_0002_legal
Revises: pnr_0001
Create Date: 2026-12-03 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pnr_0002_legal"
down_revision: str | Sequence[str] | None = "pnr_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pnr_booking", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_ground", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("ground_review_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_pnr_booking_ground_review_on"), ["ground_review_on"])
    with op.batch_alter_table("pnr_repersonalisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approval_basis", sa.String(length=24), nullable=True))
    op.execute(
        "UPDATE pnr_repersonalisation SET approval_basis = 'judicial' WHERE status != 'pending'"
    )


def downgrade() -> None:
    with op.batch_alter_table("pnr_repersonalisation", schema=None) as batch_op:
        batch_op.drop_column("approval_basis")
    with op.batch_alter_table("pnr_booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pnr_booking_ground_review_on"))
        batch_op.drop_column("ground_review_on")
        batch_op.drop_column("retention_ground")
