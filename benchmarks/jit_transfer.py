"""JIT evidence transfer between two nodes on loopback, side by side with curl.

Two real nodes (FR, BE: `passerelle serve` processes, SQLite) share a JIT. A file of
--size-mb (default 200 MB on the shared machine; --full for the issue's 2 GB) is uploaded to
FR with the tus client (`passerelle jit evidence push`), which is killed (SIGKILL) part-way and
run again to resume; BE then pulls it with the pull worker (`python -m passerelle.jit.pull`,
which imports only what the pull needs: no web application, no other domain), killed
part-way and resumed, and verifies its SHA-256. The peak RSS of every process (curl's too)
is sampled with psutil every 50 ms. The ceiling is
curl uploading (PUT) and downloading (GET) the same file to/from a plain static-file server on
loopback (Python's standard library, streaming to disk).

    .venv/bin/python benchmarks/jit_transfer.py [--size-mb 200 | --full]
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import psutil
from sqlalchemy import select

from passerelle.federation import demo as federation_demo
from passerelle.jit.model import Evidence
from passerelle.jit.schemas import TeamIn
from passerelle.jit.service import teams
from passerelle.kit.demo import DemoNode
from passerelle.node import open_node
from passerelle.privacy import Principal, accounts

MB = 1024 * 1024


def make_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(MB)
    with path.open("wb") as handle:
        left = size
        while left:
            part = block[: min(MB, left)]
            handle.write(part)
            digest.update(part)
            left -= len(part)
            block = hashlib.sha256(block[:64]).digest() + block[32:]  # no two blocks alike
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(MB):
            digest.update(block)
    return digest.hexdigest()


class Peak:
    """Samples the RSS of processes every 50 ms; keeps each one's peak (MB)."""

    def __init__(self) -> None:
        self.pids: dict[str, int] = {}
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def watch(self, name: str, pid: int) -> None:
        self.pids[name] = pid

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in list(self.pids.items()):
                try:
                    rss = psutil.Process(pid).memory_info().rss / MB
                except psutil.Error:
                    continue
                self.peak[name] = max(self.peak.get(name, 0.0), rss)
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run(
    cmd: list[str],
    env: dict[str, str],
    progress: Callable[[], int],
    peak: Peak,
    name: str,
    kill_at: int | None = None,
) -> tuple[float, float]:
    """Run ``cmd`` (SIGKILL once ``progress()`` reaches ``kill_at`` bytes, if given); return
    the total seconds and the seconds from the first byte moved to the end (without the
    process start-up)."""
    start = time.perf_counter()
    initial = progress()
    first: float | None = None
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    peak.watch(name, proc.pid)
    while proc.poll() is None:
        done = progress()
        if first is None and done != initial:
            first = time.perf_counter()
        if kill_at is not None and done >= kill_at:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    if proc.wait() not in (0, -signal.SIGKILL):
        raise SystemExit(f"{' '.join(cmd[3:7])} failed")
    end = time.perf_counter()
    return end - start, end - (first or start)


def dir_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*")) if folder.exists() else 0


