"""CAP 1.2 alerts: validation and storage rate next to ``xmllint --schema``, delivery to three
peers with acknowledgement over loopback, and escalation lateness.

Usage::

    .venv/bin/python benchmarks/crisis_cap.py [--alerts 2000] [--deliveries 60] [--escalations 40]
        [--skip validate,deliver,escalate]

1. **Validate and store** (goal: 1,000 alerts/s on one node). ``--alerts`` synthetic CAP 1.2
   alerts (1-3 info blocks in FR/NL/EN, polygons and circles) are written to files. On the same
   files: ``xmllint --noout --nonet --schema CAP-v1.2.xsd`` (libxml2-utils, one process for all
   files); our validation alone (lxml, the same libxml2 schema engine, plus the CAP checks the XSD
   leaves out); and validation + storage on a node (SQLite file), in one transaction per alert
   and in transactions of 100.
2. **Delivery to 3 peers with acknowledgement** (goal: p99 < 1 s on loopback). Four real
   ``passerelle serve`` processes (FR, BE, NL, LU) on 127.0.0.1. For each of ``--deliveries``
   alerts, FR composes it and sends it to the three peers through the federation; the time until
   the three signed federation acknowledgements ("stored") are back, and until the three CAP
   Acks (issued on each peer through its API as soon as the alert is there) are recorded on FR.
3. **Escalation** (goal: fires within 1 s of its deadline). A node with the real clock runs the
   escalation job as ``passerelle serve`` does; ``--escalations`` recipients get deadlines spread
   over the next few seconds; lateness = fired_at - deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from passerelle.crisis import cap, compose, rules
from passerelle.crisis.model import Escalation
from passerelle.crisis.schemas import AreaIn, CapIn, CircleIn, InfoText
from passerelle.crisis.service import acks, feeds, issue
from passerelle.node import open_node
from passerelle.privacy.accounts import Principal
from passerelle.settings import Settings

WORDS = {
    "fr": [
        "Incendie",
        "industriel",
        "fumées",
        "confinement",
        "population",
        "évacuation",
        "quartier",
    ],
    "nl": ["Industriële", "brand", "rook", "schuilen", "bevolking", "evacuatie", "wijk"],
    "en": ["Industrial", "fire", "smoke", "shelter", "population", "evacuation", "district"],
}


def principal() -> Principal:
    return Principal(kind="cli", id=0, name="bench", agency="FR", roles=frozenset({"analyst"}))


def synthetic(n: int, rng: random.Random) -> CapIn:
    lat, lon = 50.5 + rng.random(), 2.5 + 2 * rng.random()
    languages = rng.sample(["fr", "nl", "en"], rng.randint(1, 3))
    d = 0.02 + 0.05 * rng.random()
    return CapIn(
        event=f"Synthetic incident {n}",
        category=[rng.choice(rules.CATEGORIES)],  # type: ignore[list-item]
        urgency=rng.choice(rules.URGENCIES),  # type: ignore[arg-type]
        severity=rng.choice(rules.SEVERITIES),  # type: ignore[arg-type]
        certainty=rng.choice(rules.CERTAINTIES),  # type: ignore[arg-type]
        infos=[
            InfoText(
                language=code,  # type: ignore[arg-type]
                headline=" ".join(rng.sample(WORDS[code], 4)),
                description=" ".join(rng.choices(WORDS[code], k=30)),
            )
            for code in languages
        ],
        areas=[
            AreaIn(
                desc=f"Area {n}",
                polygons=[[(lat, lon), (lat + d, lon), (lat + d, lon + d), (lat, lon + d)]],
                circles=[CircleIn(lat=lat, lon=lon, radius_km=1 + 10 * rng.random())],
            )
        ],
    )


def write_files(folder: Path, count: int) -> list[Path]:
    rng = random.Random(22)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    files = []
    for n in range(count):
        raw = compose.alert(
            synthetic(n, rng),
            identifier=f"BENCH.{n}",
            sender="bench@crisis.test",
            sent=now + timedelta(seconds=n),
            references=[],
        )
        path = folder / f"alert-{n:05d}.xml"
        path.write_bytes(raw)
        files.append(path)
    return files


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:8.0f} alerts/s ({seconds * 1000 / count:.3f} ms each)"


def bench_validate(base: Path, count: int) -> None:
    folder = base / "files"
    folder.mkdir()
    files = write_files(folder, count)
    size = sum(p.stat().st_size for p in files) / count
    print(f"\n1. Validate and store: {count} synthetic CAP alerts, {size:.0f} bytes on average")
    blobs = [p.read_bytes() for p in files]

    xmllint = shutil.which("xmllint")
    if xmllint:
        start = time.perf_counter()
        done = subprocess.run(
            [xmllint, "--noout", "--nonet", "--schema", str(rules.CAP_XSD), *map(str, files)],
            capture_output=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        ok = done.stderr.decode().count(" validates")
        print(f"   xmllint --schema (one process)      {rate(count, seconds)}  [{ok} validate]")
    else:
        print("   xmllint not found (apt-get install libxml2-utils): comparison skipped")

    start = time.perf_counter()
    for raw in blobs:
        cap.validate(raw)
    seconds = time.perf_counter() - start
    print(f"   passerelle validate (XSD + CAP)      {rate(count, seconds)}")

    start = time.perf_counter()
    for raw in blobs:
        cap.parse(raw)
    seconds = time.perf_counter() - start
    print(f"   passerelle validate + parse          {rate(count, seconds)}")

    node = open_node(Settings(data_dir=base / "node-1", node="FR"))
    start = time.perf_counter()
    for raw in blobs:
        with node.session() as session:
            outcome = feeds.import_document(session, node, raw, source="bench", by="bench")
            assert outcome.result == "stored", outcome
    seconds = time.perf_counter() - start
    node.close()
    print(f"   validate + store, 1 transaction each  {rate(count, seconds)}")

    node = open_node(Settings(data_dir=base / "node-100", node="FR"))
    start = time.perf_counter()
    for i in range(0, count, 100):
        with node.session() as session:
            batch = [(raw, f"bench#{n}") for n, raw in enumerate(blobs[i : i + 100], i)]
            outcomes = feeds.import_many(session, node, batch, origin="feed:bench", by="bench")
            assert all(o.result == "stored" for o in outcomes)
    seconds = time.perf_counter() - start
    node.close()
    print(f"   validate + store, batches of 100      {rate(count, seconds)}")


async def _escalations(base: Path, count: int) -> list[float]:
    node = open_node(Settings(data_dir=base / "escalate", node="FR"))
    rng = random.Random(7)
    with node.session() as session:
        row = issue.create(session, node, principal(), synthetic(0, rng))
        now = node.clock.now()
        for n in range(count):
            acks.add_recipient(
                session,
                node,
                row,
                f"P{n:03d}",
                envelope_id=f"e{n}",
                within=timedelta(seconds=1.0 + 4.0 * n / count),
            )
        del now
    task = asyncio.create_task(acks.scheduler(node, node.settings.crisis_escalation_poll_seconds))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        with node.session() as session:
            if session.query(Escalation).count() >= count:
                break
    task.cancel()
    with node.session() as session:
        late = [(e.fired_at - e.due_at).total_seconds() for e in session.query(Escalation)]
    node.close()
    return late


def bench_escalate(base: Path, count: int) -> None:
    print(f"\n3. Escalation: {count} recipients, deadlines spread over 1-5 s, real clock")
    late = sorted(asyncio.run(_escalations(base, count)))
    if len(late) < count:
        print(f"   only {len(late)} of {count} escalations fired within 15 s")
    if late:
        print(
            f"   lateness after the deadline: median {statistics.median(late) * 1000:.0f} ms, "
            f"max {late[-1] * 1000:.0f} ms (goal < 1000 ms; poll interval "
            f"{Settings().crisis_escalation_poll_seconds:g} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--deliveries", type=int, default=60)
    parser.add_argument("--escalations", type=int, default=40)
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(
        f"crisis_cap benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory(prefix="crisis-bench-") as tmp:
        base = Path(tmp)
        if "validate" not in skip:
            bench_validate(base, args.alerts)
        if "deliver" not in skip:
            from benchmarks.crisis_delivery import bench_deliver

            bench_deliver(base, args.deliveries)
        if "escalate" not in skip:
            bench_escalate(base, args.escalations)


if __name__ == "__main__":
    main()
