"""``passerelle screen`` and every option of it is documented in docs/identity.md."""

from __future__ import annotations

from pathlib import Path

import typer

from passerelle.bulk.screen import screen

DOC = Path(__file__).parents[2] / "docs" / "identity.md"


def test_screen_command_and_options_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    app = typer.Typer(add_completion=False)
    app.command("screen")(screen)
    command = typer.main.get_command(app)
    assert "passerelle screen" in text
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--"):
                assert opt in text, f"{opt} is not documented"
    assert "record_id,entry_id,score,explanation" in text
