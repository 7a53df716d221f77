"""federation: a message is unique per (peer, message id, direction), not per message id

Replay detection is keyed by the signing peer and the message id (issue #14, finding 2): a peer
reusing another peer's message id is a different message and must not reach the first one's
stored reply.

Revision ID: federation_0002_signer
Revises: federation_0001
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "federation_0002_signer"
down_revision: str | Sequence[str] | None = "federation_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("federation_message", schema=None) as batch_op:
        batch_op.drop_constraint("uq_federation_message_message_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_federation_message_peer", ["peer", "message_id", "direction"]
        )


def downgrade() -> None:
    with op.batch_alter_table("federation_message", schema=None) as batch_op:
        batch_op.drop_constraint("uq_federation_message_peer", type_="unique")
        batch_op.create_unique_constraint(
            "uq_federation_message_message_id", ["message_id", "direction"]
        )
