"""federation: when the released data of a follow-up request was erased by retention

Revision ID: federation_0003_request_items
Revises: federation_tls_pin
Create Date: 2026-12-03 10:30:00

Issue #15: ``federation_request.items`` is encrypted with the node's field key from now on and
its values are erased when ``followup_items:*`` retention says so; the field names and their
handling and evaluation codes stay for accountability. Rows written before hold clear JSON: they
are read as such and erased by the same rules (the migration has no access to the node's key).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import passerelle.storage

revision: str = "federation_0003_request_items"
down_revision: str | Sequence[str] | None = "federation_tls_pin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("federation_request") as batch:
        batch.add_column(
            sa.Column(
                "items_erased_at",
                passerelle.storage.UtcDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("federation_request") as batch:
        batch.drop_column("items_erased_at")
