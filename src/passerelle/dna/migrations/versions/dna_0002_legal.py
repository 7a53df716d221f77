"""dna: legal review of 2026-12 (issue #16) — retention facts and counting from registration;
stored profiles re-checked against the exchange rules

Data changes: ``registered_at`` is filled with the profile's ``created_at`` (its first import
here: earlier re-imports had moved only ``updated_at``, so no clock that a re-import restarted
survives); person status, minor, listed offence and final decision stay unknown (a reference
profile without a status is kept under the suspects' term, the shortest for persons).
Profiles flagged as mixtures only because a locus has three alleles lose that flag (the Prüm
form keeps the first allele and makes the other two wildcards, Decision 2008/616/JHA annex;
such a locus no longer counts as fully designated); reference profiles with fewer than 6 of the
7 original ESS loci fully designated get the flag ``too_few_ess_loci`` and are no longer
exchangeable.

Revision ID: dna_0002_legal
Revises: dna_0001
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from passerelle.storage import UtcDateTime

revision: str = "dna_0002_legal"
down_revision: str | Sequence[str] | None = "dna_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ESS7 = ("D3S1358", "vWA", "D8S1179", "D21S11", "D18S51", "TH01", "FGA")


def upgrade() -> None:
    with op.batch_alter_table("dna_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_status", sa.String(length=12), nullable=True))
        batch_op.add_column(
            sa.Column("minor", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("listed_offence", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("registered_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("final_decision_on", sa.Date(), nullable=True))
    op.execute("UPDATE dna_profile SET registered_at = created_at")
    with op.batch_alter_table("dna_profile", schema=None) as batch_op:
        batch_op.alter_column("registered_at", existing_type=UtcDateTime(), nullable=False)
        batch_op.create_index(batch_op.f("ix_dna_profile_registered_at"), ["registered_at"])
    _recheck_profiles()


def _recheck(sample_type: str, single: bool, loci: dict[str, list[str]]) -> tuple[Any, list[str]]:
    fixed = {k: ([v[0], "*", "*"] if len(v) == 3 else list(v)) for k, v in loci.items()}
    flags: list[str] = []
    if not single or any(len(v) > 3 for v in fixed.values()):
        flags.append("mixture")
    designated = {k for k, v in fixed.items() if k != "Amelogenin" and v and "*" not in v}
    if len(designated) < 6:
        flags.append("too_few_designated_loci")
    if sample_type == "reference_person" and len(designated & set(_ESS7)) < 6:
        flags.append("too_few_ess_loci")
    return fixed, flags


def _recheck_profiles() -> None:
    bind = op.get_bind()
    table = sa.table(
        "dna_profile",
        sa.column("id", sa.Integer()),
        sa.column("sample_type", sa.String()),
        sa.column("single_source", sa.Boolean()),
        sa.column("loci", sa.JSON()),
        sa.column("flags", sa.JSON()),
        sa.column("exchangeable", sa.Boolean()),
    )
    rows = bind.execute(
        sa.select(
            table.c.id, table.c.sample_type, table.c.single_source, table.c.loci, table.c.flags
        )
    ).all()
    for row_id, sample_type, single, loci, flags in rows:
        fixed, new_flags = _recheck(sample_type, bool(single), dict(loci or {}))
        if fixed != loci or new_flags != list(flags or []):
            bind.execute(
                table.update()
                .where(table.c.id == row_id)
                .values(loci=fixed, flags=new_flags, exchangeable=not new_flags)
            )


def downgrade() -> None:
    with op.batch_alter_table("dna_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dna_profile_registered_at"))
        batch_op.drop_column("final_decision_on")
        batch_op.drop_column("registered_at")
        batch_op.drop_column("listed_offence")
        batch_op.drop_column("minor")
        batch_op.drop_column("person_status")
