"""The message log's uniqueness: (peer, message id, direction), migrated from (message id,
direction) on existing databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from passerelle import domains
from passerelle.storage.migrate import alembic_config
from tests.conftest import START


def _insert(connection: sa.Connection, peer: str, message_id: str) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO federation_message (message_id, direction, peer, type, case_ref, "
            "created_at, body, status, attempts) VALUES (:m, 'in', :p, 'query', '', :t, '{}', "
            "'received', 1)"
        ),
        {"m": message_id, "p": peer, "t": START},
    )


def test_two_peers_may_use_one_message_id_but_one_peer_only_once(database_url: str) -> None:
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    config = alembic_config(domains.migration_dirs())
    message_id = "0b4c1c1e-7d0e-4f55-9a53-2f0a0f1b6c01"
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "federation_0001")
            _insert(connection, "BE", message_id)  # a row written before the migration
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            _insert(connection, "ES", message_id)  # the old rule: one id for all peers
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
        with engine.begin() as connection:
            _insert(connection, "ES", message_id)
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            _insert(connection, "ES", message_id)
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT peer FROM federation_message")).all()
        assert sorted(r[0] for r in rows) == ["BE", "ES"]
    finally:
        engine.dispose()
