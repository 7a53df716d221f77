"""Romanise synthetic names the way different officials and systems do, for evaluation.

This is deliberately *not* the identity engine's code: it spells Arabic and Cyrillic names
with several real conventions chosen at random per name, so an evaluation measures whether
the engine copes with the spellings found on real lists. Arabic has no written short vowels,
so vowels are inserted as a clerk would hear them (randomly a/e/i/o/ou/u); consonants use the
English, French or Maghrebi habit (ش sh/ch, ج j/dj/g, ق q/k/g, ث th/t/s, ذ dh/z/d …).
Cyrillic uses ICAO 9303, BGN/PCGN, French or German conventions.
"""

from __future__ import annotations

import random

_AR_CONSONANTS: dict[str, tuple[str, ...]] = {
    "ب": ("b",), "ت": ("t",), "ث": ("th", "t", "s"), "ج": ("j", "dj", "g"),
    "ح": ("h",), "خ": ("kh", "kh", "h"), "د": ("d",), "ذ": ("dh", "z", "d"), "ر": ("r",),
    "ز": ("z",), "س": ("s", "ss"), "ش": ("sh", "ch"), "ص": ("s",), "ض": ("d", "dh"),
    "ط": ("t",), "ظ": ("z", "dh"), "غ": ("gh",), "ف": ("f",), "ق": ("q", "k", "g"),
    "ك": ("k",), "ل": ("l",), "م": ("m",), "ن": ("n",), "ه": ("h",), "ء": ("",),
    "ئ": ("",), "ؤ": ("",), "ع": ("", "a", "'"), "پ": ("p",), "چ": ("ch",), "گ": ("g",),
    "ڤ": ("v",), "ژ": ("j",), "ک": ("k",),
}  # fmt: skip
_AR_LONG = {"ا": ("a", "a", "e"), "أ": ("a",), "إ": ("i", "e"), "آ": ("a",), "ى": ("a",),
            "و": ("ou", "u", "o"), "ي": ("i", "ee", "y", "i"), "ة": ("a", "ah", "a")}  # fmt: skip
_AR_HARAKAT = {"\u064e": ("a",), "\u064f": ("u", "ou", "o"), "\u0650": ("i", "e")}
_SHORT_VOWELS = ("a", "a", "e", "i", "ou", "u", "o")


def _arabic_word(word: str, rng: random.Random) -> str:
    out: list[str] = []
    prev_consonant = False
    letters = [c for c in word if c not in "\u0652\u0640"]  # sukun, tatweel
    for i, ch in enumerate(letters):
        if ch in _AR_HARAKAT:
            out.append(rng.choice(_AR_HARAKAT[ch]))
            prev_consonant = False
        elif ch == "\u0651" and out:  # shadda: doubled consonant
            out.append(out[-1][-1:])
        elif ch in ("و", "ي") and (i == 0 or not prev_consonant):
            out.append("w" if ch == "و" else "y")  # consonantal w/y at a syllable start
            prev_consonant = True
        elif ch in _AR_LONG:
            out.append(rng.choice(_AR_LONG[ch]))
            prev_consonant = False
        elif ch in _AR_CONSONANTS:
            nxt = letters[i + 1] if i + 1 < len(letters) else ""
            if prev_consonant and rng.random() < 0.8:
                out.append(rng.choice(_SHORT_VOWELS))
            options = _AR_CONSONANTS[ch]
            out.append(options[0] if i == 0 else rng.choice(options))
            prev_consonant = nxt not in _AR_HARAKAT
        elif ch.isalpha():
            out.append(ch)
    text = "".join(out)
    return text[:1].upper() + text[1:]


def romanise_arabic(name: str, rng: random.Random) -> str:
    """A Latin spelling of an Arabic-script name, articles written al-/el-/joined at random."""
    words: list[str] = []
    for word in name.split():
        article = ""
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
            article = rng.choice(("Al-", "El-", "al-", "El ", "Al ", ""))
        if word == "عبد" or word.startswith("عبد"):
            rest = word[3:]
            head = rng.choice(("Abd", "Abdel", "Abdul", "Abd el-", "Abdal"))
            words.append(head + (_arabic_word(rest, rng).lower() if rest else ""))
            continue
        words.append(article + _arabic_word(word, rng))
    return " ".join(words).replace("- ", "-")


_CY_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "є": "ie", "і": "i", "ї": "i", "ґ": "g",
}  # fmt: skip
# fmt: off
_CY_SYSTEMS: dict[str, dict[str, str]] = {
    "icao": {},
    "bgn": {"й": "y", "ъ": "", "ю": "yu", "я": "ya", "ё": "yo", "є": "ye", "ї": "yi"},
    "french": {
        "ж": "j",
        "й": "ï",
        "ч": "tch",
        "ш": "ch",
        "щ": "chtch",
        "у": "ou",
        "ю": "iou",
        "я": "ia",
        "ъ": "",
        "х": "kh",
        "ё": "io",
    },
    "german": {
        "ж": "sch",
        "й": "j",
        "х": "ch",
        "ц": "z",
        "ч": "tsch",
        "ш": "sch",
        "щ": "schtsch",
        "ю": "ju",
        "я": "ja",
        "в": "w",
        "з": "s",
        "ъ": "",
        "ё": "jo",
    },
}
_CY_VOWELS = set("аеёиоуыэюяєії")


def romanise_cyrillic(name: str, rng: random.Random) -> str:
    """A Latin spelling of a Cyrillic name in one of ICAO, BGN/PCGN, French or German usage."""
    system = rng.choices(list(_CY_SYSTEMS), weights=(4, 3, 2, 1))[0]
    table = {**_CY_BASE, **_CY_SYSTEMS[system]}
    words: list[str] = []
    for word in name.split():
        out: list[str] = []
        low = word.lower()
        for i, ch in enumerate(low):
            start = i == 0 or low[i - 1] in _CY_VOWELS or low[i - 1] in "ьъ"
            if ch == "е" and start and system == "bgn":
                out.append("ye")
            elif ch == "с" and system in ("french", "german") and 0 < i < len(low) - 1:
                both = low[i - 1] in _CY_VOWELS and low[i + 1] in _CY_VOWELS
                out.append("ss" if both else "s")
            elif ch == "г" and system == "french" and i + 1 < len(low) and low[i + 1] in "еи":
                out.append("gu")
            else:
                out.append(table.get(ch, ch))
        text = "".join(out)
        if system == "bgn" and text.endswith("ii"):
            text = text[:-2] + "iy"
        if system == "french" and text.endswith("ov") and rng.random() < 0.3:
            text = text[:-2] + "off"
        words.append(text[:1].upper() + text[1:])
    return " ".join(words)
