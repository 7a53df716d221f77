"""``passerelle demo --check`` runs both nodes for real and ends with ``demo check ok``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_demo_check_runs_both_nodes_and_verifies_audit_chains(tmp_path: Path) -> None:
    env = {**os.environ, "PASSERELLE_DATA_DIR": str(tmp_path)}
    env.pop("PASSERELLE_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "passerelle", "demo", "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "demo check ok"
    for code in ("FR", "BE"):
        assert f"{code}: console login as {code.lower()}.dpo ok" in lines
        assert any(line.startswith(f"{code}: audit chain ok") for line in lines)
    # Sharing decided by people: one approved alert share, one approved and received notice.
    assert (
        len([x for x in lines if "approved sharing" in x and x.startswith("BE: supervisor")]) == 1
    )
    assert any(x.startswith("FR: supervisor") and "release notice to BE" in x for x in lines)
    assert any(x.startswith("BE: release notice received from FR") for x in lines)
    # Each node kept its own data directory and SQLite file.
    assert (tmp_path / "demo-check" / "fr" / "passerelle.sqlite3").exists()
    assert (tmp_path / "demo-check" / "be" / "passerelle.sqlite3").exists()


def test_demo_prints_accounts_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    env = {**os.environ, "PASSERELLE_DATA_DIR": str(tmp_path)}
    env.pop("PASSERELLE_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "passerelle", "demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line.rstrip())
        if "Press Ctrl-C" in line:
            break
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, "\n".join(seen) + rest
    banner = "\n".join(seen)
    assert "FR node  console http://127.0.0.1:8001/" in banner
    assert "BE node  console http://127.0.0.1:8002/" in banner
    assert "fr.analyst" in banner and "be.dpo" in banner
    assert rest.strip().endswith("demo stopped")
