"""Name-structure evidence: extra leading names (a son's name holds his father's) and
patronymics that disagree. Used by :mod:`passerelle.identity.scorer` after the parts are paired.
"""

from __future__ import annotations

from passerelle.identity import rules
from passerelle.identity.names import Part


def _extra_leading(
    short: tuple[Part, ...], long_: tuple[Part, ...], pairs: list[tuple[int, int, float]]
) -> bool:
    """Every part of ``short`` matched, in order, by ``long_`` after extra leading parts."""
    if len(short) < 2 or len(long_) <= len(short) or len(pairs) != len(short):
        return False
    ordered = sorted(pairs)
    if any(sim < rules.SIM_WEAK for _, _, sim in ordered):
        return False
    if short[ordered[0][0]].weight == rules.WEIGHT_PATRONYMIC:
        return False  # patronymic and family name only: the given name is missing, not extra
    positions = [j for _, j, _ in ordered]
    first = positions[0]
    return first > 0 and positions == list(range(first, first + len(short)))


def structure(
    a: tuple[Part, ...], b: tuple[Part, ...], pairs: list[tuple[int, int, float, str]]
) -> list[tuple[str, float]]:
    """Name-structure evidence: extra leading names, and patronymics that disagree."""
    out: list[tuple[str, float]] = []
    if not pairs:
        return out
    # A name that is the other one plus names in front of it ("Tariq Hasan Karimzadeh" ~
    # "Hasan Karimzadeh"): the listed given name stands where a father's name stands (Arabic
    # nasab, Slavic patronymic order), so the extra part contradicts rather than completes.
    if _extra_leading(a, b, [(i, j, sim) for i, j, sim, _ in pairs]) or _extra_leading(
        b, a, [(j, i, sim) for i, j, sim, _ in pairs]
    ):
        out.append(("extra leading name", rules.EXTRA_LEADING_NAME))
    # Two patronymics (or Turkic "X oglu") paired loosely or not at all: different fathers.
    pat = rules.WEIGHT_PATRONYMIC
    pa = [i for i, p in enumerate(a) if p.weight == pat]
    pb = [j for j, p in enumerate(b) if p.weight == pat]
    if pa and pb:
        agreeing = any(i in pa and j in pb and s >= rules.SIM_WEAK for i, j, s, _ in pairs)
        if not agreeing:
            out.append(("patronymic conflict", rules.PATRONYMIC_CONFLICT))
    return out