class PutHandler(http.server.SimpleHTTPRequestHandler):
    """The static-file server of the comparison: GET serves files, PUT streams to disk."""

    def do_PUT(self) -> None:
        length = int(self.headers["Content-Length"])
        with open(os.path.join(self.directory, "upload.bin"), "wb") as handle:
            while length:
                block = self.rfile.read(min(MB, length))
                handle.write(block)
                length -= len(block)
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _curl(args: list[str], peak: Peak, name: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(["curl", "-sS", *args])
    peak.watch(name, proc.pid)
    if proc.wait() != 0:
        raise SystemExit(f"{name} failed")
    return time.perf_counter() - start


def curl_ceiling(file: Path, work: Path, peak: Peak) -> tuple[float, float]:
    root = work / "static"
    root.mkdir()
    shutil.copy(file, root / "served.bin")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: PutHandler(*a, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    put = _curl(["-T", str(file), f"{url}/upload.bin"], peak, "curl PUT")
    get = _curl(["-o", str(work / "got.bin"), f"{url}/served.bin"], peak, "curl GET")
    server.shutdown()
    return put, get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--full", action="store_true", help="the issue's 2 GB file")
    parser.add_argument("--ports", default="8741,8742")
    args = parser.parse_args()
    size = 2048 * MB if args.full else args.size_mb * MB
    work = Path(tempfile.mkdtemp(prefix="jit-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    peak = Peak()
    try:
        ports = [int(p) for p in args.ports.split(",")]
        nodes = [DemoNode("FR", ports[0], work / "fr"), DemoNode("BE", ports[1], work / "be")]
        print(f"file: {size // MB} MB, nodes FR and BE on loopback; work dir {work}")
        file = work / "evidence.bin"
        expected = make_file(file, size)
        tokens = {}
        for n in nodes:
            node = open_node(n.settings())
            with node.session() as session:
                accounts.ensure_agency(session, n.code, f"{n.code} bench", n.code)
                tokens[n.code] = accounts.create_token(
                    session, name="bench", role="analyst", agency=n.code, now=node.clock.now()
                )
            node.close()
        federation_demo.wire([n.settings() for n in nodes])
        fr = open_node(nodes[0].settings())
        who = Principal(kind="cli", id=0, name="bench", agency="FR", roles=frozenset({"analyst"}))
        with fr.session() as session:
            body = {
                "name": "Benchmark",
                "countries": ["FR", "BE"],
                "terms": {
                    "purpose": "transfer benchmark",
                    "starts_on": date.today().isoformat(),
                    "ends_on": (date.today() + timedelta(days=30)).isoformat(),
                },
            }
            ref = teams.open_team(session, fr, who, TeamIn.model_validate(body)).reference
        fr.close()
        envs = {n.code: n.env() for n in nodes}
        envs["BE"]["PASSERELLE_JIT_FETCH_POLL_SECONDS"] = "0"  # BE pulls when the bench says
        for n in nodes:
            proc = subprocess.Popen(
                [sys.executable, "-m", "passerelle", "serve", "--port", str(n.port)],
                env=envs[n.code],
            )
            procs.append(proc)
            peak.watch(f"{n.code} server", proc.pid)
        from passerelle.cli.demo import wait_healthy

        for n, proc in zip(nodes, procs, strict=True):
            wait_healthy(n, proc)
        idle = {name: value for name, value in peak.peak.items()}
        push = [
            sys.executable, "-m", "passerelle", "jit", "evidence", "push", str(file),
            "--url", nodes[0].url, "--jit", ref, "--token", tokens["FR"], "--chunk-mb", "16",
        ]  # fmt: skip
        uploads = nodes[0].data_dir / "jit" / "uploads"
        t1, a1 = run(push, envs["FR"], lambda: dir_bytes(uploads), peak, "push", int(size * 0.4))
        kept = dir_bytes(uploads)
        t2, a2 = run(push, envs["FR"], lambda: dir_bytes(uploads), peak, "push (resumed)")
        print(f"tus upload: killed at {kept // MB} MB after {t1:.1f} s, resumed: {t2:.1f} s")
        be = open_node(nodes[1].settings())
        item_id = None
        for _ in range(600):
            with be.read_session() as session:
                item_id = session.scalar(select(Evidence.id))
            if item_id:
                break
            time.sleep(0.1)
        be.close()
        if item_id is None:
            raise SystemExit("BE never heard of the evidence item")
        fetch = [sys.executable, "-m", "passerelle.jit.pull", item_id]
        part = nodes[1].data_dir / "jit" / "incoming" / f"{item_id}.part"

        def pulled() -> int:
            return part.stat().st_size if part.exists() else 0

        t3, a3 = run(fetch, envs["BE"], pulled, peak, "pull worker", int(size * 0.5))
        got = pulled()
        t4, a4 = run(fetch, envs["BE"], pulled, peak, "pull worker (resumed)")
        stored = nodes[1].data_dir / "jit" / "evidence" / item_id
        verified = sha256_of(stored) == expected
        print(f"pull FR->BE: killed at {got // MB} MB after {t3:.1f} s, resumed: {t4:.1f} s")
        put, get = curl_ceiling(file, work, peak)
        peak.stop()
        mbs = size / MB
        print()
        head = f"{'step':<34}{'total s':>9}{'moving s':>10}{'MB/s':>7}   ceiling (curl)"
        print(head)
        up, up_moving = t1 + t2, a1 + a2
        print(f"{'tus upload to FR (kill + resume)':<34}{up:>9.1f}{up_moving:>10.1f}"
              f"{mbs / up_moving:>7.0f}   PUT {put:.1f} s, {mbs / put:.0f} MB/s")  # fmt: skip
        pull, pull_moving = t3 + t4, a3 + a4
        print(f"{'BE pulls from FR (kill + resume)':<34}{pull:>9.1f}{pull_moving:>10.1f}"
              f"{mbs / pull_moving:>7.0f}   GET {get:.1f} s, {mbs / get:.0f} MB/s")  # fmt: skip
        print("(moving s: from the first byte to the end, without process start-up; "
              "includes hashing the whole file on arrival)")  # fmt: skip
        print(f"SHA-256 verified on BE: {'yes' if verified else 'NO'} ({expected[:16]}…)")
        print("peak RSS (MB):")
        for name, value in sorted(peak.peak.items()):
            before = f" (idle after start-up {idle[name]:.0f})" if name in idle else ""
            print(f"  {name:<24}{value:>7.0f}{before}")
        if not verified:
            raise SystemExit(1)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
