"""Migration dna_0002_legal applied to profiles stored before the legal review (issue #16)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from passerelle import domains
from passerelle.node import Node
from passerelle.storage.migrate import alembic_config, upgrade
from tests.dna.conftest import BASE


def test_stored_profiles_get_their_registration_and_the_ess_rule(node: Node) -> None:
    config = alembic_config(domains.migration_dirs())
    with node.db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "dna_0001")
    created = datetime(2020, 5, 1, tzinfo=UTC)
    updated = datetime(2026, 5, 1, tzinfo=UTC)  # a re-import had moved only updated_at
    loci = {k: v.split(",") for k, v in BASE.items()}
    ess5 = {k: v for k, v in loci.items() if k not in ("vWA", "FGA")}
    tri = {**loci, "TH01": ["6", "7", "9.3"]}
    rows = [("REF-ESS5", "reference_person", ess5, []), ("TRI", "crime_stain", tri, ["mixture"])]
    with node.db.engine.begin() as connection:
        for ref, sample_type, alleles, flags in rows:
            connection.execute(
                sa.text(
                    "INSERT INTO dna_profile (national_reference, sample_type, kit, laboratory, "
                    "single_source, loci, exchangeable, flags, created_by, created_at, updated_at)"
                    " VALUES (:ref, :st, '', '', :t, :loci, :ex, :flags, 'x', :c, :u)"
                ),
                {
                    "ref": ref,
                    "st": sample_type,
                    "t": True,
                    "loci": json.dumps(alleles),
                    "ex": not flags,
                    "flags": json.dumps(flags),
                    "c": created,
                    "u": updated,
                },
            )
    upgrade(node.db.engine, domains.migration_dirs())
    with node.db.engine.connect() as connection:
        found = {
            ref: (json.loads(flags) if isinstance(flags, str) else flags, bool(ex), str(reg))
            for ref, flags, ex, reg in connection.execute(
                sa.text(
                    "SELECT national_reference, flags, exchangeable, registered_at FROM dna_profile"
                )
            )
        }
    assert found["REF-ESS5"][:2] == (["too_few_ess_loci"], False)
    assert found["REF-ESS5"][2].startswith("2020-05-01")  # registration, not the re-import
    assert found["TRI"][:2] == ([], True)  # three alleles: wildcards, no longer a mixture
