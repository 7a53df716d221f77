"""Every ``pnr`` CLI command and option is documented in docs/pnr.md."""

from __future__ import annotations

from pathlib import Path

import typer

from passerelle.pnr.cli import app

DOC = Path(__file__).parents[2] / "docs" / "pnr.md"


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    for name, sub in command.commands.items():
        assert f"passerelle pnr {name}" in text
        for param in sub.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in text, f"{name} {opt} undocumented"
