"""A carrier push of garbage segments: what it costs the node (red-team finding 5).

Usage::

    .venv/bin/python benchmarks/pnr_garbage_push.py [--segments 300000 150000 60000]

For each size, a PNRGOV interchange whose body is ``XX'`` repeated (unreadable segments) is
parsed (time, tracemalloc peak, quarantine items kept and counted, size of the ``--json``
line) and then stored through the service on a fresh SQLite node (database growth, quarantine
rows). The red-team figures before the bounds (0.9 MB, 300,000 segments) were 300,002
quarantine rows, +128 MB of database, 912 MB of server memory and a 25 MB answer.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import func, select

from passerelle.node import open_node
from passerelle.pnr.ingest import parse_file
from passerelle.pnr.model import QuarantineItem
from passerelle.pnr.service.store import ingest_bytes
from passerelle.privacy import audit
from passerelle.settings import Settings


def push(segments: int) -> bytes:
    body = "XX'" * segments
    return f"UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'{body}UNT+3+1'UNZ+1+1'".encode()


def _size(folder: Path) -> int:
    """Bytes of the node's database files (the SQLite file and its write-ahead log)."""
    return sum(f.stat().st_size for f in folder.glob("passerelle.sqlite3*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--segments", type=int, nargs="+", default=[300_000, 150_000, 60_000])
    args = parser.parse_args()
    print(f"{platform.machine()}, Python {platform.python_version()}")
    print("segments   bytes    parse ms  peak MB  kept  counted  json B  db +MB  rows  refused")
    for n in args.segments:
        data = push(n)
        start = time.perf_counter()
        parse_file(data, "junk.edi")
        elapsed = (time.perf_counter() - start) * 1000
        tracemalloc.start()
        result = parse_file(data, "junk.edi")
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        line = len(json.dumps(result.summary()))
        with tempfile.TemporaryDirectory() as tmp:
            node = open_node(Settings(data_dir=Path(tmp), retention_interval_seconds=0))
            try:
                before = _size(Path(tmp))
                ingest_bytes(node, data, "junk.edi", audit.Actor("bench", "FR"))
                grown = (_size(Path(tmp)) - before) / 1e6
                with node.session() as session:
                    rows = session.scalar(select(func.count()).select_from(QuarantineItem))
            finally:
                node.close()
        print(
            f"{n:>8} {len(data):>8} {elapsed:>10.0f} {peak:>8.0f} {len(result.quarantined):>5} "
            f"{result.quarantined_total:>8} {line:>7} {grown:>6.1f} {rows:>5}  "
            f"{'yes' if result.refused else 'no'}"
        )


if __name__ == "__main__":
    main()
