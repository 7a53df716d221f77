"""The scorer: how alike two people are, as a number in [0, 1] and an explanation.

Meaning of the score. It starts from the *name score*: name parts are paired one to one
(order ignored, so given/family swaps cost nothing), each pair scored by the strongest rule
that applies (identical, same phonetic key, same consonant skeleton across scripts, same
part without particles, initial, fuzzy spelling); the paired similarity is divided by the
size of the shorter name (80 %) and of the longer one (20 %), so a missing middle name costs
little and a one-part name cannot score high on its own. Date of birth, document number,
gender and nationality then add or remove fixed amounts (``rules.py``), and the result is
clipped to [0, 1]. So:

* 1.0 — every part identical, and date/document agree;
* ≥ ``DEFAULT_THRESHOLD`` (0.85) — a candidate for human review;
* around 0.5–0.8 — some parts alike, not enough to suggest the same person.

It is an evidence scale tuned on synthetic data (``docs/benchmarks/identity.md`` gives the
precision observed per band), not a probability. Every comparison is symmetric.
"""

from __future__ import annotations

from operator import itemgetter

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from passerelle.identity import rules
from passerelle.identity.countries import same_country
from passerelle.identity.dates import compare_dates
from passerelle.identity.documents import compare_documents
from passerelle.identity.features import Features
from passerelle.identity.names import Part
from passerelle.identity.schemas import Explanation, NamePair
from passerelle.identity.variants import skeleton

_jw = JaroWinkler.normalized_similarity
_osa = OSA.normalized_similarity
_lev = Levenshtein.normalized_similarity


def part_similarity(a: Part, b: Part) -> tuple[float, str]:
    """Similarity of two name parts in [0, 1] and the rule that produced it. Symmetric."""
    if a.text == b.text:
        return rules.SIM_EXACT, "exact"
    if a.arabic or b.arabic:
        sa, sb = a.skeleton, b.skeleton
        if not sa or not sb:
            return 0.0, "no consonants"
        if sa == sb:
            return rules.SIM_SKELETON, "consonant skeleton"
        alt_a, alt_b = a.skeleton_alt, b.skeleton_alt
        if (alt_a and alt_a in (sb, alt_b)) or (alt_b and alt_b == sa):
            return rules.SIM_SKELETON_VARIANT, "consonant skeleton (other spelling)"
        if a.core != a.text or b.core != b.text:
            ca, cb = skeleton(a.core, a.arabic), skeleton(b.core, b.arabic)
            if ca and ca == cb:
                return rules.SIM_PARTICLE_CORE * rules.SIM_SKELETON, "particle, consonant skeleton"
        fuzzy = _lev(sa, sb)
        if alt_a:
            fuzzy = max(fuzzy, _lev(alt_a, sb))
        if alt_b:
            fuzzy = max(fuzzy, _lev(sa, alt_b))
        return fuzzy * rules.SIM_SKELETON, "consonant skeleton (fuzzy)"
    if a.initial or b.initial:
        if a.text[0] == b.text[0]:
            return rules.SIM_INITIAL, "initial"
        return 0.0, "initial differs"
    best, rule = (_jw(a.text, b.text) + _osa(a.text, b.text)) / 2, "fuzzy spelling"
    ka, kb = a.key, b.key
    if ka == kb:
        if best < rules.SIM_SPELLING_VARIANT:
            best, rule = rules.SIM_SPELLING_VARIANT, "spelling variant"
    else:
        fuzzy_key = (_jw(ka, kb) + _osa(ka, kb)) / 2 * 0.98
        if fuzzy_key > best:
            best, rule = fuzzy_key, "spelling variant (fuzzy)"
    particle = a.core != a.text or b.core != b.text
    if particle and a.core == b.core and best < rules.SIM_PARTICLE_CORE:
        best, rule = rules.SIM_PARTICLE_CORE, "particle"
    if best < rules.SIM_SKELETON_LATIN:
        sa = a.skeleton
        if len(sa) >= 2 and sa == b.skeleton:
            # Two-consonant skeletons (Said/Saeed/Sayed) are common: worth a little less.
            value = rules.SIM_SKELETON_LATIN if len(sa) >= 3 else rules.SIM_SKELETON_SHORT
            if value > best:
                best, rule = value, "consonant skeleton"
    return best, rule


Memo = dict[Part, dict[Part, tuple[float, str]]]


