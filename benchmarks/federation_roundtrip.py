"""Signed query round trip over loopback, side by side with the same exchange unsigned.

Usage::

    .venv/bin/python benchmarks/federation_roundtrip.py [--requests 400] [--concurrency 8]
        [--seconds 10]

A real Belgian node (``uvicorn``, one process, SQLite) answers hit/no-hit queries from a French
client over 127.0.0.1. Two routes do exactly the same work — decode the envelope, record it in
the idempotent inbox, run the search, audit it, store and return the reply — but one is the real
inbox (RFC 9421 Ed25519 signature and RFC 9530 digest checked on the request, reply signed) and
the other skips signing and verification. The client signs its requests and verifies the replies
in signed mode only. Every request is a new message, so both modes write to the database. The
two modes alternate request by request (latency) and in short rounds (throughput), so that a
busy shared machine weighs on both alike.

Printed: per mode the median and p99 latency of sequential round trips, the queries per second
with ``--concurrency`` clients and the CPU time per query (server process + client, from
psutil: less sensitive than wall time to other work on a shared machine); the signed/unsigned
ratios; and the in-process cost of the four signature operations of one exchange as a share of
the signed round trip (goal < 20 %).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psutil
from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from passerelle import domains
from passerelle.federation import demo, inbox, keys, peers, rules, signatures
from passerelle.federation import envelope as env
from passerelle.node import open_node
from passerelle.privacy import accounts
from passerelle.settings import Settings

UNSIGNED_PATH = "/bench/unsigned"


def serve(data_dir: Path, port: int) -> None:
    """The BE node with one extra route: the inbox's processing without signatures."""
    import uvicorn

    from passerelle.web.app import create_app

    node = open_node(
        Settings(data_dir=data_dir, node="BE", public_url=f"http://127.0.0.1:{port}").with_(
            **domains.demo_settings("BE")
        )
    )
    app = create_app(node)
    app.state.federation_worker = False

    @app.post(UNSIGNED_PATH)
    async def unsigned(request: Request) -> Response:
        body = await request.body()
        message = env.decode(body)
        _, reply = await run_in_threadpool(inbox.process, node, message, body.decode())
        return Response(reply or "", media_type="application/json")

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def prepare(base: Path) -> tuple[Path, Path]:
    fr = Settings(data_dir=base / "fr", node="FR")
    be = Settings(data_dir=base / "be", node="BE").with_(**domains.demo_settings("BE"))
    fr_public = keys.public_text(keys.generate(fr))
    keys.generate(be)
    node = open_node(be)
    demo.seed(node)
    with node.session() as session:
        accounts.ensure_agency(session, "BE", "Belgique", "BE")
        peers.add(
            session, "FR", "http://127.0.0.1:1", fr_public, now=node.clock.now(), insecure_http=True
        )
    node.close()
    return fr.data_dir, be.data_dir


def body(hit: bool) -> bytes:
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "sender": "FR",
            "recipient": "BE",
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "type": "query",
            "purpose": "benchmark",
            "legal_basis": "synthetic",
            "case_ref": "BENCH-1",
            "payload": {
                "kind": demo.DEMO_KIND,
                "query": {
                    "family_name": "PEETERS" if hit else "NOBODY",
                    "birth_date": "1985-03-14",
                },
            },
            "handling": {"code": "H0"},
        }
    ).encode()


class Client:
    def __init__(self, url: str, fr_dir: Path, be_dir: Path, signed: bool) -> None:
        self.url, self.signed = url, signed
        self.key = keys.load(Settings(data_dir=fr_dir))
        self.be_public = keys.load(Settings(data_dir=be_dir)).public_key()

    async def once(self, client: httpx.AsyncClient, n: int) -> None:
        data = body(hit=n % 2 == 0)
        if not self.signed:
            r = await client.post(self.url + UNSIGNED_PATH, content=data)
            assert r.status_code == 200, r.text
            return
        now = dt.datetime.now(dt.UTC)
        headers = signatures.signed_headers(
            self.key, keyid="FR", body=data, now=now, method="POST", path=rules.INBOX_PATH
        )
        r = await client.post(self.url + rules.INBOX_PATH, content=data, headers=headers)
        assert r.status_code == 200, r.text
        signatures.verify(
            signatures.Message(
                headers={k: r.headers.get_list(k)[-1] for k in r.headers}, status=200
            ),
            body=r.content,
            components=rules.RESPONSE_COMPONENTS,
            key_for=lambda kid: self.be_public,
            now=now,
        )


def _cpu(server: psutil.Process) -> float:
    """CPU seconds used so far by the server process and by this (client) process."""
    times = server.cpu_times()
    return times.user + times.system + time.process_time()


