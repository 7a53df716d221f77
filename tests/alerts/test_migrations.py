"""Migration alerts_0003_legal applied to data stored before the legal review (issue #16)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from passerelle import domains
from passerelle.alerts import rules
from passerelle.alerts.service import register
from passerelle.node import Node
from passerelle.storage.migrate import alembic_config, upgrade
from tests.alerts.conftest import alert_in, principal


def _run(node: Node, target: str, down: bool = False) -> None:
    config = alembic_config(domains.migration_dirs())
    with node.db.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)


def test_stored_art37b_alerts_reports_and_the_default_catalogue_are_corrected(
    node: Node,
) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(category="art37a"))
    _run(node, "alerts_0002", down=True)
    created = datetime(2026, 1, 5, tzinfo=UTC)
    old = [
        {**c, "source": c["source"].replace("36(3)(c) and 37(5)", "36(3)(a) and 37(5)")}
        for c in rules.DEFAULT_CRITERIA
        if c["code"] != "C1a"
    ]
    old[1] = {**old[1], "facts": ["terrorist_offence"]}
    with node.db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE alerts_alert SET category = 'art37b' WHERE id = :id"), {"id": alert.id}
        )
        connection.execute(
            sa.text(
                "INSERT INTO alerts_hit_report (id, direction, alert_id, alert_reference, "
                "issuing_node, executing_node, source, content, created_at, created_by, "
                "answer_due_at, delivery, delivery_detail) VALUES ('r-gone', 'in', 'gone', "
                "'FR-A-1', 'FR', 'BE', 'api', '{}', :at, 'x', :at, 'received', '')"
            ),
            {"at": created},
        )
        connection.execute(
            sa.table(
                "alerts_catalogue_version",
                sa.column("publisher"),
                sa.column("version"),
                sa.column("effective_from"),
                sa.column("criteria", sa.JSON()),
                sa.column("note"),
                sa.column("status"),
                sa.column("created_at"),
            ).insert(),
            {
                "publisher": "FR",
                "version": 1,
                "effective_from": created.date(),
                "criteria": old,
                "note": "default catalogue",
                "status": "published",
                "created_at": created,
            },
        )
    upgrade(node.db.engine, domains.migration_dirs())
    with node.db.engine.connect() as connection:
        category = connection.execute(
            sa.text("SELECT category FROM alerts_alert WHERE id = :id"), {"id": alert.id}
        ).scalar()
        stamped = connection.execute(
            sa.text("SELECT alert_deleted_at FROM alerts_hit_report WHERE id = 'r-gone'")
        ).scalar()
        note, criteria = connection.execute(
            sa.select(sa.column("note"), sa.column("criteria", sa.JSON())).select_from(
                sa.table("alerts_catalogue_version")
            )
        ).one()
    assert category == "art37a"
    assert stamped is not None and str(stamped).startswith("2026-01-05")
    assert "corrected" in note
    sources = {c["code"]: c["source"] for c in criteria}
    assert sources["C1"].endswith("36(3)(c) and 37(5)")
    assert "C1a" in sources
