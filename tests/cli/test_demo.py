"""``passerelle demo --check`` runs both nodes for real and ends with ``demo check ok``."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
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
    # Sharing decided by people: one approved alert share by the check and one by the scene,
    # each with its approved and received release notice.
    assert (
        len([x for x in lines if "approved sharing" in x and x.startswith("BE: supervisor")]) == 2
    )
    assert any(x.startswith("FR: supervisor") and "release notice to BE" in x for x in lines)
    assert any(x.startswith("BE: release notice received from FR") for x in lines)
    # The scenes left work for every role, through the real nodes (each scene checks its own).
    for expected in (
        "FR: booking DEMO77 pushed by a carrier: 1 hit(s) to review",
        "FR: re-personalisation of masked booking DEMO-OLD1 asked; the judge decides",
        "FR: DNA matches on BE of each quality class (1 exact, 2 wildcard, 3 microvariant, "
        "4 near) wait for review",
    ):
        assert expected in lines
    assert any(
        x.startswith("BE: follow-up request") and "waits for be.supervisor" in x for x in lines
    )
    assert len([x for x in lines if x.startswith("BE: hit report received from FR")]) == 2
    soon = (dt.date.today() + dt.timedelta(days=12)).isoformat()
    assert f"BE: release notice received from FR: {soon}" in lines
    # Each node kept its own data directory and SQLite file.
    assert (tmp_path / "demo-check" / "fr" / "passerelle.sqlite3").exists()
    assert (tmp_path / "demo-check" / "be" / "passerelle.sqlite3").exists()


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_demo_prints_progress_and_accounts_and_a_signal_stops_both_nodes(
    tmp_path: Path, stop: signal.Signals
) -> None:
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
    else:
        pytest.fail("the demo ended before both nodes ran:\n" + "\n".join(seen))
    servers = _children(proc.pid)
    if len(servers) != 2:
        proc.kill()
    assert len(servers) == 2 and all(_alive(p) for p in servers)
    proc.send_signal(stop)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, "\n".join(seen) + rest
    assert not [p for p in servers if _alive(p)], "a node server outlived the demo"
    banner = "\n".join(seen)
    # Progress from the first second on, not silence until the banner.
    assert seen[0].startswith("FR: preparing the node")
    assert "BE: server up" in seen
    assert "leaving work for every role (real pushes and federation messages)…" in seen
    assert "FR node  console http://127.0.0.1:8001/" in banner
    assert "BE node  console http://127.0.0.1:8002/" in banner
    assert "fr.analyst" in banner and "be.dpo" in banner
    assert rest.strip().endswith("demo stopped")


def test_demo_refuses_in_one_line_when_a_port_is_taken(tmp_path: Path) -> None:
    env = {**os.environ, "PASSERELLE_DATA_DIR": str(tmp_path)}
    env.pop("PASSERELLE_DATABASE_URL", None)
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            taken.bind(("127.0.0.1", 8002))
            taken.listen()
        except OSError:
            pass  # already taken by something else: the demo must refuse all the same
        result = subprocess.run(
            [sys.executable, "-m", "passerelle", "demo"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 9
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: port 8002 (the BE demo node) is already in use: stop what listens there "
        "(another passerelle demo?) and start again"
    ]
    assert not (tmp_path / "demo").exists()
