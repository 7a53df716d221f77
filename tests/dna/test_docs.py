"""Every ``passerelle dna`` command and option is documented in docs/dna.md."""

from __future__ import annotations

from pathlib import Path

import typer.main

from passerelle.dna.cli import app

DOC = Path(__file__).parents[2] / "docs" / "dna.md"


def test_every_command_and_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"passerelle dna {name}" in text
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in text, f"{opt} of dna {name} is not documented"
