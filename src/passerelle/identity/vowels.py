"""Long vowels: what Arabic script writes beside the consonants, held against a Latin spelling.

Arabic script leaves short vowels unwritten but writes long ones: و is ū/ō (or the consonant w),
ي and Persian ی are ī/ē (or y), and a word that starts with a vowel starts with a letter for
it (ا أ إ آ ع …). A Latin spelling of the same name writes a vowel where the long vowel stands:
a synthetic محمود is "Mahmoud" or "Mahmud", never "Mohamed", although all three share the
consonants m-h-m-d. Held against each other, the consonant skeleton and the vowels between
its consonants ("gaps") tell:

* a **conflict** — a gap where the Arabic spelling writes و and the Latin one writes another
  vowel than o, u, w or v; or ي/ی and another vowel than i, e or y (a final Persian ی may also
  be ā, as in Arabic loanwords ending in alif maqṣūra; a final vowel left out is no conflict:
  lists drop a nisba's -i); or a Latin doubled vowel ("oo", "ee", the English-style long vowel)
  where the Arabic spelling writes none; or a Latin name starting with a vowel where the Arabic
  word starts with a consonant (the article's vowel counts: "Azzahrani" ~ الزهراني);
* an **agreement** — a gap where the written long vowel (ا as a, و, ي) is written in Latin too:
  such a gap says as much as a consonant about which name it is, so a short skeleton with
  agreeing long vowels ("Daoudi" ~ داودي) carries more information than its consonants alone.

The gaps are aligned on the same rules that build the skeleton
(:mod:`passerelle.identity.variants`); when they cannot be aligned, nothing is said.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from passerelle.identity.transliteration import (
    ARABIC_ALTERNATIVES,
    ARABIC_CONSONANTS,
    is_arabic,
)
from passerelle.identity.variants import LATIN_SKELETON_RULES

if TYPE_CHECKING:
    from passerelle.identity.names import Part

# Arabic-script letters that write a vowel: markers used in the gaps.
# w: و (ū, ō, w); y: ي (ī, ē, y); Y: Persian ی (also ā at the end); a: alif forms and alif
# maqṣūra (ā); e: ʿayn and hamza seats (a vowel-bearing onset, no vowel quality said).
_VOWEL_LETTERS = {
    "و": "w", "ؤ": "e", "ي": "y", "ی": "Y", "ئ": "e", "ى": "a", "ا": "a", "أ": "a", "إ": "a",
    "آ": "a", "ٱ": "a", "ع": "e", "ء": "e",
}  # fmt: skip
_ARTICLE = "ال"
_INNER_DIN = re.compile(r"(?<=.)ال(?=د[يی]ن$)")
_LATIN_VOWELS = frozenset("aeiouyw")

Frame = tuple[str, tuple[str, ...]]  # (consonants, gaps: len(consonants) + 1 strings)


def _frame(tokens: list[tuple[bool, str]]) -> Frame:
    """Consonants and the gaps between them, collapsed as the skeleton rules collapse them."""
    cons: list[str] = []
    gaps = [""]
    for vowel, ch in tokens:
        if vowel:
            gaps[-1] += ch
        elif not cons or cons[-1] != ch:  # doubled consonants collapse, across vowels too
            cons.append(ch)
            gaps.append("")
    if len(cons) > 1 and cons[-1] == "h":  # a final h is dropped (tāʾ marbūṭa, Fatimah)
        cons.pop()
        last = gaps.pop()
        gaps[-1] += last
    if len(cons) >= 4 and cons[:3] == ["b", "d", "l"] and cons[3] != "h":  # Abd al-X
        del cons[2]
        gaps[2:4] = [gaps[2] + gaps[3]]
    return "".join(cons), tuple(gaps)


@lru_cache(maxsize=1 << 16)
def arabic_frame(original: str, alternative: bool = False) -> Frame:
    """Frame of an Arabic-script part as written (``alternative``: ق/خ/ظ/ض/ذ/ث's other spelling)."""
    tokens: list[tuple[bool, str]] = []
    for word in unicodedata.normalize("NFKC", original).split():
        if word.startswith(_ARTICLE) and len(word) > 3:
            word = word[2:]
            tokens.append((True, "a"))  # the article's vowel: "Az-Zahrani", "Ar-Rahman"
        for ch in _INNER_DIN.sub("", word):
            if not is_arabic(ch):
                continue
            if ch in _VOWEL_LETTERS:
                tokens.append((True, _VOWEL_LETTERS[ch]))
                continue
            cls = ARABIC_ALTERNATIVES.get(ch, "") if alternative else ""
            cls = cls or ARABIC_CONSONANTS.get(ch, "")
            if cls:
                tokens.append((False, cls))
    return _frame(tokens)


@lru_cache(maxsize=1 << 16)
def latin_frame(text: str) -> Frame:
    """Frame of a folded Latin part; a "v" also counts as a w-vowel (Persian و: Tevfik)."""
    s = text.replace("v", "wv")
    for pattern, repl in LATIN_SKELETON_RULES[:-1]:  # every rule but the removal of vowels
        s = pattern.sub(repl, s)
    return _frame([(ch in _LATIN_VOWELS, ch) for ch in s.lower()])


def _conflict(marks: str, latin: str, final: bool) -> bool:
    if final and not latin:
        return False  # a final long vowel left out ("Hatef" for a nisba "-i"): no conflict
    if "w" in marks and not any(c in latin for c in "ouw"):
        return True
    if "y" in marks or "Y" in marks:
        allowed = "iey" + ("a" if final and "Y" in marks and "y" not in marks else "")
        if not any(c in latin for c in allowed):
            return True
    # A doubled Latin vowel ("oo", "ee") writes a long vowel the Arabic spelling does not have.
    return not marks and ("oo" in latin or "ee" in latin)


def _agrees(marks: str, latin: str) -> bool:
    return (
        ("w" in marks and any(c in latin for c in "ouw"))
        or (("y" in marks or "Y" in marks) and any(c in latin for c in "iey"))
        or ("a" in marks and "a" in latin)
    )


@lru_cache(maxsize=1 << 16)
def long_vowels(arabic: Part, latin: Part, alternative: bool = False) -> tuple[int, int]:
    """(conflicts, agreements) between an Arabic-script part and a Latin one; (0, 0) unaligned."""
    sk_a, gaps_a = arabic_frame(arabic.original, alternative)
    sk_l, gaps_l = latin_frame(latin.text)
    if sk_a != sk_l or not sk_a:
        return 0, 0
    last = len(gaps_a) - 1
    conflicts = sum(
        _conflict(m, g, k == last) for k, (m, g) in enumerate(zip(gaps_a, gaps_l, strict=True))
    )
    if gaps_l[0][:1] in ("a", "e", "i", "o", "u") and not gaps_a[0]:
        conflicts += 1  # Latin starts with a vowel, the Arabic word with a consonant
    agreements = sum(_agrees(m, g) for m, g in zip(gaps_a, gaps_l, strict=True))
    return conflicts, agreements
