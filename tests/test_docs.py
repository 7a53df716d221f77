"""Every CLI command, setting and endpoint is documented (README.md and docs/*.md)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import typer

from passerelle.cli import app as cli_app
from passerelle.settings import SETTINGS_DOC, Settings
from passerelle.web.app import api_routes

ROOT = Path(__file__).resolve().parents[1]


def _docs() -> str:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def _commands(command: Any, prefix: str) -> list[str]:
    # Typer ships its own copy of click, so groups are recognised by shape, not class.
    if hasattr(command, "commands"):
        return [
            name
            for sub_name, sub in sorted(command.commands.items())
            for name in _commands(sub, f"{prefix} {sub_name}")
        ]
    return [prefix]


def test_every_cli_command_is_documented() -> None:
    docs = _docs()
    commands = _commands(typer.main.get_command(cli_app), "passerelle")
    assert len(commands) >= 12
    missing = [c for c in commands if c not in docs]
    assert missing == []


def test_every_setting_is_documented() -> None:
    fields = {f"PASSERELLE_{f.name.upper()}" for f in dataclasses.fields(Settings)}
    assert fields == set(SETTINGS_DOC), "SETTINGS_DOC lists exactly the settings"
    docs = _docs()
    assert [name for name in sorted(fields) if name not in docs] == []


def test_every_endpoint_is_documented(app: object) -> None:
    docs = _docs()
    missing = []
    for route in api_routes(app):  # type: ignore[arg-type]
        for method in sorted(route.methods - {"HEAD"}):
            if f"{method} {route.path}" not in docs:
                missing.append(f"{method} {route.path}")
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n\n## ")[0]
    commands = re.findall(r"^make \w+", head, flags=re.MULTILINE)
    assert commands[:2] == ["make demo", "make test"]
