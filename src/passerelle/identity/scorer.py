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
from passerelle.identity.dates import compare_birth_dates
from passerelle.identity.documents import compare_documents
from passerelle.identity.features import Features
from passerelle.identity.merges import merge_options
from passerelle.identity.names import Part, is_cyrillic_part
from passerelle.identity.schemas import Explanation, NamePair
from passerelle.identity.structure import structure
from passerelle.identity.variants import skeleton
from passerelle.identity.vowels import long_vowels

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
            if _vowel_conflict(a, b, False):
                return rules.SIM_LONG_VOWEL_CONFLICT, "consonant skeleton, long vowel differs"
            return _skeleton_sim(sa), "consonant skeleton"
        alt_a, alt_b = a.skeleton_alt, b.skeleton_alt
        if (alt_a and alt_a in (sb, alt_b)) or (alt_b and alt_b == sa):
            if _vowel_conflict(a, b, True):
                return rules.SIM_LONG_VOWEL_CONFLICT, "consonant skeleton, long vowel differs"
            value = min(rules.SIM_SKELETON_VARIANT, _skeleton_sim(alt_a or sa))
            return value, "consonant skeleton (other spelling)"
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
    # One typing error (a letter replaced, dropped, added or two swapped) costs short parts
    # more than the similarity measures say: "Min" ~ "Mit" is still a typo.
    if (
        best < rules.SIM_ONE_EDIT
        and min(len(a.text), len(b.text)) >= 3
        and OSA.distance(a.text, b.text, score_cutoff=1) <= 1
    ):
        best, rule = rules.SIM_ONE_EDIT, "one typing error"
    ka, kb = a.key, b.key
    if ka == kb:
        if best < rules.SIM_SPELLING_VARIANT:
            best, rule = rules.SIM_SPELLING_VARIANT, "spelling variant"
    elif ka != a.text or kb != b.text:  # keys equal to the texts score below the texts
        fuzzy_key = (_jw(ka, kb) + _osa(ka, kb)) / 2 * 0.98
        if fuzzy_key > best:
            best, rule = fuzzy_key, "spelling variant (fuzzy)"
    particle = a.core != a.text or b.core != b.text
    if particle and a.core == b.core and best < rules.SIM_PARTICLE_CORE:
        best, rule = rules.SIM_PARTICLE_CORE, "particle"
    if best < rules.SIM_SKELETON_LATIN:
        sa = a.skeleton
        # Cyrillic parts carry a second skeleton (г as h, ў as v: Ukrainian, Belarusian).
        # (a Latin part's own second skeleton, without "v", is for Arabic script only)
        alt_a = a.skeleton_alt and (a.skeleton_alt if is_cyrillic_part(a) else "")
        alt_b = b.skeleton_alt and (b.skeleton_alt if is_cyrillic_part(b) else "")
        via_alt = alt_a == b.skeleton or bool(alt_b and alt_b in (sa, alt_a))
        if via_alt:
            sa = alt_b if alt_b and alt_b in (sa, alt_a) else b.skeleton
            if len(sa) == 1 and best < rules.SIM_SKELETON_SHORT:  # Олег ~ "Aleh"
                best, rule = rules.SIM_SKELETON_SHORT, "consonant skeleton (Slavic spelling)"
        if len(sa) >= 2 and sa in (b.skeleton, alt_b):
            # Two-consonant skeletons (Said/Saeed/Sayed) are common: worth a little less.
            value = rules.SIM_SKELETON_LATIN if len(sa) >= 3 else rules.SIM_SKELETON_SHORT
            if value > best:
                best, rule = value, "consonant skeleton"
    return best, rule


def _vowel_conflict(a: Part, b: Part, alternative: bool) -> bool:
    """An Arabic-script part and a Latin one whose long vowels disagree (:mod:`.vowels`)."""
    if a.arabic == b.arabic:
        return False
    arabic, latin = (a, b) if a.arabic else (b, a)
    return long_vowels(arabic, latin, alternative)[0] > 0


