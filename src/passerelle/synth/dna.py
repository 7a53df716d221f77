"""Synthetic STR profiles drawn from allele frequency tables passed in as data.

Genotypes are drawn under Hardy–Weinberg equilibrium, locus by locus, from the frequencies the
caller supplies (for example the norSTR tables shipped with ``passerelle.dna``). The output is
columnar — per locus an allele alphabet and two code arrays — so millions of profiles fit in a
few hundred megabytes; :func:`long_rows` turns it into the CSV long form.

This core module never imports a domain package.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

WILDCARD = "*"


@dataclass(frozen=True)
class SyntheticLocus:
    """One locus of a synthetic database: allele alphabet and per-row codes (-1 = not typed)."""

    alphabet: list[str]
    first: NDArray[np.int16]
    second: NDArray[np.int16]


def draw_columns(
    frequencies: Mapping[str, Mapping[str, float]],
    loci: Sequence[str],
    n: int,
    rng: np.random.Generator,
    *,
    partial_fraction: float = 0.0,
    dropout: float = 0.3,
    wildcard_rate: float = 0.0,
) -> dict[str, SyntheticLocus]:
    """Draw ``n`` profiles at ``loci``.

    A ``partial_fraction`` of the rows imitates degraded crime stains: each of their loci is
    untyped with probability ``dropout``. With probability ``wildcard_rate`` a typed locus gets a
    wildcard as its second allele (an undesignated allele).
    """
    partial = rng.random(n) < partial_fraction
    columns: dict[str, SyntheticLocus] = {}
    for locus in loci:
        table = frequencies[locus]
        alphabet = [*table, WILDCARD]
        p = np.array(list(table.values()), dtype=np.float64)
        p /= p.sum()
        first = rng.choice(len(p), size=n, p=p).astype(np.int16)
        second = rng.choice(len(p), size=n, p=p).astype(np.int16)
        if wildcard_rate:
            second[rng.random(n) < wildcard_rate] = len(alphabet) - 1
        if partial_fraction:
            dropped = partial & (rng.random(n) < dropout)
            first[dropped] = -1
            second[dropped] = -1
        columns[locus] = SyntheticLocus(alphabet, first, second)
    return columns


def long_rows(
    ids: Sequence[str], columns: Mapping[str, SyntheticLocus]
) -> Iterator[tuple[str, str, str, str]]:
    """Rows ``(profile_id, locus, allele_1, allele_2)``; ``allele_2`` is empty when homozygous."""
    for row, profile_id in enumerate(ids):
        for locus, column in columns.items():
            a, b = int(column.first[row]), int(column.second[row])
            if a < 0:
                continue
            first, second = column.alphabet[a], column.alphabet[b]
            yield profile_id, locus, first, "" if second == first else second


__all__ = ["SyntheticLocus", "draw_columns", "long_rows"]
