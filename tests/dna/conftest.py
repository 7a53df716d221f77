"""Fixtures: profiles are built inline from a small synthetic base profile.

``make("P1", TH01="9.3,10")`` gives the base profile with one locus replaced; a value of ``None``
removes the locus. Alleles are comma-separated; one allele means homozygous.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from passerelle.dna.harmonise import make_profile
from passerelle.dna.profiles import Profile
from tests.bulk.conftest import engine, spark_session

# A synthetic single-source profile at the 12 ESS loci plus amelogenin.
BASE: dict[str, str] = {
    "D3S1358": "15,16",
    "vWA": "17,18",
    "D8S1179": "13,14",
    "D21S11": "29,30.2",
    "D18S51": "12,15",
    "TH01": "6,9.3",
    "FGA": "21,22.2",
    "D1S1656": "13,17.3",
    "D2S441": "10,14",
    "D10S1248": "13,15",
    "D12S391": "18,20",
    "D22S1045": "15,16",
    "Amelogenin": "X,Y",
}

Make = Callable[..., Profile]


def build(profile_id: str, loci: dict[str, str | None], **attributes: object) -> Profile:
    raw = {k: v.split(",") for k, v in loci.items() if v is not None}
    return make_profile(profile_id, raw, **attributes)


@pytest.fixture
def make() -> Make:
    def _make(profile_id: str, base: dict[str, str] | None = None, **loci: str | None) -> Profile:
        merged: dict[str, str | None] = {**(BASE if base is None else base), **loci}
        for key in [k for k in loci if k.replace("_", " ") != k]:
            merged[key.replace("_", " ")] = merged.pop(key)
        return build(profile_id, merged)

    return _make


#: The bulk engines' fixtures, for the DNA comparison job (``test_bulk_compare.py``).
__all__ = ["engine", "spark_session"]
