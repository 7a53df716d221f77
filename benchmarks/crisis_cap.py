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
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from passerelle.crisis import cap, compose, rules
from passerelle.crisis.model import Escalation
from passerelle.crisis.schemas import AreaIn, CapIn, CircleIn, InfoText
from passerelle.crisis.service import acks, feeds, issue
from passerelle.federation import keys, peers
from passerelle.node import open_node
from passerelle.privacy import Principal, accounts
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


def rate(count: int, seconds: float, cpu: float) -> str:
    """Wall-clock rate and CPU time per alert (less sensitive to a busy shared machine)."""
    return (
        f"{count / seconds:8.0f} alerts/s ({seconds * 1000 / count:.3f} ms each, "
        f"CPU {cpu * 1000 / count:.3f} ms each)"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_validate(base: Path, count: int) -> None:
    folder = base / "files"
    folder.mkdir()
    files = write_files(folder, count)
    size = sum(p.stat().st_size for p in files) / count
    print(f"\n1. Validate and store: {count} synthetic CAP alerts, {size:.0f} bytes on average")
    blobs = [p.read_bytes() for p in files]

    xmllint = shutil.which("xmllint")
    if xmllint:
        start, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(
            [xmllint, "--noout", "--nonet", "--schema", str(rules.CAP_XSD), *map(str, files)],
            capture_output=True,
            check=False,
        )
        seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
        ok = done.stderr.decode().count(" validates")
        print(f"   xmllint --schema (one process)      {rate(count, seconds, cpu)}  [{ok} ok]")
    else:
        print("   xmllint not found (apt-get install libxml2-utils): comparison skipped")

    start, cpu = time.perf_counter(), time.process_time()
    for raw in blobs:
        cap.validate(raw)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"   passerelle validate (XSD + CAP)      {rate(count, seconds, cpu)}")

    start, cpu = time.perf_counter(), time.process_time()
    for raw in blobs:
        cap.parse(raw)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"   passerelle validate + parse          {rate(count, seconds, cpu)}")

    node = open_node(Settings(data_dir=base / "node-1", node="FR"))
    start, cpu = time.perf_counter(), time.process_time()
    for raw in blobs:
        with node.session() as session:
            outcome = feeds.import_document(session, node, raw, source="bench", by="bench")
            assert outcome.result == "stored", outcome
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    node.close()
    print(f"   validate + store, 1 transaction each  {rate(count, seconds, cpu)}")

    node = open_node(Settings(data_dir=base / "node-100", node="FR"))
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, count, 100):
        with node.session() as session:
            batch = [(raw, f"bench#{n}") for n, raw in enumerate(blobs[i : i + 100], i)]
            outcomes = feeds.import_many(session, node, batch, origin="feed:bench", by="bench")
            assert all(o.result == "stored" for o in outcomes)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    node.close()
    print(f"   validate + store, batches of 100      {rate(count, seconds, cpu)}")


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


PEERS = ("BE", "NL", "LU")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _nodes(base: Path) -> dict[str, tuple[Settings, str]]:
    """Four nodes (FR and three peers) with keys, each other as peers and an analyst token."""
    settings = {}
    for code in ("FR", *PEERS):
        port = _free_port()
        settings[code] = Settings(
            data_dir=base / f"deliver-{code.lower()}",
            node=code,
            port=port,
            public_url=f"http://127.0.0.1:{port}",
            retention_interval_seconds=0,
        )
        keys.generate(settings[code])
    out = {}
    for code, s in settings.items():
        node = open_node(s)
        with node.session() as session:
            accounts.ensure_agency(session, code, f"{code} crisis centre", code)
            for other, o in settings.items():
                if other != code and (code == "FR" or other == "FR"):
                    public = keys.public_text(keys.load(o))
                    peers.add(session, other, o.public_url, public, now=node.clock.now())
            token = accounts.create_token(
                session, name="bench", role="analyst", agency=code, now=node.clock.now()
            )
        node.close()
        out[code] = (s, token)
    return out


