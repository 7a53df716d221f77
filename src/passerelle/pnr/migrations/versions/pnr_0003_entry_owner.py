"""pnr: a watchlist hit keeps the node owning the matched entry, as screening found it

Revision ID: pnr_0003_entry_owner
Revises: pnr_0002_legal
Create Date: 2026-12-03 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pnr_0003_entry_owner"
down_revision: str | Sequence[str] | None = "pnr_0002_legal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pnr_hit") as batch:
        batch.add_column(sa.Column("entry_owner", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pnr_hit") as batch:
        batch.drop_column("entry_owner")