def _skeleton_sim(sk: str) -> float:
    # Fewer than three consonants match many names by skeleton alone: weak evidence.
    if len(sk) >= 3:
        return rules.SIM_SKELETON
    return rules.SIM_SKELETON_TWO if len(sk) == 2 else rules.SIM_SKELETON_ONE


def _information(pa: Part, pb: Part, sim: float, rule: str) -> float:
    """Information a well-matched pair carries: its weight, capped for short skeletons."""
    if sim < rules.SIM_WEAK:
        return 0.0
    weight = (pa.weight + pb.weight) / 2
    if rule.startswith("consonant skeleton"):
        n = min(len(pa.skeleton), len(pb.skeleton))
        if pa.arabic != pb.arabic:
            # Long vowels written on both sides say as much as consonants (:mod:`.vowels`).
            arabic, latin = (pa, pb) if pa.arabic else (pb, pa)
            n += long_vowels(arabic, latin, "other" in rule)[1]
        elif not pa.arabic:
            n -= 1  # two Latin spellings that agree only on consonants disagree on vowels
    else:  # spelt alike: the vowels count too, so length is what limits the information
        n = min(len(pa.text), len(pb.text)) - 1
    if n < 3:
        weight = min(weight, rules.INFO_SHORT_SKELETON[max(n, 1)])
    return weight


Memo = dict[Part, dict[Part, tuple[float, str]]]
Pairs = list[tuple[int, int, float, str]]


def _sim(memo: Memo | None, pa: Part, pb: Part) -> tuple[float, str]:
    if memo is None:
        return part_similarity(pa, pb)
    row = memo.setdefault(pa, {})
    found = row.get(pb)
    if found is None:
        found = row[pb] = part_similarity(pa, pb)
    return found


def _pair(
    a: tuple[Part, ...], b: tuple[Part, ...], memo: Memo | None
) -> tuple[float, float, Pairs]:
    """(name score, information of the well-matched pairs, pairs) for one split of each name."""
    candidates: list[tuple[float, str, str, int, int, str]] = []
    floor = rules.SIM_FLOOR
    for i, pa in enumerate(a):
        ta = pa.text
        # The memo row of this part, looked up once (the hot loop of screening).
        row = None if memo is None else memo.setdefault(pa, {})
        for j, pb in enumerate(b):
            if row is None:
                sim, rule = part_similarity(pa, pb)
            else:
                found = row.get(pb)
                if found is None:
                    found = row[pb] = part_similarity(pa, pb)
                sim, rule = found
            if sim >= floor:
                tb = pb.text
                lo, hi = (ta, tb) if ta < tb else (tb, ta)
                candidates.append((-sim, lo, hi, i, j, rule))
    if not candidates:
        return 0.0, 0.0, []
    if len(candidates) > 1:
        candidates.sort(key=_TIE_KEY)
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: Pairs = []
    matched_a = matched_b = info = 0.0
    weak, weak_credit, initial_weight = rules.SIM_WEAK, rules.WEAK_PAIR_CREDIT, rules.INITIAL_WEIGHT
    for neg, _lo, _hi, i, j, rule in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        sim = -neg
        pairs.append((i, j, sim, rule))
        pa, pb = a[i], b[j]
        # A poorly matched pair is closer to a contradiction than to half a match.
        if sim >= weak:
            credit = sim
            info += _information(pa, pb, sim, rule)
        else:
            credit = sim * weak_credit
        if pa.initial or pb.initial:
            credit *= initial_weight
        # Each name's coverage counts its own parts' weights: a rare part matched by a part
        # the other side calls a given name still covers the rare part fully.
        matched_a += credit * pa.weight
        matched_b += credit * pb.weight
    cover_a = matched_a / _total_weight(a)
    cover_b = matched_b / _total_weight(b)
    high, low = (cover_a, cover_b) if cover_a > cover_b else (cover_b, cover_a)
    score = rules.COVERAGE_SHORT_WEIGHT * high + rules.COVERAGE_LONG_WEIGHT * low
    if len(a) == 1 and len(b) == 1:
        informative = info >= rules.INFO_MONONYM
        score = min(score, rules.MONONYM_CAP if informative else rules.MONONYM_WEAK_CAP)
    elif len(a) == 1 or len(b) == 1:
        score = min(score, rules.SINGLE_PART_CAP)
    elif (
        # The cap changes nothing below it, and no name needs more than _MOST_INFO_NEEDED.
        score > rules.LOW_INFORMATION_CAP
        and info < _MOST_INFO_NEEDED
        and info < information_needed(a, b, pairs)
    ):
        score = rules.LOW_INFORMATION_CAP
    return min(score, 1.0), info, pairs


