"""``passerelle demo``: a French and a Belgian node on this machine, with synthetic data.

Each node is a real ``passerelle serve`` process with its own data directory and SQLite file.
Once both run, each package's demo *scene* leaves work for every role through the nodes' real
interfaces (pushed bookings, federation messages), once per data directory. Progress is printed
as it goes. A port already taken stops the demo at once (exit code 9); SIGINT or SIGTERM stops
both nodes. ``--check`` runs a scripted tour through the real HTTP interfaces, then the scenes,
and stops both nodes.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import httpx

from passerelle.errors import PasserelleError, Unavailable
from passerelle.kit.demo import DemoAccount, DemoNode, console_login
from passerelle.node import open_node
from passerelle.privacy import audit
from passerelle.seed import load_demo_accounts, seed_demo
from passerelle.settings import get_settings


def demo_nodes(base: Path) -> list[DemoNode]:
    return [DemoNode("FR", 8001, base / "fr"), DemoNode("BE", 8002, base / "be")]


def say(text: str) -> None:
    """One line of progress, shown at once."""
    print(text, flush=True)


def check_ports(nodes: list[DemoNode]) -> None:
    """Refuse at once (:class:`Unavailable`, exit 9) when a demo port is already taken."""
    for n in nodes:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((get_settings().host, n.port))
            except OSError:
                raise Unavailable(
                    f"port {n.port} (the {n.code} demo node) is already in use: stop what "
                    f"listens there (another passerelle demo?) and start again"
                ) from None


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the demo like Ctrl-C does, so the nodes are stopped on the way out."""

    def interrupt(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the stop short
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def prepare(
    nodes: list[DemoNode], progress: Callable[[str], None] = say
) -> dict[str, list[DemoAccount]]:
    """Initialise and seed every node (idempotent); returns the demo accounts per node."""
    accounts = {}
    for n in nodes:
        progress(f"{n.code}: preparing the node (database, synthetic data) in {n.data_dir}…")
        started = time.monotonic()
        node = open_node(n.settings())
        try:
            seed_demo(node)
            accounts[n.code] = load_demo_accounts(node)
        finally:
            node.close()
        progress(f"{n.code}: ready ({time.monotonic() - started:.1f} s)")
    from passerelle import domains

    progress("wiring the nodes: keys, peers, sharing policies…")
    for wire in domains.demo_wirings():
        wire([n.settings() for n in nodes])
    return accounts


@contextmanager
def running(nodes: list[DemoNode], progress: Callable[[str], None] = say) -> Iterator[None]:
    """Start one ``passerelle serve`` process per node; stop them all on exit."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for n in nodes:
            progress(f"{n.code}: starting the server on {n.url}…")
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "passerelle", "serve", "--port", str(n.port)],
                    env=n.env(),
                )
            )
        for n, proc in zip(nodes, procs, strict=True):
            wait_healthy(n, proc)
            progress(f"{n.code}: server up")
        yield
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_healthy(n: DemoNode, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Unavailable(f"node {n.code} exited during start-up (code {proc.returncode})")
        try:
            if httpx.get(n.url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise Unavailable(f"node {n.code} did not become healthy on {n.url}")


def _account(accounts: list[DemoAccount], role: str) -> DemoAccount:
    return next(a for a in accounts if role in a.roles)


def _print_banner(nodes: list[DemoNode], accounts: dict[str, list[DemoAccount]]) -> None:
    for n in nodes:
        print(f"{n.code} node  console {n.url}/   API {n.url}/api/v1/docs   data {n.data_dir}")
        for a in accounts[n.code]:
            print(f"    {a.username:<16} {a.password}   ({', '.join(a.roles)})")


SCENES_DONE = "scenes-done"


def play_scenes(nodes: list[DemoNode], accounts: dict[str, list[DemoAccount]]) -> None:
    """Each package's demo scene: work left pending for the roles, through the real nodes."""
    from passerelle import domains

    say("leaving work for every role (real pushes and federation messages)…")
    for scene in domains.demo_scenes():
        scene(nodes, accounts)


def run_forever() -> None:
    base = get_settings().data_dir / "demo"
    nodes = demo_nodes(base)
    check_ports(nodes)
    try:
        with sigterm_as_interrupt():
            accounts = prepare(nodes)
            with running(nodes):
                if not (base / SCENES_DONE).exists():
                    play_scenes(nodes, accounts)
                    (base / SCENES_DONE).write_text("")
                _print_banner(nodes, accounts)
                print("Both nodes are running. Press Ctrl-C to stop them.", flush=True)
                while True:
                    time.sleep(1)
    except KeyboardInterrupt:
        # Leaving the ``running`` block has already stopped both nodes.
        print("\nstopping…", flush=True)
    print("demo stopped", flush=True)


def run_check() -> None:
    """Start both nodes, exercise them through HTTP, verify the audit chains, stop, report."""
    base = get_settings().data_dir / "demo-check"
    shutil.rmtree(base, ignore_errors=True)
    nodes = demo_nodes(base)
    check_ports(nodes)
    accounts = prepare(nodes)
    with sigterm_as_interrupt(), running(nodes):
        for n in nodes:
            health = httpx.get(n.url + "/health", timeout=5).json()
            print(f"{n.code}: health {health['status']} (node {health['node']})")
            dpo = _account(accounts[n.code], "dpo")
            with closing(console_login(n, dpo.username, dpo.password)) as client:
                print(f"{n.code}: console login as {dpo.username} ok")
                page = client.get("/audit")
                if page.status_code != 200 or dpo.username not in page.text:
                    raise PasserelleError(
                        f"{n.code}: audit log page did not show the login "
                        f"(HTTP {page.status_code}: {page.text[:300]})"
                    )
                print(f"{n.code}: audited action (audit log consulted by the DPO) ok")
        from passerelle import domains

        for scenario in domains.demo_checks():
            scenario(nodes, accounts)
        play_scenes(nodes, accounts)  # each scene checks that its work is there
    for n in nodes:
        node = open_node(n.settings())
        try:
            with node.session() as session:
                result = audit.verify(session)
        finally:
            node.close()
        if not result.ok:
            raise PasserelleError(f"{n.code}: {result.describe()}")
        print(f"{n.code}: {result.describe()}")
    print("demo check ok")
