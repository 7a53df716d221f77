"""Fixed-width encodings of a profile database and the per-query comparison tables.

Every locus has an allele alphabet and a table of the unordered allele pairs (genotypes) seen
in the database; a profile is one ``uint16`` genotype code per locus (0 = not typed). A query
genotype becomes a lookup table ``genotype code → 4·mismatches + quality`` computed with the
exact rules of :mod:`passerelle.dna.matching`, and the same table packed for verification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from passerelle.dna.harmonise import repeat_bases
from passerelle.dna.profiles import Allele

U8 = NDArray[np.uint8]
U16 = NDArray[np.uint16]
U32 = NDArray[np.uint32]
I64 = NDArray[np.int64]

_NONE, _MICRO = 3, 2


class LocusColumn(Protocol):
    """One locus of a columnar database: allele alphabet and per-row allele codes (-1 = absent).

    :class:`passerelle.synth.dna.SyntheticLocus` has this shape.
    """

    @property
    def alphabet(self) -> Sequence[str]: ...

    @property
    def first(self) -> NDArray[np.integer[Any]]: ...

    @property
    def second(self) -> NDArray[np.integer[Any]]: ...


@dataclass(frozen=True)
class Column:
    """A plain :class:`LocusColumn`."""

    alphabet: Sequence[str]
    first: NDArray[np.integer[Any]]
    second: NDArray[np.integer[Any]]


class EncodedLocus:
    """Alphabet, genotype table and per-row genotype codes of one locus."""

    def __init__(self, name: str, alleles: list[Allele], gt1: I64, gt2: I64) -> None:
        self.name = name
        self.alleles = alleles
        unit = repeat_bases(name)
        self.length = np.array([a.length(unit) for a in alleles], dtype=np.int64)
        self.numeric = np.array([a.numeric for a in alleles], dtype=bool)
        self.wild = np.array([a.wildcard for a in alleles], dtype=bool)
        self.gt1, self.gt2 = gt1, gt2  # allele codes of genotype codes 1..n (index 0 unused)

    def kinds(self, allele: Allele) -> I64:
        """How ``allele`` compares with each alphabet allele (matching.AlleleMatch values)."""
        if allele.wildcard:
            return np.ones(len(self.alleles), dtype=np.int64)
        unit = repeat_bases(self.name)
        diff = np.abs(self.length - allele.length(unit)) if allele.numeric else None
        out = np.full(len(self.alleles), _NONE, dtype=np.int64)
        if diff is not None:
            out[self.numeric & (diff == 1)] = _MICRO
            out[self.numeric & (diff == 0)] = 0
        else:
            out[[i for i, a in enumerate(self.alleles) if a.value == allele.value]] = 0
        out[self.wild] = 1
        return out

    def lut(self, genotype: tuple[Allele, Allele]) -> U8:
        """genotype code → 4·mismatches + quality (0 for the 'not typed' code)."""
        k1, k2 = self.kinds(genotype[0]), self.kinds(genotype[1])
        straight = _score(k1[self.gt1], k2[self.gt2])
        crossed = _score(k1[self.gt2], k2[self.gt1])
        out = np.minimum(straight, crossed).astype(np.uint8)
        out[0] = 0
        return out


def _score(x: I64, y: I64) -> I64:
    mismatches = (x == _NONE).astype(np.int64) + (y == _NONE)
    quality = np.maximum(np.where(x == _NONE, 0, x + 1), np.where(y == _NONE, 0, y + 1))
    out: I64 = mismatches * 4 + np.maximum(quality, 1)
    return out


@dataclass(frozen=True)
class QueryLocus:
    """A query genotype's tables at one locus: result per genotype code (4·mismatches +
    quality), the same packed for verification, the fully matching codes, and how many
    database rows it rules out (two mismatched alleles)."""

    lut: U8
    packed: U32
    matching: I64
    dead: int


def packed(lut: U8) -> U32:
    """Per genotype code: mismatches | matching<<6 | compared<<12 | wildcard<<18 | micro<<24."""
    v = lut.astype(np.uint32)
    full = (v >= 1) & (v <= 3)
    out: U32 = (
        (v >> 2)
        | (full.astype(np.uint32) << 6)
        | ((v > 0).astype(np.uint32) << 12)
        | ((v == 2).astype(np.uint32) << 18)
        | ((v == 3).astype(np.uint32) << 24)
    )
    return out


__all__ = ["Column", "EncodedLocus", "LocusColumn", "QueryLocus", "packed"]
