"""Load test of one node on loopback: screening, console, federation inbox, carrier pushes.

Usage::

    .venv/bin/python benchmarks/load.py [--seconds 60] [--concurrency 1,2,4,16,64]
        [--databases sqlite,postgresql] [--scenarios screening,console,inbox,pnr,mixed]
        [--workers 1] [--src PATH] [--label after] [--json out.json]

A real node (``passerelle serve`` in its own process, ``--workers N`` uvicorn workers) is set
up with synthetic data, then each scenario runs for ``--seconds`` at each concurrency (that
many clients, each sending its next request as soon as the last one answered):

* ``screening`` — ``POST /api/v1/identity/screen`` with an analyst's bearer token (reads the
  watchlists, writes an audit entry);
* ``console`` — an analyst's session browsing ``/`` and ``/exchange/peers`` (reads);
* ``inbox`` — signed RFC 9421 federation queries from a registered peer to
  ``/federation/v1/messages`` (verify, idempotent inbox row, search, audit, signed reply);
* ``pnr`` — carrier pushes of small PNRGOV files to ``/api/v1/pnr/pnrgov`` (parse, store,
  screen, audit: writes);
* ``mixed`` — every client cycles through the four, so readers and writers run together.

Per row: throughput (answered requests per second), p50 and p99 latency, errors (any status
other than 2xx, timeouts of 15 s, connection errors), and the p99 of ``GET /health`` polled
every 50 ms by a separate process during the row (goal < 100 ms). ``server cores`` is the CPU
time the server and its workers used during the row divided by its length (2.0 = both cores of
this machine), ``server CPU ms/req`` the same CPU time per request, and ``load avg`` the
machine's one-minute load average at the end of the row: with more workers, throughput can only
grow while the server is short of cores, not while the clients and the database hold them. Every
row starts a fresh server process on the same node (so a server wedged by one row does not
decide the next); after the rows ``passerelle audit verify`` is run on the node. ``--src`` runs
the same load against another checkout's ``src`` (used for the before/after table in
docs/benchmarks/load.md); on PostgreSQL a throw-away server is started as the tests do
(``tests/pgserver.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import queue
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from passerelle.federation import keys, rules, signatures
from passerelle.pnr.synth import pnrgov_message

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.pgserver import PostgresServer  # noqa: E402

NODE, PEER = "BE", "FR"
DEMO_DNA_TERMS = (
    Path(__file__).resolve().parents[1] / "src/passerelle/dna/data/retention-terms.demo-BE.json"
)
PASSWORD = "load test password 1"
TIMEOUT = 15.0
SCENARIOS = ("screening", "console", "inbox", "pnr", "mixed")

SETUP = """
import inspect, json, sys
from passerelle import seed
from passerelle.federation import demo, keys, peers
from passerelle.node import open_node
from passerelle.privacy import accounts
from passerelle.settings import Settings

settings = Settings.from_env()
node = open_node(settings)
seed.init_node(node)
keys.generate(settings, force=True)
demo.seed(node)
new_api = "insecure_http" in inspect.signature(peers.add).parameters
extra = {"insecure_http": True} if new_api else {}
now = node.clock.now()
with node.session() as s:
    peers.add(s, sys.argv[1], "http://127.0.0.1:9", sys.argv[2], now=now, **extra)
    out = {
        "analyst": accounts.create_token(s, name="load-analyst", role="analyst",
                                         agency=settings.node, now=now),
        "carrier": accounts.create_token(s, name="load-carrier", role="carrier",
                                         agency=settings.node, now=now),
    }
    accounts.add_user(s, username="load.analyst", password=sys.argv[3], roles=["analyst"],
                      agency=settings.node, now=now)
