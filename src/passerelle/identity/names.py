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
from dataclasses import dataclass, replace
from functools import lru_cache

from passerelle.identity import rules
from passerelle.identity.reference import is_common_given_name
from passerelle.identity.transliteration import fold_arabic_alternative, fold_part, is_cyrillic
from passerelle.identity.variants import (
    finish_skeleton,
    phonetic_key,
    skeleton,
    skeleton_from_latin,
)

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
# Optional particles that never end a name: found last, the name was re-ordered (the Arabic
# nasab "bin X", "ould X"; Dutch/German "van X"). Short particles that are also names
# elsewhere ("de", "le", "da": Chinese, Vietnamese) are not among them.
TRAILING_PARTICLES = frozenset(
    {"ben", "bin", "ibn", "bent", "bint", "ould", "ait", "van", "von", "vanden", "vander"}
)
# Prefixes that form one name with the next part: "Abd" (servant of), "Abu" (father of).
JOINING_PARTICLES = frozenset(
    {"abd", "abdel", "abdul", "abdal", "abdoul", "abdou", "abu", "abou", "abo", "bou"}
)
# The Arabic article written as a separate part ("ud" as in "Shams ud Din").
ARTICLES = frozenset({"al", "el", "ul", "ud"})
# Second elements of Arabic compound names, written joined or apart on either side
# ("Rahmatullah", "Rahmat Ullah", رحمت الله; "Nuruddin", "Nur al-Din", نور الدين): a separate
# one is joined to the part before it, so that both spellings give one part.
COMPOUND_ENDINGS = frozenset(
    {"allah", "ullah", "ulla", "ollah", "olla", "alla", "illah", "din", "deen", "dine",
     "eddin", "eddine", "uddin", "uddine", "addin", "iddin", "aldin", "eldin", "uldin",
     "aldeen", "eldeen", "uldeen"}
)  # fmt: skip
_ARABIC_COMPOUND_ENDINGS = frozenset({"lh", "dn"})  # الله, الدين once the article is gone
# Turkic patronymic markers written after the father's name ("Kamal oglu", "Камал оглы",
# "Amir kyzy"): the marker is dropped and the part before it is a patronymic.
TURKIC_PATRONYMIC_MARKERS = frozenset(
    {"oglu", "ogly", "ogli", "oghlu", "ugli", "uly", "uulu", "kyzy", "kizi", "qizi", "gizi",
     "kyzi", "qyzy"}
)  # fmt: skip
# East Slavic patronymics (Sergeevich, Sergueïevitch, Sergejewitsch, Sergeevna, Belarusian
# -avich, Ukrainian -ovych/-ivna).
_PATRONYMIC = re.compile(r"(?:ich|itch|itsch|ych|vna|wna|ichna)$")
TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "mme", "mlle", "prof", "sir", "herr", "frau", "dhr", "mevr", "me"}
)
# Arabic-script particles folded to consonants: بن/ابن → "bn", بنت → "bnt", ولد → "ld",
# عبد → "bd", أبو → "b", and the family prefix آل → "l".
_ARABIC_OPTIONAL = frozenset({"bn", "bnt", "ld"})
# عبد and أبو as written: other words fold to the same consonants (ایوب, عبيد).
_ARABIC_JOINING_FORMS = frozenset({"عبد", "أبو", "ابو", "آبو", "أبي", "ابي", "ابی"})
_ARABIC_ARTICLES = frozenset({"l"})
_ARABIC_ARTICLE = "ال"
_INNER_DIN = re.compile(r"(?<=.)ال(?=د[يی]ن$)")
_LATIN_INNER_DIN = re.compile(r"(?<=[a-z]{3})[aeu]l(?=dd?(?:i|ee)n$)")
_LATIN_ARTICLE_DIN = re.compile(r"^[aeu]l(?=d)")
_ARABIC_ARTICLE_FORMS = frozenset({"ال", "آل", "أل", "اَل"})


def _is_compound_ending(raw: str, text: str, arabic: bool) -> bool:
    if arabic:
        return text in _ARABIC_COMPOUND_ENDINGS and raw.startswith(_ARABIC_ARTICLE)
    return text in COMPOUND_ENDINGS


