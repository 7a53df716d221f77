"""Synthetic STR profiles drawn from frequency tables passed in as data."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from passerelle.synth import dna

FREQUENCIES = {
    "TH01": {"6": 0.2, "9.3": 0.5, "10": 0.3},
    "FGA": {"21": 0.6, "22.2": 0.4},
}


def test_alleles_follow_the_given_frequencies() -> None:
    columns = dna.draw_columns(FREQUENCIES, ["TH01", "FGA"], 20_000, np.random.default_rng(1))
    th01 = columns["TH01"]
    drawn = np.concatenate([th01.first, th01.second])
    share = np.bincount(drawn, minlength=len(th01.alphabet)) / len(drawn)
    assert th01.alphabet == ["6", "9.3", "10", "*"]
    assert np.allclose(share[:3], [0.2, 0.5, 0.3], atol=0.01)
    assert share[3] == 0


def test_partial_profiles_and_wildcards() -> None:
    columns = dna.draw_columns(
        FREQUENCIES,
        ["TH01", "FGA"],
        10_000,
        np.random.default_rng(2),
        partial_fraction=0.5,
        dropout=0.5,
        wildcard_rate=0.1,
    )
    fga = columns["FGA"]
    untyped = np.mean(fga.first < 0)
    assert 0.2 < untyped < 0.3  # half the rows are partial, half their loci dropped
    typed = fga.first >= 0
    assert 0.08 < np.mean(fga.second[typed] == len(fga.alphabet) - 1) < 0.12


def test_long_rows_leave_allele_2_empty_for_homozygotes() -> None:
    columns = {"TH01": dna.SyntheticLocus(["6", "9.3"], np.array([0, 1, -1]), np.array([0, 0, -1]))}
    assert list(dna.long_rows(["A", "B", "C"], columns)) == [
        ("A", "TH01", "6", ""),
        ("B", "TH01", "9.3", "6"),
    ]


def test_synth_does_not_import_a_domain_package() -> None:
    source = Path(dna.__file__).read_text(encoding="utf-8")
    imported = [
        node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    ]
    assert not [m for m in imported if m.startswith("passerelle.") and m != "passerelle.synth"]
