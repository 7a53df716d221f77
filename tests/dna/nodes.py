"""Helpers for the node-level DNA tests: synthetic profiles as long-form CSV text."""

from __future__ import annotations

from tests.dna.conftest import BASE


def csv_of(profiles: dict[str, dict[str, str | None]], header: str = "") -> str:
    """Long-form CSV of ``{profile_id: {locus: "a,b"}}``; each profile starts from BASE."""
    rows = []
    for pid, changes in profiles.items():
        merged = {**BASE, **changes}
        rows += [(pid, locus, v.split(",")) for locus, v in merged.items() if v is not None]
    width = max(2, *(len(alleles) for _, _, alleles in rows))
    lines = [
        header or ",".join(["profile_id", "locus", *(f"allele_{i}" for i in range(1, width + 1))])
    ]
    for pid, locus, alleles in rows:
        padded = alleles + [""] * (width - len(alleles))
        lines.append(",".join([pid, locus, *padded]))
    return "\n".join(lines) + "\n"


#: A second synthetic person, unrelated to BASE at every ESS locus.
OTHER: dict[str, str | None] = {
    "D3S1358": "17,18",
    "vWA": "14,16",
    "D8S1179": "10,11",
    "D21S11": "28,31",
    "D18S51": "13,14",
    "TH01": "7,8",
    "FGA": "19,24",
    "D1S1656": "11,12",
    "D2S441": "11,11.3",
    "D10S1248": "12,14",
    "D12S391": "17,19",
    "D22S1045": "11,17",
}
