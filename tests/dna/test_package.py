"""The public façade of ``passerelle.dna`` and the layering rule for ``synth``."""

from __future__ import annotations

import passerelle.dna as dna


def test_every_exported_name_exists() -> None:
    missing = [name for name in dna.__all__ if not hasattr(dna, name)]
    assert missing == []


def test_facade_covers_what_other_layers_call() -> None:
    for name in ("import_profiles", "prum_answer", "search", "compare_databases", "ProfileIndex"):
        assert name in dna.__all__
