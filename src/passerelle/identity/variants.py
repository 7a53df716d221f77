"""Spelling keys: a phonetic key for Latin spellings and a consonant skeleton across scripts.

Both are the engine's own rules (no third-party name-equivalence table). They work on the
lower-case ASCII produced by :mod:`passerelle.identity.transliteration`.

``phonetic_key`` merges the spellings that French, Dutch and the common romanisations of
Russian produce for the same sound: ``y``/``ij``/``i``; ``ou``/``oe``/``oo``/``u``;
``ph``/``f``; ``c``/``k``/``q``/``ck``; ``sh``/``ch``/``sch``/``tch``; ``kh``/``h``; ``ts``/``tz``;
``zh``/``j``; ``ks``/``x``; final ``-v``/``-ff``/``-w`` (Ivanov, Ivanoff, Iwanow); final
devoicing ``-d``/``-dt``/``-t`` (Dutch); a mute final ``-e`` (French); doubled letters.

``skeleton`` keeps only consonant classes, because Arabic script writes no short vowels: a
Latin spelling (Mohamed, Muhammad, Mouhamed) and the Arabic letters (محمد) give the same
``mhmd``. Classes: kh → x; j/g/gh/dj → j; sh/ch/s/ç → s; th/t → t; dh/d → d; q/k/c → k;
f/v/ph → f; vowels, y, w and a final h are dropped; doubled consonants collapse.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Ordered rewrite rules for the phonetic key (longest patterns first where they overlap).
_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^ye", "e"),  # BGN "Yevgeniy" ~ ICAO "Evgenii"
        (r"^ya", "ia"),
        (r"^yu", "iu"),
        (r"ij", "i"),
        (r"y", "i"),
        (r"ph", "f"),
        (r"gu(?=[ei])", "g"),  # French "Sergueï"
        (r"qu", "k"),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c(?!h)", "k"),
        (r"q", "k"),
        (r"(?:t?sch|tch|shch|sh|ch)", "c"),  # "c" now only ever stands for the sh/ch class
        (r"kh", "h"),
        (r"dj", "j"),
        (r"zh", "j"),
        (r"(?:ts|tz)", "z"),
        (r"ks", "x"),
        (r"th", "t"),
        (r"(?:eau|au)", "o"),
        (r"(?:ou|oe|oo)", "u"),
        (r"(?:ae|aa)", "a"),
        (r"ee", "e"),
        (r"w", "v"),
        (r"(?:ff|v)$", "f"),
        (r"dt$", "t"),
        (r"d$", "t"),
        (r"(?<=...)e$", ""),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=1 << 17)
def phonetic_key(text: str) -> str:
    """Phonetic key of a folded Latin name part (empty for an empty part)."""
    key = text
    for pattern, repl in _KEY_RULES:
        key = pattern.sub(repl, key)
    return key


_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"kh", "X"),
        (r"(?:gh|dj|g)", "j"),
        (r"(?:t?sch|tch|sh|ch|ç)", "s"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"ph", "f"),
        (r"(?:ck|qu|q|c)", "k"),
        (r"x", "ks"),  # Latin x (Alexandre) = ks; Arabic kh arrives here already as "x"
        (r"v", "f"),
        (r"[aeiouyw]", ""),
    )
)

# The rules that reduce a folded Latin part to consonants, the last one dropping the vowels
# (:mod:`passerelle.identity.vowels` applies all but that one).
LATIN_SKELETON_RULES = _SKELETON_RULES

_ABD_ARTICLE = re.compile(r"^bdl(?=[^h])")


def skeleton_from_latin(text: str) -> str:
    """Consonant skeleton of a folded Latin name part."""
    s = text
    for pattern, repl in _SKELETON_RULES:
        s = pattern.sub(repl, s)
    return finish_skeleton(s.lower())


@lru_cache(maxsize=1 << 17)
def finish_skeleton(consonants: str) -> str:
    """Shared tail of the skeleton rules for Latin and Arabic-script parts."""
    s = re.sub(r"(.)\1+", r"\1", consonants.replace(" ", ""))
    if len(s) > 1 and s.endswith("h"):
        s = s[:-1]  # Fatima/Fatimah, tāʾ marbūṭa
    if len(s) >= 4:
        # "Abd al-Qadir", "Abdelkader", عبد القادر: the article after Abd is often not written.
        s = _ABD_ARTICLE.sub("bd", s)
    return s


@lru_cache(maxsize=1 << 17)
def skeleton(text: str, arabic: bool) -> str:
    """Consonant skeleton of a folded name part (Arabic parts are consonants already)."""
    if arabic:
        return finish_skeleton(text)
    # "x" in an Arabic-derived consonant string is kh; in Latin it is "ks" (handled above).
    return skeleton_from_latin(text)