node.close()
print(json.dumps(out))
"""


@dataclass
class Row:
    database: str
    workers: int
    scenario: str
    concurrency: int
    seconds: float
    ok: int = 0
    errors: int = 0
    throughput: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    health_p99_ms: float = 0.0
    health_errors: int = 0
    server_cores: float = 0.0
    server_cpu_ms: float = 0.0
    loadavg: float = 0.0
    error_kinds: dict[str, int] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Target:
    """The node under test: its environment, its server process and its credentials."""

    def __init__(self, src: Path, data_dir: Path, database_url: str, workers: int) -> None:
        self.src, self.workers = src, workers
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(src),
            "PASSERELLE_DATA_DIR": str(data_dir),
            "PASSERELLE_DATABASE_URL": database_url,
            "PASSERELLE_NODE": NODE,
            "PASSERELLE_RETENTION_INTERVAL_SECONDS": "0",
            "PASSERELLE_LOG_LEVEL": "warning",
            # a BE node starts only with BE DNA retention terms: the synthetic demo ones
            "PASSERELLE_DNA_RETENTION_TERMS": str(DEMO_DNA_TERMS),
        }
        self.peer_key = Ed25519PrivateKey.generate()
        self.node_public: Any = None
        self.server: subprocess.Popen[bytes] | None = None
        self.tokens: dict[str, str] = {}

    def setup(self) -> None:
        done = subprocess.run(
            [sys.executable, "-c", SETUP, PEER, keys.public_text(self.peer_key), PASSWORD],
            env=self.env,
            capture_output=True,
            check=True,
            timeout=300,
        )
        self.tokens = json.loads(done.stdout.decode().strip().splitlines()[-1])
        data_dir = Path(self.env["PASSERELLE_DATA_DIR"])
        from passerelle.settings import Settings

        self.node_public = keys.load(Settings(data_dir=data_dir)).public_key()

    def start(self) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "passerelle", "serve", "--port", str(self.port)]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        log = Path(self.env["PASSERELLE_DATA_DIR"]).parent / "server.log"
        with log.open("ab") as handle:  # server tracebacks stay out of the table
            self.server = subprocess.Popen(command, env=self.env, stdout=handle, stderr=handle)
        deadline = time.monotonic() + 600  # a shared machine can be very slow
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise TimeoutError("the node did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
            self.server = None

    def audit_verify(self) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "passerelle", "audit", "verify"],
            env=self.env,
            capture_output=True,
            timeout=600,
        )
        text = (done.stdout + done.stderr).decode().strip().replace("\n", " ")
        return f"exit {done.returncode}: {text}"


class Load:
    """The four kinds of request, each returning the HTTP status."""

    def __init__(self, target: Target, client: httpx.AsyncClient, browser: httpx.AsyncClient):
        self.t, self.client, self.browser = target, client, browser
        self.rng = random.Random(7)
        self.pnr_ref = random.Random().randrange(10**6, 10**7)
        self.n = 0

    async def login(self) -> None:
        page = await self.browser.get(self.t.base + "/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf, "the login page carries a CSRF token"
        reply = await self.browser.post(
            self.t.base + "/login",
            data={"username": "load.analyst", "password": PASSWORD, "csrf_token": csrf.group(1)},
        )
        assert reply.status_code in (200, 303), reply.text[:300]

    async def screening(self) -> int:
        self.n += 1
        body = {
            "id": f"load-{self.n}",
            "full_name": "Jan Peeters",
            "date_of_birth": "1985-03-14",
            "purpose": "load test",
            "legal_basis": "synthetic data",
        }
        headers = {"authorization": f"Bearer {self.t.tokens['analyst']}"}
        r = await self.client.post(
            self.t.base + "/api/v1/identity/screen", json=body, headers=headers
        )
        return r.status_code

    async def console(self) -> int:
        self.n += 1
        path = "/" if self.n % 2 else "/exchange/peers"
        r = await self.browser.get(self.t.base + path)
        return r.status_code

    async def inbox(self) -> int:
        self.n += 1
        now = dt.datetime.now(dt.UTC)
        body = json.dumps(
            {
                "id": str(uuid.uuid4()),
                "sender": PEER,
                "recipient": NODE,
                "created_at": now.isoformat(),
                "type": "query",
                "purpose": "load test",
                "legal_basis": "synthetic data",
                "case_ref": "LOAD-1",
                "payload": {
                    "kind": "demo.person",
                    "query": {
                        "family_name": "PEETERS" if self.n % 2 else "NOBODY",
                        "birth_date": "1985-03-14",
                    },
                },
                "handling": {"code": "H0"},
            }
        ).encode()
        headers = signatures.signed_headers(
            self.t.peer_key, keyid=PEER, body=body, now=now, method="POST", path=rules.INBOX_PATH
        )
        headers["content-type"] = "application/json"
        r = await self.client.post(self.t.base + rules.INBOX_PATH, content=body, headers=headers)
        return r.status_code

    async def pnr(self) -> int:
        self.pnr_ref += 1
        text, _ = pnrgov_message(self.rng, 2, self.pnr_ref)
        headers = {
            "authorization": f"Bearer {self.t.tokens['carrier']}",
            "content-type": "text/plain",
        }
        r = await self.client.post(
            self.t.base + f"/api/v1/pnr/pnrgov?filename=load-{self.pnr_ref}.edi",
            content=text.encode(),
            headers=headers,
        )
        return r.status_code


def _probe(base: str, ready: Any, stop: Any, out: Any) -> None:
    """Poll /health every 50 ms until ``stop`` is set; report latencies and errors."""
    latencies: list[float] = []
    errors = 0
    with httpx.Client(timeout=TIMEOUT) as client:
        ready.set()
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = client.get(base + "/health").status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok
            time.sleep(0.05)
    out.put((latencies, errors))


async def _run_row(load: Load, scenario: str, concurrency: int, seconds: float, row: Row) -> None:
    kinds = [load.screening, load.console, load.inbox, load.pnr]
    latencies: list[float] = []
    errors: dict[str, int] = {}

    async def client(w: int, stop: float) -> None:
        i = w
        while time.perf_counter() < stop:
            call = kinds[i % 4] if scenario == "mixed" else getattr(load, scenario)
            i += 1
            started = time.perf_counter()
            try:
                status = await call()
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            if 200 <= status < 300:
                latencies.append(time.perf_counter() - started)
            else:
                errors[str(status)] = errors.get(str(status), 0) + 1

    started = time.perf_counter()
    stop = started + seconds
    await asyncio.gather(*(client(w, stop) for w in range(concurrency)))
    elapsed = time.perf_counter() - started
    row.ok, row.errors, row.error_kinds = len(latencies), sum(errors.values()), errors
    row.throughput = len(latencies) / elapsed
    row.p50_ms, row.p99_ms = _pct(latencies, 0.5), _pct(latencies, 0.99)


def _server_cpu(target: Target) -> float:
    """CPU seconds used so far by the server and its workers (user + system)."""
    assert target.server is not None
    root = psutil.Process(target.server.pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


async def _row(target: Target, scenario: str, concurrency: int, row: Row) -> None:
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency)
    async with (
        httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as client,
        httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as browser,
    ):
        load = Load(target, client, browser)
        if scenario in ("console", "mixed"):
            await load.login()
        ctx = mp.get_context("fork")
        ready, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
        probe = ctx.Process(target=_probe, args=(target.base, ready, stop, out))
        probe.start()
        await asyncio.to_thread(ready.wait, 60)
        cpu0, t0 = _server_cpu(target), time.perf_counter()
        await _run_row(load, scenario, concurrency, row.seconds, row)
        cpu = _server_cpu(target) - cpu0
        row.server_cores = cpu / (time.perf_counter() - t0)
        row.server_cpu_ms = 1000 * cpu / max(row.ok + row.errors, 1)
        row.loadavg = os.getloadavg()[0]
        stop.set()
        try:
            health, row.health_errors = await asyncio.to_thread(out.get, True, 60)
        except queue.Empty:
            health, row.health_errors = [TIMEOUT], 1
        probe.join(timeout=30)
        if probe.is_alive():
            probe.kill()
        row.health_p99_ms = _pct(health, 0.99)


def _rows(
    target: Target,
    database: str,
    scenarios: list[str],
    levels: list[int],
    seconds: float,
    restart: str,
) -> list[Row]:
    """With ``restart="row"`` every row runs on a freshly started server, so that one row's
    aftermath (a wedged server on the old code) does not decide the next; ``"scenario"``
    starts one server per scenario."""
    rows = []
    for scenario in scenarios:
        if restart == "scenario":
            target.start()
        try:
            for concurrency in levels:
                row = Row(database, target.workers, scenario, concurrency, seconds)
                if restart == "row":
                    target.start()
                try:
                    asyncio.run(_row(target, scenario, concurrency, row))
                finally:
                    if restart == "row":
                        target.stop()
                print(_line(row), flush=True)
                rows.append(row)
        finally:
            target.stop()
    return rows


def _line(r: Row) -> str:
    kinds = ", ".join(f"{k}×{v}" for k, v in sorted(r.error_kinds.items())) or "-"
    return (
        f"| {r.database} | {r.workers} | {r.scenario} | {r.concurrency} | {r.throughput:.1f} "
        f"| {r.p50_ms:.0f} | {r.p99_ms:.0f} | {r.errors} ({kinds}) | {r.health_p99_ms:.0f} "
        f"| {r.health_errors} | {r.server_cores:.2f} | {r.server_cpu_ms:.1f} | {r.loadavg:.1f} |"
    )


HEADER = (
    "| database | workers | scenario | clients | req/s | p50 ms | p99 ms | errors "
    "| /health p99 ms | /health errors | server cores | server CPU ms/req | load avg |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    levels = [int(c) for c in args.concurrency.split(",")]
    scenarios = args.scenarios.split(",")
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios {sorted(unknown)}; choose from {SCENARIOS}")
    results: list[dict[str, Any]] = []
    print(HEADER, flush=True)
    for database in args.databases.split(","):
        for workers in [int(w) for w in args.workers.split(",")]:
            with tempfile.TemporaryDirectory(prefix="passerelle-load-") as tmp:
                pg = None
                url = ""
                if database == "postgresql":
                    pg = PostgresServer()
                    pg.start()
                    import psycopg

                    with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
                        conn.execute('CREATE DATABASE "load"')
                    url = pg.url("load").replace("postgresql://", "postgresql+psycopg://")
                target = Target(args.src, Path(tmp) / "node", url, workers)
                try:
                    target.setup()
                    rows = _rows(target, database, scenarios, levels, args.seconds, args.restart)
                    verdict = target.audit_verify()
                    print(f"audit verify ({database}, workers {workers}): {verdict}", flush=True)
                    results += [{**asdict(r), "audit_verify": verdict} for r in rows]
                finally:
                    target.stop()
                    if pg is not None:
                        pg.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", default="1,2,4,16,64")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--workers", default="1", help="uvicorn workers, e.g. 1,2")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="code to load")
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--restart",
        choices=("row", "scenario"),
        default="row",
        help="start a fresh server for every row (default) or once per scenario",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    started = time.time()
    results = run(args)
    meta = {
        "label": args.label,
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "seconds_per_row": args.seconds,
        "wall_seconds": round(time.time() - started),
        "health_p99_max_ms": max((r["health_p99_ms"] for r in results), default=0),
        "total_errors": sum(r["errors"] for r in results),
        "median_throughput": statistics.median([r["throughput"] for r in results] or [0]),
    }
    print(json.dumps(meta))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "rows": results}, indent=1))


if __name__ == "__main__":
    main()
