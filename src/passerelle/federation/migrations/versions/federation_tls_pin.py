"""federation: the peer's pinned TLS certificate (SHA-256) beside its signing key

Revision ID: federation_tls_pin
Revises: federation_0001
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "federation_tls_pin"
down_revision: str | Sequence[str] | None = "federation_0002_signer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("federation_peer") as batch:
        batch.add_column(sa.Column("tls_cert_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("federation_peer") as batch:
        batch.drop_column("tls_cert_sha256")
