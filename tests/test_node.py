"""Red-team finding 8: the node's files were world-readable (0644 in a 0755 directory).

The data directory is 0700 and every file holding personal data, password hashes or keys is
0600, whatever the umask, including on a node created before the fix.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
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


_REGISTRATIONS = """
import importlib, json, sys
from pathlib import Path

from passerelle.node import open_node
from passerelle.settings import Settings

def registered():
    from passerelle.federation import dispatch, kinds, messages

    return {
        "handlers": sorted(dispatch._HANDLERS),
        "message_types": sorted(t.name for t in messages.message_types()),
        "kinds": sorted(kinds.registered_kinds()),
    }

node = open_node(Settings(data_dir=Path(sys.argv[1]), node="FR", retention_interval_seconds=0))
opened = registered()
node.close()
src = Path(sys.argv[2])
marks = ("register_message_type(", "handler(", "register_kind(")
for path in sorted(src.rglob("*.py")):
    if any(mark in path.read_text(encoding="utf-8") for mark in marks):
        module = ".".join(path.relative_to(src.parent).with_suffix("").parts)
        importlib.import_module(module.removesuffix(".__init__"))
print(json.dumps({"opened": opened, "everything": registered()}))
"""


def test_an_opened_node_accepts_every_message_type_of_its_packages(tmp_path: Path) -> None:
    # Package façades are lazy (fast ``--help``): the message types and handlers must come from
    # opening the node (its plugins), not from someone importing a package by chance. A fresh
    # interpreter opens a node, then imports every module that registers anything: nothing new.
    src = Path(__file__).resolve().parents[1] / "src" / "passerelle"
    done = subprocess.run(
        [sys.executable, "-c", _REGISTRATIONS, str(tmp_path / "node"), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["opened"] == found["everything"]
    prefixes = {name.partition(".")[0] for name in found["opened"]["message_types"]}
    assert {"alerts", "crisis", "precursors", "pnr"} <= prefixes
    assert found["opened"]["handlers"]
