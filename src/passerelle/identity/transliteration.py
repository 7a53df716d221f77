"""Script folding: Latin diacritics, Cyrillic (ICAO Doc 9303 Part 3) and Arabic consonants.

Every name is reduced to lower-case ASCII before comparison:

* Latin letters lose their diacritics (``é`` → ``e``); ligatures and special letters are
  spelled out (``ß`` → ``ss``, ``œ`` → ``oe``, ``ø`` → ``o``).
* Cyrillic letters follow the ICAO Doc 9303 Part 3 (8th ed., section 6, table "Transliteration
  of Cyrillic characters") table, the one used in the MRZ of Russian, Ukrainian, Belarusian,
  Bulgarian … passports: ``Сергей`` → ``sergei``.
* Arabic script does not write short vowels, so no single Latin spelling can be recovered
  (محمد is Mohamed, Muhammad, Mohammed …). Arabic letters are mapped to *consonant classes*
  (lower-case Latin letters shared with :func:`passerelle.identity.variants.skeleton`), long
  vowels and weak letters (ا و ي ى ء ة ع) are dropped, and such name parts are compared by
  consonant skeleton only. ICAO's own Arabic table is a reversible MRZ encoding with ``X``
  digraphs (e.g. ``XH`` for ح), which is not how names are spelt on watchlists, so it is not
  used for matching.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# ICAO Doc 9303 Part 3, section 6 — Cyrillic. Ukrainian/Belarusian letters as in the same table.
CYRILLIC_ICAO: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "є": "ie", "і": "i", "ї": "i", "ґ": "g", "ў": "u", "ѓ": "g", "ђ": "d",
    "ѕ": "dz", "ј": "j", "ќ": "k", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
}  # fmt: skip

# Arabic (and Persian/Urdu extra letters) to consonant classes. Empty string = not written in
# the skeleton (long vowels, hamza carriers, ʿayn, tāʾ marbūṭa). Classes: "x" = kh, "j" = j/g/gh,
# "s" = s/sh/ṣ, "t" = t/th/ṭ, "d" = d/dh/ḍ, "z" = z/ẓ, "k" = k/q, "h" = h/ḥ.
ARABIC_CONSONANTS: dict[str, str] = {
    "ا": "", "أ": "", "إ": "", "آ": "", "ٱ": "", "ى": "", "ء": "", "ؤ": "", "ئ": "",
    "ع": "", "و": "", "ي": "", "ة": "", "ی": "", "ۀ": "", "ە": "",
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "غ": "j", "ف": "f", "ق": "k", "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "پ": "p", "چ": "s", "ژ": "j", "گ": "j", "ڤ": "f",
}  # fmt: skip

# Letters with a second usual Latin spelling in another consonant class: ق as "g" (Maghreb,
# Gulf, Egypt), خ as "h" or German "ch", ظ and ض as "dh", ذ as "z", ث as "s" (Turkish and
# Persian usage). A part containing them gets one alternative skeleton using all of these.
ARABIC_ALTERNATIVES: dict[str, str] = {"ق": "j", "خ": "h", "ظ": "d", "ض": "z", "ذ": "z", "ث": "s"}

LATIN_SPECIAL: dict[str, str] = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ŀ": "l", "ĸ": "k", "ŋ": "ng", "ʼ": "", "ʻ": "", "ʿ": "", "ʾ": "",
}  # fmt: skip


def is_arabic(ch: str) -> bool:
    """True for letters of the Arabic blocks (Arabic, Supplement, Extended-A, presentation)."""
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF


def is_cyrillic(ch: str) -> bool:
    """True for letters of the Cyrillic blocks."""
    o = ord(ch)
    return 0x0400 <= o <= 0x052F


@lru_cache(maxsize=1 << 18)  # one entry per distinct token (see names._TOKEN_CACHE)
def fold_part(part: str) -> tuple[str, bool]:
    """Fold one name part to lower-case ASCII; the flag says the part was in Arabic script.

    Characters of other scripts are kept as they are (after case folding) so that two names in
    the same unsupported script still compare, and nothing raises on any input.
    """
    # NFKC first turns Arabic presentation forms (ﻣﺤﻤﺪ) into base letters; NFKD then splits
    # diacritics off Latin and Cyrillic letters (й keeps its identity through the ICAO table).
    text = unicodedata.normalize("NFKC", part).casefold()
    out: list[str] = []
    arabic = False
    for ch in text:
        if is_arabic(ch):
            if ch in ARABIC_CONSONANTS:
                out.append(ARABIC_CONSONANTS[ch])
                arabic = True
            continue  # harakat, tatweel and digits carry no consonant
        if ch in LATIN_SPECIAL:
            out.append(LATIN_SPECIAL[ch])
            continue
        if is_cyrillic(ch):
            base = unicodedata.normalize("NFC", ch)
            if base not in CYRILLIC_ICAO:
                base = unicodedata.normalize("NFKD", ch)[0]
            out.append(CYRILLIC_ICAO.get(base, ""))
            continue
        for sub in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(sub):
                continue
            if sub.isalpha() or sub.isdigit():
                out.append(sub.casefold() if not sub.isascii() else sub)
    return "".join(out), arabic


@lru_cache(maxsize=1 << 16)
def fold_arabic_alternative(part: str) -> str:
    """Consonants of an Arabic-script part with :data:`ARABIC_ALTERNATIVES` applied.

    Empty when the part holds none of those letters (no alternative to offer).
    """
    text = unicodedata.normalize("NFKC", part)
    if not any(ch in ARABIC_ALTERNATIVES for ch in text):
        return ""
    return "".join(
        ARABIC_ALTERNATIVES.get(ch, ARABIC_CONSONANTS.get(ch, "")) for ch in text if is_arabic(ch)
    )
