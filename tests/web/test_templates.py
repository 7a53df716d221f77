"""Console templates stay compatible with the Content-Security-Policy (no inline code)."""

from __future__ import annotations

import re
from pathlib import Path

import passerelle.web

TEMPLATES = Path(passerelle.web.__file__).parent / "templates"


def test_no_template_has_inline_script_style_or_event_handler() -> None:
    offences = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)", r"\sstyle=", r"\son[a-z]+=", r"<style"):
            if re.search(pattern, text):
                offences.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert offences == []
