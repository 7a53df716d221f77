"""Two processes writing to one SQLite node at once: nothing lost, nothing corrupted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from passerelle.node import open_node
from passerelle.privacy import audit
from passerelle.settings import Settings

WRITER = """
import sys
from pathlib import Path
from passerelle.node import open_node
from passerelle.privacy import accounts, audit
from passerelle.settings import Settings

node = open_node(Settings(data_dir=Path(sys.argv[1]), node="FR"))
with node.session() as s:
    accounts.ensure_agency(s, "FR", "France", "FR")
for i in range(int(sys.argv[3])):
    with node.session() as s:
        name = f"{sys.argv[2]}-{i}"
        accounts.create_token(s, name=name, role="carrier", agency="FR", now=node.clock.now())
        node.audit(s, audit.Actor(sys.argv[2], "FR"), action="admin", object_type="api_token",
                   object_id=f"{sys.argv[2]}-{i}", purpose="test", legal_basis="test")
"""


def test_two_writer_processes_lose_nothing(tmp_path: Path) -> None:
    per_writer = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, str(per_writer)])
        for name in ("alpha", "beta")
    ]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    node = open_node(Settings(data_dir=tmp_path, node="FR"))
    with node.session() as session:
        result = audit.verify(session)
        _, n_alpha = audit.search(session, audit.AuditQuery(actor="alpha"))
        _, n_beta = audit.search(session, audit.AuditQuery(actor="beta"))
    assert result.ok, result.describe()
    assert (n_alpha, n_beta) == (per_writer, per_writer)
    assert result.checked == 2 * per_writer
    node.close()
