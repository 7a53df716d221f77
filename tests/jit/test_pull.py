"""The pull worker (``python -m passerelle.jit.pull``) imports only what the pull needs, so a
2 GB transfer stays far under 200 MB RSS; it opens the node's database without migrating."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from passerelle.node import Node

PROBE = (
    "import sys\n"
    "from passerelle.jit.pull import worker_node\n"
    "from passerelle.settings import get_settings\n"
    "node = worker_node(get_settings())\n"
    "with node.session() as session:\n"
    "    from passerelle.jit.service import transfer\n"
    "    print(len(transfer.pending(session, node)))\n"
    "heavy = ('duckdb', 'pyarrow', 'numpy', 'passerelle.web.app', 'passerelle.dna', 'typer')\n"
    "print(' '.join(m for m in heavy if m in sys.modules) or 'light')\n"
)


def test_the_pull_worker_leaves_the_heavy_modules_out(node: Node, tmp_path: Path) -> None:
    env = {**os.environ, "PASSERELLE_DATA_DIR": str(node.settings.data_dir)}
    env["PASSERELLE_DATABASE_URL"] = node.settings.effective_database_url
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["0", "light"]
