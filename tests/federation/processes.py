"""Real ``passerelle serve`` processes on loopback, for the tests that stop, kill and restart
nodes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from passerelle import domains
from passerelle.federation import demo, keys, peers, policies
from passerelle.node import Node, open_node
from passerelle.privacy import accounts, audit
from passerelle.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Proc:
    code: str
    port: int
    data_dir: Path
    tokens: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, node=self.code, public_url=self.url).with_(
            **domains.demo_settings(self.code)
        )

    def open(self) -> Node:
        """The node's database, opened from the test process (WAL: safe beside the server)."""
        return open_node(self.settings())

    def start(self) -> None:
        env = {
            **os.environ,
            "PASSERELLE_DATA_DIR": str(self.data_dir),
            "PASSERELLE_NODE": self.code,
            "PASSERELLE_PUBLIC_URL": self.url,
            "PASSERELLE_DATABASE_URL": "",
            "PASSERELLE_FEDERATION_TIMEOUT_SECONDS": "3",
            "PASSERELLE_LOG_LEVEL": "warning",
            **domains.demo_env(self.code),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "passerelle", "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None and self.proc.poll() is None, f"{self.code} exited"
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.code} did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def api(self, role: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers={"authorization": f"Bearer {self.tokens[role]}"},
            timeout=30,
        )


def prepare(base: Path, codes: tuple[str, ...] = ("FR", "BE")) -> dict[str, Proc]:
    """Data directories with keys, agencies, API tokens, demo persons and mutual peers."""
    procs = {c: Proc(c, free_port(), base / c.lower()) for c in codes}
    public = {c: keys.public_text(keys.generate(p.settings())) for c, p in procs.items()}
    for code, p in procs.items():
        node = p.open()
        try:
            demo.seed(node)
            with node.session() as session:
                accounts.ensure_agency(session, code, f"{code} test node", code)
                for role in ("analyst", "supervisor", "admin"):
                    p.tokens[role] = accounts.create_token(
                        session, name=role, role=role, agency=code, now=node.clock.now()
                    )
                for other, q in procs.items():
                    if other != code:
                        peers.add(
                            session,
                            other,
                            q.url,
                            public[other],
                            now=node.clock.now(),
                            insecure_http=True,
                        )
                        # Queries and follow-up answers carry personal data: a new peer gets
                        # ``never`` for them until an admin decides (issue #15), as here.
                        policies.apply_defaults(
                            session,
                            node,
                            audit.Actor("test:admin", code),
                            other,
                            "test net",
                            protocol_only=True,
                        )
        finally:
            node.close()
    return procs
