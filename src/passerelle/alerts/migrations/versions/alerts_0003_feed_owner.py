"""alerts: a calendar feed token names the kind of its owner (user or API token)

A feed token issued from an API token was resolved as the user with the same numeric id
(issue #14, finding 6). Existing tokens issued from an API token (named ``token:…``) get
``owner_kind = 'token'``.

Revision ID: alerts_0003_feed_owner
Revises: alerts_0002
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "alerts_0003_feed_owner"
down_revision: str | Sequence[str] | None = "alerts_0003_legal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts_feed_token", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("owner_kind", sa.String(length=8), nullable=False, server_default="user")
        )
    op.execute("UPDATE alerts_feed_token SET owner_kind = 'token' WHERE username LIKE 'token:%'")


def downgrade() -> None:
    with op.batch_alter_table("alerts_feed_token", schema=None) as batch_op:
        batch_op.drop_column("owner_kind")
