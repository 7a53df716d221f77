"""Demo data and the cross-border scenario of ``passerelle demo --check``.

Each node holds synthetic profiles drawn from the shipped European allele frequencies
(:mod:`passerelle.synth.dna`): FR reference-person profiles, BE crime stains. One Belgian stain
is a partial copy of a French reference profile, so a French cross-border search of that
profile gets a HIT on BE. Every profile is synthetic.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

import httpx
import numpy as np

from passerelle.dna import rules
from passerelle.dna.service import store
from passerelle.dna.stats import load_population
from passerelle.errors import PasserelleError
from passerelle.node import Node
from passerelle.synth.dna import draw_columns, long_rows

if TYPE_CHECKING:
    from passerelle.kit.demo import DemoAccount, DemoNode

PROFILES_PER_NODE = 200
#: The French reference profile that one Belgian stain matches.
FR_PROFILE = "FR-REF-DEMO-0001"
BE_STAIN = "BE-STAIN-DEMO-0001"
#: Loci of the stain copy: 9 of the 12 ESS loci (a partial stain still matches, quality 1).
STAIN_LOCI = rules.ESS.loci[:9]
#: Further BE stains, each a changed copy of one FR reference profile, so that the scene's
#: searches give a match of every Prüm quality class (2 wildcard, 3 microvariant, 4 near).
QUALITY_STAINS = {
    rules.Quality.WILDCARD: ("FR-REF-DEMO-0002", "BE-STAIN-DEMO-0002"),
    rules.Quality.MICROVARIANT: ("FR-REF-DEMO-0003", "BE-STAIN-DEMO-0003"),
    rules.Quality.NEAR: ("FR-REF-DEMO-0004", "BE-STAIN-DEMO-0004"),
}
_ROLES = {
    "FR": ("FR-REF-DEMO", rules.SampleType.REFERENCE_PERSON, "LPS Paris (synthetic)"),
    "BE": ("BE-STAIN-DEMO", rules.SampleType.CRIME_STAIN, "INCC Brussels (synthetic)"),
}


def _rows(prefix: str, seed: int) -> list[dict[str, str]]:
    """Synthetic profiles at the 12 ESS loci, drawn from the European frequencies."""
    frequencies = load_population(rules.DEFAULT_POPULATION).frequencies
    columns = draw_columns(
        frequencies, rules.ESS.loci, PROFILES_PER_NODE, np.random.default_rng(seed)
    )
    ids = [f"{prefix}-{i:04d}" for i in range(1, PROFILES_PER_NODE + 1)]
    return [
        {"profile_id": pid, "locus": locus, "allele_1": a, "allele_2": b}
        for pid, locus, a, b in long_rows(ids, columns)
    ]


def _altered(copy: list[dict[str, str]], quality: rules.Quality) -> list[dict[str, str]]:
    """``copy`` with the first locus changed so that the match has ``quality``: a wildcard
    allele (``OL``), a microvariant (one base more: 15 → 15.1), or a different allele (+3)."""
    at = next(i for i, r in enumerate(copy) if r["allele_1"].isdigit())
    first = copy[at]
    value = first["allele_1"]
    changed = {
        rules.Quality.WILDCARD: "OL",
        rules.Quality.MICROVARIANT: f"{value}.1",
        rules.Quality.NEAR: str(int(value) + 3),
    }[quality]
    return [*copy[:at], {**first, "allele_1": changed}, *copy[at + 1 :]]


def seed(node: Node) -> None:
    """Store the demo profiles of FR or BE (other nodes get none)."""
    if node.code not in _ROLES:
        return
    prefix, sample_type, laboratory = _ROLES[node.code]
    rows = _rows(prefix, zlib.crc32(node.code.encode()))
    if node.code == "BE":
        # The French reference profile, drawn the same way, left partial at a crime scene.
        french = _rows(_ROLES["FR"][0], zlib.crc32(b"FR"))
        stains = {BE_STAIN, *(stain for _, stain in QUALITY_STAINS.values())}
        rows = [r for r in rows if r["profile_id"] not in stains]
        rows += [
            {**r, "profile_id": BE_STAIN}
            for r in french
            if r["profile_id"] == FR_PROFILE and r["locus"] in STAIN_LOCI
        ]
        for quality, (reference, stain) in QUALITY_STAINS.items():
            copy = [{**r, "profile_id": stain} for r in french if r["profile_id"] == reference]
            rows += _altered(copy, quality)
    defaults = {
        "sample_type": sample_type.value,
        "laboratory": laboratory,
        "kit": "PowerPlex ESX 17",
    }
    principal_access = store.cli_access(node, "demo")
    with node.session() as session:
        rows_with = store.with_defaults(enumerate(rows, 2), **defaults)
        store.store_profiles(session, node, principal_access, rows_with, audited=False)


def check(nodes: list[DemoNode], accounts_by_node: dict[str, list[DemoAccount]]) -> None:
    """FR searches its reference profile across borders: HIT on BE with the quality class."""
    from passerelle.kit.demo import console_login

    fr = next(n for n in nodes if n.code == "FR")
    analyst = next(a for a in accounts_by_node["FR"] if "analyst" in a.roles)
    client = console_login(fr, analyst.username, analyst.password)
    try:
        _check(client)
    finally:
        client.close()


def _csrf(client: httpx.Client) -> str:
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dna/cross-border").text)
    if not match:
        raise PasserelleError("FR: /dna/cross-border carries no CSRF token")
    return match.group(1)


def _check(client: httpx.Client) -> None:
    response = client.post(
        "/api/v1/dna/cross-border",
        json={"profile_id": FR_PROFILE, "peers": ["BE"], "case_ref": "DEMO-DNA-1"},
        headers={"x-csrf-token": _csrf(client)},
        timeout=30,
    )
    if response.status_code != 200:
        raise PasserelleError(
            f"FR: DNA cross-border search refused ({response.status_code}): {response.text}"
        )
    answer = next((a for a in response.json()["answers"] if a["peer"] == "BE"), None)
    if answer is None or answer["status"] != "hit" or answer["quality"] is None:
        raise PasserelleError(f"FR: no DNA HIT with a quality class on BE: {response.json()}")
    lab = ", needs laboratory confirmation" if answer["needs_lab_confirmation"] else ""
    print(
        f"FR: DNA profile {FR_PROFILE} searched on BE: HIT, quality {answer['quality']} "
        f"({answer['quality_name']}){lab}, reference {answer['reference'][:12]}…"
    )


def scene(nodes: list[DemoNode], accounts_by_node: dict[str, list[DemoAccount]]) -> None:
    """FR searches four reference profiles on BE: one match of each Prüm quality class, to be
    reviewed (classes 3 and 4 need laboratory confirmation)."""
    from passerelle.kit.demo import console_login

    fr = next(n for n in nodes if n.code == "FR")
    analyst = next(a for a in accounts_by_node["FR"] if "analyst" in a.roles)
    client = console_login(fr, analyst.username, analyst.password)
    try:
        searches = [
            (rules.Quality.EXACT, FR_PROFILE),
            *((q, r) for q, (r, _) in QUALITY_STAINS.items()),
        ]
        for quality, reference in searches:
            for _ in range(5):  # a busy BE node may not answer in time: search again
                response = client.post(
                    "/api/v1/dna/cross-border",
                    json={"profile_id": reference, "peers": ["BE"], "case_ref": "DEMO-DNA-2"},
                    headers={"x-csrf-token": _csrf(client)},
                    timeout=60,
                )
                ok = response.status_code == 200
                answers = response.json().get("answers", []) if ok else []
                answer = next((a for a in answers if a["peer"] == "BE"), None)
                if answer is None or answer["status"] != "unreachable":
                    break
            if answer is None or answer["quality"] != quality:
                raise PasserelleError(
                    f"FR: {reference} on BE should match with quality {int(quality)}: "
                    f"{response.text[:300]}"
                )
        print("FR: DNA matches on BE of each quality class (1 exact, 2 wildcard, "
              "3 microvariant, 4 near) wait for review")  # fmt: skip
    finally:
        client.close()


__all__ = ["check", "scene", "seed"]
