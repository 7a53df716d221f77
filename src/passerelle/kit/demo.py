"""The demo kit: a demo node, its accounts and a console login, for ``demo --check`` scenarios.

Each package's ``demo_check`` drives the real HTTP interfaces of running demo nodes with these;
``passerelle demo`` (in ``cli``) starts the nodes. They live below the domains so a domain's
demo never imports ``cli``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import httpx

from passerelle.errors import PasserelleError
from passerelle.settings import Settings, get_settings

__all__ = ["DemoAccount", "DemoNode", "console_login"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class DemoNode:
    code: str
    port: int
    data_dir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> Settings:
        from passerelle import domains

        return get_settings().with_(
            data_dir=self.data_dir,
            node=self.code,
            node_name={"FR": "France", "BE": "Belgique / België"}[self.code],
            public_url=self.url,
            port=self.port,
            database_url="",
            **domains.demo_settings(self.code),
        )

    def env(self) -> dict[str, str]:
        from passerelle import domains

        s = self.settings()
        return {
            **os.environ,
            "PASSERELLE_DATA_DIR": str(s.data_dir),
            "PASSERELLE_NODE": s.node,
            "PASSERELLE_NODE_NAME": s.node_name,
            "PASSERELLE_PUBLIC_URL": s.public_url,
            "PASSERELLE_PORT": str(s.port),
            "PASSERELLE_DATABASE_URL": "",
            "PASSERELLE_LOG_LEVEL": "warning",
            **domains.demo_env(s.node),
        }


def console_login(n: DemoNode, username: str, password: str) -> httpx.Client:
    """Log in through the console form exactly as a browser does (CSRF token included)."""
    client = httpx.Client(base_url=n.url, timeout=10, follow_redirects=False)
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not match:
        raise PasserelleError(f"{n.code}: login page has no CSRF token")
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": match.group(1)},
    )
    if answer.status_code != 303:
        raise PasserelleError(
            f"{n.code}: console login of {username} failed ({answer.status_code})"
        )
    return client
