"""A real headless Chromium (Debian's) drives the console of a real ``passerelle serve``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from passerelle import domains

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def demo_server(
    tmp_path_factory: pytest.TempPathFactory, code: str, name: str
) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A real ``passerelle serve`` of a ``code`` node made by ``init --demo-data`` (one user per
    role): its URL, the demo accounts' passwords and its data directory. Shared by the browser
    tests of every package."""
    data_dir = tmp_path_factory.mktemp(name)
    port = _free_port()
    env = {
        **os.environ,
        "PASSERELLE_DATA_DIR": str(data_dir),
        "PASSERELLE_NODE": code,
        "PASSERELLE_LOG_LEVEL": "warning",
        **domains.demo_env(code),
    }
    env.pop("PASSERELLE_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "passerelle", "init", "--demo-data"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    passwords = {
        a["username"]: a["password"]
        for a in json.loads((data_dir / "demo-accounts.json").read_text())
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "passerelle", "serve", "--port", str(port)], env=env
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a loaded machine can be slow to start a node
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    try:
        yield url, passwords, data_dir
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    with demo_server(tmp_path_factory, "BE", "browser-node") as (url, passwords, _):
        yield url, passwords


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is required for the browser tests (apt-get install chromium)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _login(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")


def test_login_switch_language_and_see_own_login_in_audit_log(
    browser: Browser, server: tuple[str, dict[str, str]]
) -> None:
    url, passwords = server
    page = browser.new_page(locale="fr-BE")
    _login(page, url, "be.dpo", passwords["be.dpo"])
    assert page.locator("h1").inner_text() == "Bienvenue, be.dpo"

    with page.expect_navigation():
        page.select_option("#locale", "nl")
    assert page.locator("h1").inner_text() == "Welkom, be.dpo"
    assert page.locator("nav").inner_text().count("Auditlogboek") == 1

    page.click("nav >> text=Auditlogboek")
    page.wait_for_url(url + "/audit")
    # the action is shown as its label in the reader's language ("login" -> "Aanmelding")
    first_row = page.locator("table.grid tbody tr").filter(has_text="Aanmelding").first
    assert "be.dpo" in first_row.inner_text()
    page.click("text=Keten controleren")
    page.wait_for_selector("#verify .ok")
    assert "Keten intact" in page.locator("#verify").inner_text()

    with page.expect_navigation():
        page.select_option("#locale", "fr")
    assert page.locator("h1").inner_text() == "Journal d'audit"
    page.screenshot(
        path=str(Path(os.environ.get("PASSERELLE_SCREENSHOTS", "/tmp")) / "audit-fr.png")
    )
    page.close()


def test_wrong_password_shows_a_translated_error(
    browser: Browser, server: tuple[str, dict[str, str]]
) -> None:
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/login?lang=nl")
    page.fill("input[name=username]", "be.analyst")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Onjuiste gebruikersnaam of wachtwoord."
    page.close()
