"""alerts: hit reports remember the federation query that carries them

Revision ID: alerts_0002
Revises: alerts_0001
Create Date: 2026-11-26 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "alerts_0002"
down_revision: str | Sequence[str] | None = "alerts_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("query_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.drop_column("query_id")