def _serve(s: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PASSERELLE_DATA_DIR": str(s.data_dir),
        "PASSERELLE_NODE": s.node,
        "PASSERELLE_PUBLIC_URL": s.public_url,
        "PASSERELLE_PORT": str(s.port),
        "PASSERELLE_DATABASE_URL": "",
        "PASSERELLE_RETENTION_INTERVAL_SECONDS": "0",
        "PASSERELLE_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "passerelle", "serve", "--port", str(s.port)], env=env
    )


async def _deliveries(
    nodes: dict[str, tuple[Settings, str]], count: int
) -> tuple[list[float], list[float]]:
    clients = {
        code: httpx.AsyncClient(
            base_url=s.public_url, headers={"authorization": f"Bearer {token}"}, timeout=30
        )
        for code, (s, token) in nodes.items()
    }
    rng = random.Random(3)
    delivered, acknowledged = [], []
    try:
        for n in range(count + 5):
            body = synthetic(n, rng).model_dump(mode="json")
            created = (await clients["FR"].post("/api/v1/crisis/messages", json=body)).json()
            start = time.perf_counter()
            sent = await clients["FR"].post(
                f"/api/v1/crisis/messages/{created['id']}/send", json={"peers": list(PEERS)}
            )
            states = {r["peer"]: r["status"] for r in sent.json()}
            if any(v not in ("delivered", "acknowledged") for v in states.values()):
                # the server's delivery worker took a message first: wait for its outcome
                await _until(clients["FR"], created["id"], "status", ("delivered", "acknowledged"))
            t_delivered = time.perf_counter() - start

            async def ack(code: str, identifier: str = created["identifier"]) -> None:
                found = await clients[code].get("/api/v1/crisis/messages", params={"q": identifier})
                message_id = found.json()[0]["id"]
                await clients[code].post(f"/api/v1/crisis/messages/{message_id}/ack")

            await asyncio.gather(*(ack(code) for code in PEERS))
            await _until(clients["FR"], created["id"], "status", ("acknowledged",))
            t_acked = time.perf_counter() - start
            if n >= 5:  # the first ones warm the servers up
                delivered.append(t_delivered)
                acknowledged.append(t_acked)
    finally:
        for c in clients.values():
            await c.aclose()
    return delivered, acknowledged


async def _until(
    client: httpx.AsyncClient, message_id: str, key: str, wanted: tuple[str, ...]
) -> None:
    """Poll FR's view of the message (every 5 ms) until every recipient is in ``wanted``."""
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        detail = (await client.get(f"/api/v1/crisis/messages/{message_id}")).json()
        if all(r[key] in wanted for r in detail["recipients"]):
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"recipients never reached {wanted}: {detail['recipients']}")


def _outbox_errors(nodes: dict[str, tuple[Settings, str]]) -> list[str]:
    from passerelle.federation import Message

    errors = []
    for code, (s, _) in nodes.items():
        node = open_node(s)
        with node.session() as session:
            for m in session.query(Message).filter(Message.direction == "out"):
                if m.status != "delivered":
                    errors.append(f"{code}->{m.peer} {m.type} {m.status}: {m.last_error}")
        node.close()
    return errors


def _percentiles(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return (
        f"median {statistics.median(values) * 1000:6.0f} ms, p99 {p99 * 1000:6.0f} ms, "
        f"max {values[-1] * 1000:6.0f} ms"
    )


def bench_deliver(base: Path, count: int) -> None:
    print(f"\n2. Delivery: {count} alerts from FR to BE, NL and LU (4 passerelle serve processes)")
    nodes = _nodes(base)
    procs = [_serve(s) for s, _ in nodes.values()]
    try:
        for s, _ in nodes.values():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(s.public_url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
        delivered, acknowledged = asyncio.run(_deliveries(nodes, count))
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(
        f"   send -> 3 federation acks (stored)   {_percentiles(delivered)}  (goal p99 < 1000 ms)"
    )
    print(f"   send -> 3 CAP Acks recorded on FR    {_percentiles(acknowledged)}")


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
            bench_deliver(base, args.deliveries)
        if "escalate" not in skip:
            bench_escalate(base, args.escalations)


if __name__ == "__main__":
    main()