_MOST_INFO_NEEDED = rules.INFO_MIN + rules.INFO_PER_EXTRA_PART * rules.INFO_EXTRA_PARTS_MAX


def information_needed(a: tuple[Part, ...], b: tuple[Part, ...], pairs: Pairs) -> float:
    """Information a name match must carry: more when rare parts stay unmatched.

    A rare part (weight 1, e.g. a family name) that is unpaired or poorly paired is an extra
    part; the matched parts must then say more to outweigh it (a listed name inside a longer
    one, or two names that agree only on given names)."""
    good_a = {i for i, _, sim, _ in pairs if sim >= rules.SIM_WEAK}
    good_b = {j for _, j, sim, _ in pairs if sim >= rules.SIM_WEAK}
    extra = sum(p.weight == 1.0 and not p.initial and k not in good_a for k, p in enumerate(a))
    extra += sum(p.weight == 1.0 and not p.initial and k not in good_b for k, p in enumerate(b))
    return rules.INFO_MIN + rules.INFO_PER_EXTRA_PART * min(extra, rules.INFO_EXTRA_PARTS_MAX)


def pair_parts(
    a: tuple[Part, ...], b: tuple[Part, ...], memo: Memo | None = None
) -> tuple[float, list[tuple[int, int, float, str]]]:
    """Pair name parts one to one, best pairs first; returns the name score and the pairs.

    Ties are broken on the parts' text, never on their position, so that swapping the two
    names gives the same pairs. ``memo`` caches part similarities across the candidates of
    one query (parts are shared objects, so many candidates reuse the same ones). Two adjacent
    parts written as one on the other side ("Hasan Ali" ~ حسنعلی, "Sa Edi" ~ "Saedi") are
    also tried merged; the pair indices then refer to the first of the two.
    """
    score, _, pairs, _, _ = best_pairing(a, b, memo)
    return score, pairs


def best_pairing(
    a: tuple[Part, ...], b: tuple[Part, ...], memo: Memo | None = None
) -> tuple[float, float, Pairs, tuple[Part, ...], tuple[Part, ...]]:
    """Like :func:`pair_parts`, with the information and the (possibly merged) parts used."""
    if not a or not b:
        return 0.0, 0.0, [], a, b
    score, info, pairs = _pair(a, b, memo)
    best = (score, info, pairs, a, b)
    if score >= rules.MERGE_TRY_BELOW:
        return best
    for side_is_a in (True, False):
        side, other = (a, b) if side_is_a else (b, a)
        if len(side) < 2:
            continue
        # Only merges whose skeleton is one of the other name's (cheap set test first).
        for i, merged in merge_options(side, other):
            if not any(_sim(memo, merged, o)[0] >= rules.SIM_MERGE for o in other):
                continue
            new_side = (*side[:i], merged, *side[i + 2 :])
            na, nb = (new_side, b) if side_is_a else (a, new_side)
            s2, i2, p2 = _pair(na, nb, memo)
            if s2 > best[0]:
                best = (s2, i2, p2, na, nb)
    return best


_TIE_KEY = itemgetter(0, 1, 2)


def _total_weight(parts: tuple[Part, ...]) -> float:
    total = 0.0
    for p in parts:
        total += p.weight * (rules.INITIAL_WEIGHT if p.initial else 1.0)
    return total


