"""A node killed during ingestion loses no accepted message and duplicates none: a real
``passerelle pnr ingest`` process is killed (SIGKILL) mid-run, then run again on the same
files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from passerelle.node import open_node
from passerelle.pnr.model import Booking, BookingVersion, PushMessage
from passerelle.pnr.synth import write_synthetic
from passerelle.settings import Settings
from tests.pnr.service.conftest import open_threat_period

FILES = 700  # 4 batches of 200: the kill lands after the first batch is reported


def _ingest(env: dict[str, str], files: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "passerelle", "pnr", "ingest", "--json", *files],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_killed_ingest_keeps_reported_files_and_a_rerun_duplicates_nothing(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "node"
    summary = write_synthetic(tmp_path / "push", rail=FILES, seed=3)
    files = sorted(str(p) for p in summary.rail_files)
    settings = Settings(data_dir=data_dir, node="FR", retention_interval_seconds=0)
    node = open_node(settings)
    open_threat_period(node)  # the synthetic trains are intra-EU
    node.close()
    env = {
        **os.environ,
        "PASSERELLE_DATA_DIR": str(data_dir),
        "PASSERELLE_NODE": "FR",
        "PASSERELLE_DATABASE_URL": "",
    }
    proc = _ingest(env, files)
    assert proc.stdout is not None
    reported = [json.loads(proc.stdout.readline())["file"] for _ in range(200)]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    node = open_node(settings)
    try:
        with node.session() as session:
            stored = set(session.scalars(select(PushMessage.filename)))
        assert set(reported) <= stored  # everything reported as accepted survived the kill
        assert len(stored) < FILES  # the kill did interrupt the run
        rerun = _ingest(env, files)
        out, _ = rerun.communicate(timeout=300)
        assert rerun.returncode == 0
        assert len(out.splitlines()) == FILES
        with node.session() as session:
            messages = session.scalar(select(func.count()).select_from(PushMessage))
            digests = session.scalar(select(func.count(func.distinct(PushMessage.digest))))
            versions = session.scalar(select(func.count()).select_from(BookingVersion))
            bookings = session.scalar(select(func.count()).select_from(Booking))
    finally:
        node.close()
    assert messages == digests == FILES
    assert versions == FILES  # one version per message: nothing processed twice
    assert bookings == messages == FILES
