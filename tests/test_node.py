"""Red-team finding 8: the node's files were world-readable (0644 in a 0755 directory).

The data directory is 0700 and every file holding personal data, password hashes or keys is
0600, whatever the umask, including on a node created before the fix.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from passerelle import seed
from passerelle.federation import keys
from passerelle.node import open_node
from passerelle.settings import Settings


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_private_whatever_the_umask(tmp_path: Path, permissive_umask: None) -> None:
    settings = Settings(data_dir=tmp_path / "node", node="FR", retention_interval_seconds=0)
    keys.generate(settings)
    node = open_node(settings)
    seed.seed_demo(node)
    node.cipher  # noqa: B018 - creates the field-encryption key on first use
    with node.session() as session:  # the WAL and shared-memory files exist while connected
        session.connection()
        data = settings.data_dir
        modes = {
            path.name: _mode(path)
            for path in [
                data / "passerelle.sqlite3",
                data / "passerelle.sqlite3-wal",
                data / "passerelle.sqlite3-shm",
                settings.keys_dir / "fields.key",
                keys.key_path(settings),
                seed.demo_accounts_path(node),
            ]
        }
    node.close()
    assert modes == dict.fromkeys(modes, 0o600)
    assert _mode(settings.data_dir) == 0o700
    assert _mode(settings.keys_dir) == 0o700
    assert _mode(settings.quarantine_dir) == 0o700


def test_an_existing_world_readable_node_is_closed_on_open(
    tmp_path: Path, permissive_umask: None
) -> None:
    data = tmp_path / "node"
    data.mkdir(mode=0o755)
    database = data / "passerelle.sqlite3"
    sqlite3.connect(database).close()
    database.chmod(0o644)
    node = open_node(Settings(data_dir=data, node="FR", retention_interval_seconds=0))
    node.close()
    assert (_mode(data), _mode(database)) == (0o700, 0o600)
