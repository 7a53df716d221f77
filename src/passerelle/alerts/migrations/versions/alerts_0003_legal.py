"""alerts: legal review of 2026-12 (issue #16) — recorded extensions, expiry warnings, hit
reports counted from their alert's deletion; stored data brought in line

Data changes: alerts stored as "art37b" (never a category: art. 37b is the hit procedure of 37a
alerts) become "art37a"; hit reports whose alert is already gone are stamped with their own
creation time as the alert's deletion (the latest moment known to precede it, so art. 64(2)'s
one year is never exceeded); the untouched default criteria catalogue (version 1, note "default
catalogue") gets the corrected C1/C2 mapping of ``rules.DEFAULT_CRITERIA``. Withdrawn alerts need
no migration: the ``alert.withdrawn`` retention rule deletes them at the next run (art. 55).

Revision ID: alerts_0003_legal
Revises: alerts_0002
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "alerts_0003_legal"
down_revision: str | Sequence[str] | None = "alerts_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The criteria of the default catalogue as shipped before the review (C1 cited 36(3)(a),
#: C2 36(3)(b) for any release); only a catalogue still holding exactly these is corrected.
_OLD_SOURCES = {
    "C1": "Regulation (EU) 2018/1862 (SIS police and judicial cooperation) art. 36(3)(a) and 37(5)",
    "C2": "Regulation (EU) 2018/1862 (SIS police and judicial cooperation) art. 36(3)(b) and 37(4)",
}


def upgrade() -> None:
    with op.batch_alter_table("alerts_alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("extensions", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("expiry_warned_at", UtcDateTime(), nullable=True))
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_deleted_at", UtcDateTime(), nullable=True))
    op.execute("UPDATE alerts_alert SET category = 'art37a' WHERE category = 'art37b'")
    op.execute("UPDATE alerts_proposal SET category = 'art37a' WHERE category = 'art37b'")
    op.execute(
        "UPDATE alerts_hit_report SET alert_deleted_at = created_at "
        "WHERE alert_deleted_at IS NULL "
        "AND alert_id NOT IN (SELECT id FROM alerts_alert)"
    )
    _correct_default_catalogue()


def _correct_default_catalogue() -> None:
    from passerelle.alerts.rules import DEFAULT_CRITERIA

    bind = op.get_bind()
    table = sa.table(
        "alerts_catalogue_version",
        sa.column("id", sa.Integer()),
        sa.column("version", sa.Integer()),
        sa.column("note", sa.String()),
        sa.column("criteria", sa.JSON()),
    )
    rows = bind.execute(
        sa.select(table.c.id, table.c.criteria).where(
            table.c.version == 1, table.c.note == "default catalogue"
        )
    ).all()
    for row_id, criteria in rows:
        sources = {c.get("code"): c.get("source") for c in criteria or []}
        if any(sources.get(code) != source for code, source in _OLD_SOURCES.items()):
            continue  # not the shipped default any more: a person's catalogue is left alone
        bind.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(
                criteria=[dict(c) for c in DEFAULT_CRITERIA],
                note="default catalogue (C1/C2 corrected: legal review 2026-12-03)",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts_hit_report", schema=None) as batch_op:
        batch_op.drop_column("alert_deleted_at")
    with op.batch_alter_table("alerts_alert", schema=None) as batch_op:
        batch_op.drop_column("expiry_warned_at")
        batch_op.drop_column("extensions")
