"""Every federation command, option and route is documented in docs/federation.md."""

from __future__ import annotations

from pathlib import Path

import typer
import typer.main

from passerelle.federation import api, cli, console, rules

DOC = Path(__file__).parents[2] / "docs" / "federation.md"


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    app = typer.Typer()
    cli.register(app)
    root = typer.main.get_command(app)
    for group_name, group in root.commands.items():  # type: ignore[attr-defined]
        for name, command in group.commands.items():
            assert f"passerelle {group_name} {name}" in text
            for param in command.params:
                for opt in param.opts:
                    if opt.startswith("--"):
                        assert opt in text, f"{opt} of {group_name} {name} is not documented"


def test_every_route_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for router in (api.inbox_router, api.router, console.router):
        for route in router.routes:
            path = getattr(route, "path", "")
            for method in sorted(getattr(route, "methods", set()) - {"HEAD"}):
                assert f"`{method} {path}`" in text, f"{method} {path} is not documented"
    assert rules.INBOX_PATH in text
