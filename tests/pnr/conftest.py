"""Fixtures for the pnr tests: the GTAS sample folder and small synthetic messages built inline."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def samples() -> Path:
    """The public PNRGOV samples (US CBP GTAS, licence in LICENSE-GTAS.txt)."""
    return SAMPLES


def pnrgov(*body: str, una: str = "UNA:+.?*'\n") -> str:
    """A PNRGOV interchange around ``body`` segments (without terminators)."""
    segments = ["MSG+:22", "ORG+AF:CDG", "TVL+010626:0900:010626:1010+CDG+BRU+AF+1234", *body]
    inner = "'\n".join(segments)
    return (
        f"{una}UNB+IATA:1+AF+PIUBE+260530:0900+1'\nUNH+1+PNRGOV:13:1:IA+X'\n"
        f"{inner}'\nUNT+{len(segments) + 2}+1'\nUNZ+1+1'\n"
    )
