"""Adjacent name parts written as one word on the other side ("Hasan Ali" ~ حسنعلی).

Used by the scorer's pairing: cheap tests first, since almost every candidate pair is tried
and few merges are worth building.
"""

from __future__ import annotations

from functools import lru_cache

from passerelle.identity.names import Part, merge_parts, merged_skeletons


def merge_options(side: tuple[Part, ...], other: tuple[Part, ...]) -> list[tuple[int, Part]]:
    """Adjacent full parts of ``side`` that, merged, give the skeleton of a part of ``other``.

    Only merges to which both parts bring consonants ("Mohamed" + "Dia" would collapse into
    the skeleton of "Mohamed" alone), so the other name needs a longer skeleton than either
    part's: that test comes first (most candidate pairs fail it). A merged skeleton starts
    like its first part's and ends like its second part's: that cheap test comes next, the
    merged part is built last.
    """
    longest = 0
    for o in other:
        longest = max(longest, len(o.skeleton), len(o.skeleton_alt))
    out = []
    targets: frozenset[str] | None = None
    for i in range(len(side) - 1):
        x, y = side[i], side[i + 1]
        if x.initial or y.initial:
            continue
        need = max(len(x.skeleton), len(y.skeleton))
        if need >= longest:
            continue
        if targets is None:
            targets = skeletons(other)
        firsts = {x.skeleton[:1], x.skeleton_alt[:1]}
        lasts = {y.skeleton[-1:], y.skeleton_alt[-1:]}
        final_h = y.skeleton == "h"  # dropped once merged ("…h" ends no longer skeleton)
        if not any(
            len(t) > need and t[0] in firsts and (final_h or t[-1] in lasts) for t in targets
        ):
            continue
        sk, alt = merged_skeletons(x, y)
        if len(sk) > need and (sk in targets or alt in targets):
            out.append((i, merge_parts(x, y)))
    return out


@lru_cache(maxsize=1 << 16)
def skeletons(side: tuple[Part, ...]) -> frozenset[str]:
    return frozenset(p.skeleton for p in side) | (frozenset(p.skeleton_alt for p in side) - {""})
