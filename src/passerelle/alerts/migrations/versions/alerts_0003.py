"""alerts: hit reports travel as their own federation message type, not as a query

Revision ID: alerts_0003
Revises: alerts_0002
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "alerts_0003"
down_revision: str | Sequence[str] | None = "alerts_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.drop_column("query_id")


def downgrade() -> None:
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("query_id", sa.String(length=36), nullable=True))
