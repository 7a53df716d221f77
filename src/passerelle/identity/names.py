"""Name parts: split a name, fold each part, and join particles the way names are filed.

A name becomes a tuple of :class:`Part`. Particles that belong to the next part are joined
to it and the bare part is kept beside it, so that "Van den Berghe", "Vandenberghe" and
"Berghe" all meet, and "Du Pont" meets "Dupont". Arabic theophoric and kunya prefixes
("Abd", "Abu") are always joined ("Abd al-Rahman" is one name, not "Rahman"). The article
"al-"/"el-" (and Arabic ال) is dropped. Given/family roles are kept so the explanation can say
when the order was swapped, but the comparison itself ignores order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from passerelle.identity import rules
from passerelle.identity.transliteration import fold_arabic_alternative, fold_part
from passerelle.identity.variants import finish_skeleton, phonetic_key, skeleton

# Particles filed together with the next part but optional in practice (the bare part is
# kept as an alternative form). French, Dutch, Spanish, Arabic (Latin and Arabic script).
OPTIONAL_PARTICLES = frozenset(
    {
        "van", "von", "vande", "vanden", "vander", "den", "der", "de", "du", "des", "le",
        "la", "les", "di", "da", "del", "della", "dos", "das", "ter", "ten", "te", "op",
        "het", "mac", "mc", "st", "saint", "sainte", "ben", "bin", "ibn", "bent", "bint",
        "ould", "ait",
    }
)  # fmt: skip
# Prefixes that form one name with the next part: "Abd" (servant of), "Abu" (father of).
JOINING_PARTICLES = frozenset(
    {"abd", "abdel", "abdul", "abdal", "abdoul", "abdou", "abu", "abou", "abo", "bou"}
)
# The Arabic article written as a separate part.
ARTICLES = frozenset({"al", "el", "ul"})
TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "mme", "mlle", "prof", "sir", "herr", "frau", "dhr", "mevr", "me"}
)
# Arabic-script particles folded to consonants: بن/ابن → "bn", بنت → "bnt", ولد → "ld",
# عبد → "bd", أبو → "b", and the family prefix آل → "l".
_ARABIC_OPTIONAL = frozenset({"bn", "bnt", "ld"})
_ARABIC_JOINING = frozenset({"bd", "b"})
_ARABIC_ARTICLES = frozenset({"l"})
_ARABIC_ARTICLE = "ال"

_SPLIT = re.compile(r"[\s\-‐‑‒–—_.,;:/'’`´\"()\[\]{}<>+*&|\\!?@#%=~^$0-9]+")
# An apostrophe after the French/Irish elided particles d', l', O' separates words
# (d'Alembert, L'Hermite, O'Brien); elsewhere it marks a sound inside one name (ʿayn or hamza:
# Sa'ad, S'di; N'Diaye) and is dropped.
_ELISION = re.compile(r"(?:(?<=^)|(?<=[\s\-]))([dDlLoO])['’ʼ`´](?=\w)")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’ʼ`´](?=\w)")


@dataclass(frozen=True, slots=True, eq=False)
class Part:
    """One comparable part of a name (compared by identity: parts are shared via a cache)."""

    text: str  # folded form, particles joined ("vandenberghe")
    core: str  # the part without its optional particles ("berghe"); == text when none
    arabic: bool  # written in Arabic script: compare by consonant skeleton only
    initial: bool  # a single letter ("J.")
    role: str  # "given", "family" or "name" (unknown)
    original: str  # as written, for the explanation
    key: str  # phonetic key (empty for Arabic-script parts)
    skeleton: str  # consonant skeleton, shared by Latin and Arabic script
    skeleton_alt: str  # Arabic script only: skeleton with the other usual spellings, or ""


def _alternative_skeleton(original: str) -> str:
    words = [w[2:] if w.startswith(_ARABIC_ARTICLE) and len(w) > 3 else w for w in original.split()]
    alternatives = [fold_arabic_alternative(w) for w in words]
    if not any(alternatives):
        return ""
    consonants = "".join(alt or _fold(w)[0] for alt, w in zip(alternatives, words, strict=True))
    return finish_skeleton(consonants)


def _part(text: str, core: str, arabic: bool, initial: bool, role: str, original: str) -> Part:
    key = "" if arabic else phonetic_key(text)
    sk = skeleton(text, arabic)
    alt = _alternative_skeleton(original) if arabic else ""
    return Part(text, core, arabic, initial, role, original, key, sk, "" if alt == sk else alt)


def _raw_tokens(name: str) -> list[str]:
    # NFKC so full-width and compatibility forms split like their plain equivalents.
    text = unicodedata.normalize("NFKC", name)
    text = _INNER_APOSTROPHE.sub("", _ELISION.sub(r"\1 ", text))
    return [t[: rules.MAX_PART_LENGTH] for t in _SPLIT.split(text) if t]


@lru_cache(maxsize=1 << 16)
def _fold(token: str) -> tuple[str, bool]:
    if token.startswith(_ARABIC_ARTICLE) and len(token) > 3:
        token = token[2:]
    return fold_part(token)


@lru_cache(maxsize=1 << 18)
def split_name(name: str, role: str = "name") -> tuple[Part, ...]:
    """Split one name string into comparable parts (never raises; may return no parts).

    Cached: given names and family names repeat across a watchlist, and sharing the parts
    saves both time and memory.
    """
    folded = [(raw, *_fold(raw)) for raw in _raw_tokens(name)]
    folded = [f for f in folded if f[1]]
    parts: list[Part] = []
    pending: list[tuple[str, str, bool]] = []  # particles waiting for their part
    joining = False
    for i, (raw, text, arabic) in enumerate(folded):
        last = i == len(folded) - 1
        if not last and (text in TITLES and not arabic and not parts and not pending):
            continue
        if not last and text in (_ARABIC_ARTICLES if arabic else ARTICLES):
            continue  # "al-", "el-", Arabic آل
        if not last and (text in JOINING_PARTICLES if not arabic else text in _ARABIC_JOINING):
            pending.append((raw, text, arabic))
            joining = True
            continue
        if not last and (text in OPTIONAL_PARTICLES if not arabic else text in _ARABIC_OPTIONAL):
            pending.append((raw, text, arabic))
            continue
        if pending:
            joined = "".join(p[1] for p in pending) + text
            original = " ".join([*(p[0] for p in pending), raw])
            core = joined if joining else text
            is_arabic = arabic or any(p[2] for p in pending)
            parts.append(_part(joined, core, is_arabic, False, role, original))
            pending, joining = [], False
            continue
        parts.append(_part(text, text, arabic, len(text) == 1 and not arabic, role, raw))
    return tuple(parts[: rules.MAX_NAME_PARTS])


def name_parts(
    full_name: str | None, given_names: str | None, family_name: str | None
) -> tuple[Part, ...]:
    """Parts of a person's name from whichever fields are filled."""
    if given_names or family_name:
        given = split_name(given_names or "", "given")
        family = split_name(family_name or "", "family")
        return (given + family)[: rules.MAX_NAME_PARTS]
    return split_name(full_name or "")