_SPLIT = re.compile(r"[\s\u200c\-‐‑‒–—_.,;:/'’`´\"()\[\]{}<>+*&|\\!?@#%=~^$0-9]+")
# An apostrophe after the French/Irish elided particles d', l', O' separates words
# (d'Alembert, L'Hermite, O'Brien); elsewhere it marks a sound inside one name (ʿayn or hamza:
# Sa'ad, S'di; N'Diaye) and is dropped.
_ELISION = re.compile(r"(?:(?<=^)|(?<=[\s\-]))([dDlLoO])['’ʼ`´](?=\w)")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’ʼ`´](?=\w)")


# Distinct tokens and names of a 1,000,000-entry watchlist (about 100,000 tokens, 280,000
# given-name and family-name strings) fit these caches: a smaller cache is emptied and
# refilled in turn while the index is built.
_TOKEN_CACHE = 1 << 18


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
    weight: float = 1.0  # information carried (rules.WEIGHT_*): a given name says less


def _alternative_skeleton(original: str) -> str:
    words = [w[2:] if w.startswith(_ARABIC_ARTICLE) and len(w) > 3 else w for w in original.split()]
    alternatives = [fold_arabic_alternative(w) for w in words]
    if not any(alternatives):
        return ""
    consonants = "".join(alt or _fold(w)[0] for alt, w in zip(alternatives, words, strict=True))
    return finish_skeleton(consonants)


def is_patronymic(text: str) -> bool:
    """An East Slavic patronymic, by its ending (folded Latin text)."""
    return len(text) >= 7 and _PATRONYMIC.search(text) is not None


def _weight(text: str, key: str, sk: str, arabic: bool, patronymic: bool) -> float:
    if patronymic or (not arabic and is_patronymic(text)):
        return rules.WEIGHT_PATRONYMIC
    if is_common_given_name(key, sk, arabic):
        return rules.WEIGHT_GIVEN_NAME
    return 1.0


def _part(
    text: str,
    core: str,
    arabic: bool,
    initial: bool,
    role: str,
    original: str,
    patronymic: bool = False,
    pieces: tuple[str, ...] = (),
) -> Part:
    key = "" if arabic else phonetic_key(text)
    # A part joined from pieces ("Abd" + "Hakim") takes its skeleton piece by piece, so
    # that letters meeting at the join ("d" + "h") are not read as one digraph ("dh").
    sk = skeleton(" ".join(pieces) if len(pieces) > 1 else text, arabic)
    alt = _alternative_skeleton(original) if arabic else _latin_alternative(text, sk, original)
    weight = _weight(text, key, sk, arabic, patronymic)
    return Part(
        text, core, arabic, initial, role, original, key, sk, "" if alt == sk else alt, weight
    )


@lru_cache(maxsize=_TOKEN_CACHE)
def _cyrillic(raw: str) -> bool:
    # Cached: the scorer asks it of the same parts for every candidate of a query.
    return any(is_cyrillic(ch) for ch in raw)


def is_cyrillic_part(part: Part) -> bool:
    """The part was written in Cyrillic script (its second skeleton is a Slavic spelling)."""
    return bool(part.skeleton_alt) and not part.arabic and _cyrillic(part.original)


def _latin_alternative(text: str, sk: str, original: str = "") -> str:
    if original and _cyrillic(original):
        # Ukrainian and Belarusian write г as "h" (Heorhii, Aleh) and ў as "w"/"v" where
        # Russian-based spellings have "g" and "v" (ICAO folds ў to "u").
        low = original.casefold()
        if "г" in low or "ў" in low:
            alt = fold_part(low.replace("г", "х").replace("ў", "в"))[0].replace("kh", "h")
            return skeleton_from_latin(alt)
        return ""
    # Persian و is written "v" (Darvishi, Vakili) where Arabic skeletons drop it as a vowel
    # letter; Belarusian ў is written "w"/"u". The skeleton without that "v" is the other one.
    if "v" not in text or "f" not in sk:
        return ""
    return skeleton_from_latin(text.replace("v", ""))


def _raw_tokens(name: str) -> list[str]:
    # NFKC so full-width and compatibility forms split like their plain equivalents.
    text = unicodedata.normalize("NFKC", name)
    text = _INNER_APOSTROPHE.sub("", _ELISION.sub(r"\1 ", text))
    return [t[: rules.MAX_PART_LENGTH] for t in _SPLIT.split(text) if t]


@lru_cache(maxsize=_TOKEN_CACHE)
def _fold(token: str) -> tuple[str, bool]:
    if token.startswith(_ARABIC_ARTICLE) and len(token) > 3:
        token = token[2:]
    # "X الدين" written as one word (نورالدين): Latin spellings (Nuruddin, Nour Eddine) do not
    # write the article's l, so it is dropped as when the compound is written apart.
    token = _INNER_DIN.sub("", token)
    text, arabic = fold_part(token)
    if not arabic:
        # The same compound written joined in Latin keeps the article ("Nuraldin",
        # "Jalaleldin", "Kamaluldeen"): its l is assimilated in speech and dropped here likewise.
        text = _LATIN_INNER_DIN.sub("", text)
    return text, arabic


@lru_cache(maxsize=1 << 19)
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
        if not last and (
            (text in _ARABIC_ARTICLES and raw in _ARABIC_ARTICLE_FORMS)
            if arabic
            else text in ARTICLES
        ):
            continue  # "al-", "el-", Arabic آل (not علي, which folds alike)
        if parts and not pending and _is_compound_ending(raw, text, arabic):
            prev = parts.pop()
            if not arabic:
                text = _LATIN_ARTICLE_DIN.sub("", text)  # "Nour Eldin" ~ "Nurdin"
            joined = prev.text + text
            parts.append(
                _part(joined, joined, prev.arabic or arabic, False, prev.role,
                      f"{prev.original} {raw}", pieces=(prev.text, text))
            )  # fmt: skip
            continue
        if parts and not pending and not arabic and text in TURKIC_PATRONYMIC_MARKERS:
            prev = parts.pop()
            parts.append(
                _part(prev.text, prev.core, prev.arabic, prev.initial, prev.role,
                      f"{prev.original} {raw}", patronymic=True)
            )  # fmt: skip
            continue
        if not last and (raw in _ARABIC_JOINING_FORMS if arabic else text in JOINING_PARTICLES):
            pending.append((raw, text, arabic))
            joining = True
            continue
        if not last and (
            text in _ARABIC_OPTIONAL
            if arabic
            else text in OPTIONAL_PARTICLES and not _cyrillic(raw)
        ):
            pending.append((raw, text, arabic))
            continue
        if pending:
            pieces = (*(p[1] for p in pending), text)
            joined = "".join(pieces)
            original = " ".join([*(p[0] for p in pending), raw])
            core = joined if joining else text
            is_arabic = arabic or any(p[2] for p in pending)
            parts.append(_part(joined, core, is_arabic, False, role, original, pieces=pieces))
            pending, joining = [], False
            continue
        parts.append(_part(text, text, arabic, len(text) == 1 and not arabic, role, raw))
    if len(parts) > 2 and (_joining(parts[-1]) or parts[-1].text in TRAILING_PARTICLES):
        # "Rahim Karimzadeh, Abd" or "Salem Hamdi Ould": a trailing Abd/Abu or nasab particle
        # cannot end a name; the name was re-ordered and it belongs to the part now first.
        particle, first = parts.pop(), parts[0]
        joined = particle.text + first.text
        core = joined if _joining(particle) else first.text
        parts[0] = _part(joined, core, particle.arabic or first.arabic, False, first.role,
                         f"{particle.original} {first.original}",
                         pieces=(particle.text, first.text))  # fmt: skip
    return tuple(parts[: rules.MAX_NAME_PARTS])


def _joining(part: Part) -> bool:
    if part.arabic:
        return part.original in _ARABIC_JOINING_FORMS
    return part.text in JOINING_PARTICLES


def name_parts(
    full_name: str | None, given_names: str | None, family_name: str | None
) -> tuple[Part, ...]:
    """Parts of a person's name from whichever fields are filled."""
    if given_names or family_name:
        given = split_name(given_names or "", "given")
        family = split_name(family_name or "", "family")
        return (given + family)[: rules.MAX_NAME_PARTS]
    return split_name(full_name or "")


@lru_cache(maxsize=1 << 16)
def merged_skeletons(a: Part, b: Part) -> tuple[str, str]:
    """Skeleton and second skeleton of ``merge_parts(a, b)``, without building the part
    (the scorer tries every adjacent pair of every candidate; few are worth building)."""
    arabic = a.arabic or b.arabic
    sk = skeleton(f"{a.text} {b.text}", arabic)
    original = f"{a.original} {b.original}"
    if arabic:
        alt = _alternative_skeleton(original)
    else:
        alt = _latin_alternative(a.text + b.text, sk, original)
    return sk, "" if alt == sk else alt


@lru_cache(maxsize=1 << 16)
def merge_parts(a: Part, b: Part) -> Part:
    """Two adjacent parts as one ("Hasan" + "Ali" → "hasanali"), for names written joined."""
    text = a.text + b.text
    original = f"{a.original} {b.original}"
    part = _part(text, text, a.arabic or b.arabic, False, a.role, original, pieces=(a.text, b.text))
    # Two given names written as one are still a given name: the pieces' weight, not the
    # whole's (which no reference list knows).
    return replace(part, weight=max(a.weight, b.weight))