def pair_parts(
    a: tuple[Part, ...], b: tuple[Part, ...], memo: Memo | None = None
) -> tuple[float, list[tuple[int, int, float, str]]]:
    """Pair name parts one to one, best pairs first; returns the name score and the pairs.

    Ties are broken on the parts' text, never on their position, so that swapping the two
    names gives the same pairs. ``memo`` caches part similarities across the candidates of
    one query (parts are shared objects, so many candidates reuse the same ones).
    """
    if not a or not b:
        return 0.0, []
    candidates: list[tuple[float, str, str, int, int, str]] = []
    floor = rules.SIM_FLOOR
    for i, pa in enumerate(a):
        row = None if memo is None else memo.setdefault(pa, {})
        ta = pa.text
        for j, pb in enumerate(b):
            found = None if row is None else row.get(pb)
            if found is None:
                found = part_similarity(pa, pb)
                if row is not None:
                    row[pb] = found
            sim = found[0]
            if sim >= floor:
                tb = pb.text
                lo, hi = (ta, tb) if ta < tb else (tb, ta)
                candidates.append((-sim, lo, hi, i, j, found[1]))
    if not candidates:
        return 0.0, []
    if len(candidates) > 1:
        candidates.sort(key=_TIE_KEY)
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int, float, str]] = []
    matched = 0.0
    for neg, _lo, _hi, i, j, rule in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j, -neg, rule))
        pa, pb = a[i], b[j]
        matched -= neg * (rules.INITIAL_WEIGHT if pa.initial or pb.initial else 1.0)
    wa = _total_weight(a)
    wb = _total_weight(b)
    short, long_ = (wa, wb) if wa < wb else (wb, wa)
    score = (
        rules.COVERAGE_SHORT_WEIGHT * matched / short + rules.COVERAGE_LONG_WEIGHT * matched / long_
    )
    if len(a) == 1 and len(b) == 1:
        score = min(score, rules.MONONYM_CAP)
    elif len(a) == 1 or len(b) == 1:
        score = min(score, rules.SINGLE_PART_CAP)
    return min(score, 1.0), pairs


_TIE_KEY = itemgetter(0, 1, 2)


def _total_weight(parts: tuple[Part, ...]) -> float:
    total = float(len(parts))
    for p in parts:
        if p.initial:
            total -= 1.0 - rules.INITIAL_WEIGHT
    return total


_DOB_DELTA = {
    "exact": rules.DOB_EXACT,
    "compatible": rules.DOB_COMPATIBLE,
    "day/month swapped": rules.DOB_SWAPPED,
    "one-digit typo": rules.DOB_TYPO,
    "conflict": rules.DOB_CONFLICT,
}
_DOC_DELTA = {"exact": rules.DOCUMENT_EXACT, "OCR confusion": rules.DOCUMENT_OCR}


def _label(flag: bool | None) -> str:
    return "unknown" if flag is None else ("same" if flag else "conflict")


# The most the other features can add: a name score below threshold minus this cannot pass.
MAX_EVIDENCE = rules.DOB_EXACT + rules.DOCUMENT_EXACT + rules.NATIONALITY_MATCH


def compare(
    a: Features, b: Features, memo: Memo | None = None, floor: float = 0.0
) -> tuple[float, Explanation | None]:
    """Score record ``a`` against entry ``b`` and explain it (symmetric in score).

    With ``floor`` > 0, a pair that cannot reach it returns no explanation (a shortcut for
    screening): its name score when the name alone rules it out, else its score.
    """
    name_score, pairs = pair_parts(a.parts, b.parts, memo)
    if floor > 0.0 and name_score + MAX_EVIDENCE < floor:
        return name_score, None
    dob = compare_dates(a.date_of_birth, b.date_of_birth)
    doc = compare_documents(a.document, a.document_country, b.document, b.document_country)
    gender = None if a.gender is None or b.gender is None else a.gender == b.gender
    nationality = same_country(a.nationality, b.nationality)
    adjustments: list[tuple[str, float]] = []
    if dob in _DOB_DELTA:
        adjustments.append((f"date of birth {dob}", _DOB_DELTA[dob]))
    if doc in _DOC_DELTA:
        adjustments.append((f"document {doc}", _DOC_DELTA[doc]))
    if gender is False:
        adjustments.append(("gender conflict", rules.GENDER_CONFLICT))
    if nationality is not None:
        delta = rules.NATIONALITY_MATCH if nationality else rules.NATIONALITY_CONFLICT
        adjustments.append((f"nationality {_label(nationality)}", delta))
    score = name_score + sum(d for _, d in adjustments)
    score = min(1.0, max(0.0, score))
    if score < floor:
        return score, None
    paired_a = {i for i, _, _, _ in pairs}
    paired_b = {j for _, j, _, _ in pairs}
    swapped = any({a.parts[i].role, b.parts[j].role} == {"given", "family"} for i, j, _, _ in pairs)
    explanation = Explanation(
        name_score=name_score,
        pairs=tuple(
            NamePair(a.parts[i].original, b.parts[j].original, s, r) for i, j, s, r in pairs
        ),
        unpaired_record=tuple(p.original for k, p in enumerate(a.parts) if k not in paired_a),
        unpaired_entry=tuple(p.original for k, p in enumerate(b.parts) if k not in paired_b),
        order_swapped=swapped,
        date_of_birth=dob,
        document=doc,
        gender=_label(gender),
        nationality=_label(nationality),
        adjustments=tuple(adjustments),
    )
    return score, explanation


def explain(a: Features, b: Features) -> tuple[float, Explanation]:
    """Score and explanation, always both."""
    value, explanation = compare(a, b)
    assert explanation is not None
    return value, explanation