_DOC_DELTA = {"exact": rules.DOCUMENT_EXACT, "OCR confusion": rules.DOCUMENT_OCR}


def _label(flag: bool | None) -> str:
    return "unknown" if flag is None else ("same" if flag else "conflict")


# The most the other features can add: a name score below threshold minus this cannot pass.
MAX_EVIDENCE = rules.DOB_EXACT + rules.DOCUMENT_EXACT + rules.NATIONALITY_MATCH


def _most_evidence(a: Features, b: Features) -> float:
    """The most that dates, documents and nationality can add for this pair: only what both
    sides give can agree (a shortcut for screening, exact: the other features only remove)."""
    most = 0.0
    if a.dates_of_birth and b.dates_of_birth:
        most += rules.DOB_EXACT
    if len(a.document) >= 4 and len(b.document) >= 4:
        most += rules.DOCUMENT_EXACT
    if a.nationality and b.nationality:
        most += rules.NATIONALITY_MATCH
    return most


def compare(
    a: Features, b: Features, memo: Memo | None = None, floor: float = 0.0
) -> tuple[float, Explanation | None]:
    """Score record ``a`` against entry ``b`` and explain it (symmetric in score).

    With ``floor`` > 0, a pair that cannot reach it returns no explanation (a shortcut for
    screening): its name score when the name alone rules it out, else its score.
    """
    name_score, info, pairs, parts_a, parts_b = best_pairing(a.parts, b.parts, memo)
    if floor > 0.0 and name_score + _most_evidence(a, b) < floor:
        return name_score, None
    dob, dob_delta = compare_birth_dates(a.dates_of_birth, b.dates_of_birth)
    doc = compare_documents(a.document, a.document_country, b.document, b.document_country)
    gender = None if a.gender is None or b.gender is None else a.gender == b.gender
    nationality = same_country(a.nationality, b.nationality)
    adjustments = structure(parts_a, parts_b, pairs)
    if dob != "unknown":
        adjustments.append((f"date of birth {dob}", dob_delta))
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
    swapped = any({parts_a[i].role, parts_b[j].role} == {"given", "family"} for i, j, _, _ in pairs)
    explanation = Explanation(
        name_score=name_score,
        pairs=tuple(
            NamePair(parts_a[i].original, parts_b[j].original, s, r) for i, j, s, r in pairs
        ),
        unpaired_record=tuple(p.original for k, p in enumerate(parts_a) if k not in paired_a),
        unpaired_entry=tuple(p.original for k, p in enumerate(parts_b) if k not in paired_b),
        order_swapped=swapped,
        date_of_birth=dob,
        document=doc,
        gender=_label(gender),
        nationality=_label(nationality),
        adjustments=tuple(adjustments),
        evidence=_evidence(parts_a, parts_b, pairs, info),
    )
    return score, explanation


def _kind(p: Part) -> str:
    if p.weight == rules.WEIGHT_PATRONYMIC:
        return "patronymic"
    return "common given name" if p.weight == rules.WEIGHT_GIVEN_NAME else "rare part"


def _evidence(a: tuple[Part, ...], b: tuple[Part, ...], pairs: Pairs, info: float) -> str:
    """Which name evidence carried the score, in words (strongest pair first)."""
    ranked = sorted(
        ((_information(a[i], b[j], s, r), a[i], b[j]) for i, j, s, r in pairs),
        key=lambda x: -x[0],
    )
    strong = [f"{pa.original}~{pb.original} ({_kind(pb)})" for w, pa, pb in ranked if w > 0]
    text = "carried by " + (", ".join(strong) if strong else "no well-matched part")
    text += f" (information {info:.2f})"
    if len(a) > 1 and len(b) > 1 and info < information_needed(a, b, pairs):
        text += f"; too little information: name capped at {rules.LOW_INFORMATION_CAP:.2f}"
    return text


def explain(a: Features, b: Features) -> tuple[float, Explanation]:
    """Score and explanation, always both."""
    value, explanation = compare(a, b)
    assert explanation is not None
    return value, explanation