async def measure(
    clients: dict[str, Client],
    requests: int,
    concurrency: int,
    seconds: float,
    server: psutil.Process,
    rounds: int = 6,
) -> dict[str, dict[str, float]]:
    """Both modes under the same conditions: sequential round trips alternate request by
    request, throughput alternates in short rounds (the machine's load changes over time)."""
    latencies: dict[str, list[float]] = {mode: [] for mode in clients}
    done = dict.fromkeys(clients, 0)
    busy = dict.fromkeys(clients, 0.0)
    cpu = dict.fromkeys(clients, 0.0)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as http:
        for i in range(30):
            for c in clients.values():
                await c.once(http, i)
        for i in range(requests):
            for mode, c in clients.items():
                t = time.perf_counter()
                await c.once(http, i)
                latencies[mode].append(time.perf_counter() - t)
        for _ in range(rounds):
            for mode, c in clients.items():
                stop = time.perf_counter() + seconds / rounds

                async def worker(
                    w: int, c: Client = c, mode: str = mode, stop: float = stop
                ) -> None:
                    i = w
                    while time.perf_counter() < stop:
                        await c.once(http, i)
                        done[mode] += 1
                        i += concurrency

                start, cpu_start = time.perf_counter(), _cpu(server)
                await asyncio.gather(*(worker(w) for w in range(concurrency)))
                busy[mode] += time.perf_counter() - start
                cpu[mode] += _cpu(server) - cpu_start
    results = {}
    for mode, values in latencies.items():
        values.sort()
        results[mode] = {
            "median_ms": statistics.median(values) * 1000,
            "p99_ms": values[int(0.99 * (len(values) - 1))] * 1000,
            "qps": done[mode] / busy[mode],
            "cpu_ms": cpu[mode] / done[mode] * 1000,
        }
    return results


def crypto_cost(fr_dir: Path, be_dir: Path, rounds: int = 2000) -> float:
    """Seconds for the four signature operations of one exchange (sign+verify, both ways)."""
    fr_key, be_key = keys.load(Settings(data_dir=fr_dir)), keys.load(Settings(data_dir=be_dir))
    data, reply = body(True), body(False)
    now = dt.datetime.now(dt.UTC)
    start = time.perf_counter()
    for _ in range(rounds):
        h = signatures.signed_headers(
            fr_key, keyid="FR", body=data, now=now, method="POST", path=rules.INBOX_PATH
        )
        signatures.verify(
            signatures.Message(headers=h, method="POST", path=rules.INBOX_PATH),
            body=data,
            components=rules.REQUEST_COMPONENTS,
            key_for=lambda kid: fr_key.public_key(),
            now=now,
        )
        h = signatures.signed_headers(be_key, keyid="BE", body=reply, now=now, status=200)
        signatures.verify(
            signatures.Message(headers=h, status=200),
            body=reply,
            components=rules.RESPONSE_COMPONENTS,
            key_for=lambda kid: be_key.public_key(),
            now=now,
        )
    return (time.perf_counter() - start) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--serve", nargs=2, metavar=("DATA_DIR", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        fr_dir, be_dir = prepare(Path(tmp))
        port = 18700 + os.getpid() % 1000
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(be_dir), str(port)],
            env={**os.environ, "PASSERELLE_LOG_LEVEL": "warning"},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            clients = {
                mode: Client(url, fr_dir, be_dir, signed=mode == "signed")
                for mode in ("unsigned", "signed")
            }
            best = asyncio.run(
                measure(
                    clients,
                    args.requests,
                    args.concurrency,
                    args.seconds,
                    psutil.Process(server.pid),
                )
            )
        finally:
            server.terminate()
            server.wait()
        cost = crypto_cost(fr_dir, be_dir)
    load = os.getloadavg()
    print(
        f"federation round trip — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {load[0]:.1f}/{load[1]:.1f}"
    )
    qps_head = "qps x" + str(args.concurrency)
    print(f"{'mode':<10} {'median ms':>10} {'p99 ms':>10} {qps_head:>10} {'CPU ms/req':>11}")
    for mode, r in best.items():
        print(
            f"{mode:<10} {r['median_ms']:>10.2f} {r['p99_ms']:>10.2f} {r['qps']:>10.1f} "
            f"{r['cpu_ms']:>11.2f}"
        )
    s, u = best["signed"], best["unsigned"]
    print(
        f"signed / unsigned: median ×{s['median_ms'] / u['median_ms']:.2f}, "
        f"p99 ×{s['p99_ms'] / u['p99_ms']:.2f}, qps ×{s['qps'] / u['qps']:.2f}, "
        f"CPU per query ×{s['cpu_ms'] / u['cpu_ms']:.2f} (client + server processes)"
    )
    share = cost * 1000 / s["median_ms"]
    print(
        f"signature work per exchange (sign+verify request and reply, in process): "
        f"{cost * 1000:.3f} ms = {share:.1%} of the signed median round trip (goal < 20 %)"
    )
    overhead = (s["median_ms"] - u["median_ms"]) / s["median_ms"]
    cpu_share = (s["cpu_ms"] - u["cpu_ms"]) / s["cpu_ms"]
    print(
        f"measured overhead of signing: {overhead:.1%} of the signed median round trip, "
        f"{cpu_share:.1%} of the CPU time per signed query"
    )


if __name__ == "__main__":
    main()
