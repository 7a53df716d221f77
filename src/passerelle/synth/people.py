"""Synthetic people: names in their own script with consistent dates, genders and documents.

Names come from Faker locales (French, Belgian French and Dutch, Arabic-script, Cyrillic-
script). Everything is drawn from one seed, so the same call always returns the same people.
:func:`latin_form` writes a person the way a Latin-script watchlist would (romanising Arabic
and Cyrillic with one of several real-world conventions, see :mod:`passerelle.synth.romanise`)
and :func:`noisy_variant` produces the kind of differences screening meets in practice:
typos, reordering, missing or initialised names, particle spacing, spelling variants, partial
or mistyped dates and OCR-confused document numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from faker import Faker

from passerelle.synth.romanise import romanise_arabic, romanise_cyrillic

# Locale -> (script, nationalities it stands for, ISO alpha-3).
LOCALES: dict[str, tuple[str, tuple[str, ...]]] = {
    "fr_FR": ("latin", ("FRA",)),
    "fr_BE": ("latin", ("BEL",)),
    "nl_BE": ("latin", ("BEL",)),
    "ar_AA": ("arabic", ("MAR", "DZA", "TUN", "EGY", "SYR", "IRQ", "LBN", "JOR")),
    "ar_SA": ("arabic", ("SAU",)),
    "ar_PS": ("arabic", ("PSE",)),
    "ar_DZ": ("arabic", ("DZA",)),
    "ru_RU": ("cyrillic", ("RUS",)),
    "uk_UA": ("cyrillic", ("UKR",)),
    "bg_BG": ("cyrillic", ("BGR",)),
}
DEFAULT_LOCALES: tuple[str, ...] = ("fr_FR", "fr_BE", "nl_BE", "ar_AA", "ar_DZ", "ru_RU")
_POOL = 4000  # names drawn per locale and category; Faker's own lists are smaller


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    """A generated person. Field names match ``passerelle.identity.PersonRecord``."""

    id: str
    locale: str
    script: str  # latin, arabic, cyrillic (of the names as written here)
    given_names: str
    family_name: str
    date_of_birth: str  # ISO; may be partial (YYYY or YYYY-MM) in noisy variants
    gender: str  # M or F
    nationality: str  # ISO 3166-1 alpha-3
    document_number: str
    document_country: str

    @property
    def full_name(self) -> str:
        """Given names then family name."""
        return f"{self.given_names} {self.family_name}".strip()

    def as_record(self) -> dict[str, Any]:
        """The fields of a ``PersonRecord`` (``id``, names, date, gender, …)."""
        return {
            "id": self.id,
            "given_names": self.given_names,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth or None,
            "gender": self.gender,
            "nationality": self.nationality,
            "document_number": self.document_number or None,
            "document_country": self.document_country or None,
        }


def _stable_seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


@lru_cache(maxsize=64)
def _pool(locale: str, kind: str, seed: int) -> tuple[str, ...]:
    fake = Faker(locale)
    fake.seed_instance(_stable_seed(seed, locale, kind))
    draw = getattr(fake, kind, None) or getattr(fake, kind.rsplit("_", 1)[0])
    return tuple(draw() for _ in range(_POOL))


def _document(rng: random.Random, country: str) -> str:
    digits, letters = string.digits, string.ascii_uppercase
    if country == "FRA":  # French passport: 2 digits, 2 letters, 5 digits
        parts = [rng.choices(digits, k=2), rng.choices(letters, k=2), rng.choices(digits, k=5)]
    elif country == "BEL":  # Belgian passport: 2 letters, 6 digits
        parts = [rng.choices(letters, k=2), rng.choices(digits, k=6)]
    else:
        parts = [rng.choices(letters, k=1), rng.choices(letters + digits, k=8)]
    return "".join("".join(p) for p in parts)


def generate_people(
    n: int, seed: int = 0, locales: Sequence[str] = DEFAULT_LOCALES
) -> list[SyntheticPerson]:
    """``n`` people, spread evenly over ``locales``, reproducible from ``seed``."""
    unknown = [loc for loc in locales if loc not in LOCALES]
    if unknown:
        raise ValueError(f"unsupported locale(s): {', '.join(unknown)}")
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security
    start = dt.date(1940, 1, 1).toordinal()
    span = dt.date(2006, 12, 31).toordinal() - start
    people: list[SyntheticPerson] = []
    for i in range(n):
        locale = locales[i % len(locales)]
        script, nationalities = LOCALES[locale]
        gender = rng.choice("MF")
        suffix = "male" if gender == "M" else "female"
        given = rng.choice(_pool(locale, f"first_name_{suffix}", seed))
        if script == "latin" and rng.random() < 0.15:
            given += " " + rng.choice(_pool(locale, f"first_name_{suffix}", seed))
        if locale == "ru_RU":
            given += " " + rng.choice(_pool(locale, f"middle_name_{suffix}", seed))
        family = rng.choice(_pool(locale, f"last_name_{suffix}", seed))
        born = dt.date.fromordinal(start + rng.randrange(span))
        country = rng.choice(nationalities)
        people.append(
            SyntheticPerson(
                id=f"P{seed}-{i:07d}",
                locale=locale,
                script=script,
                given_names=given,
                family_name=family,
                date_of_birth=born.isoformat(),
                gender=gender,
                nationality=country,
                document_number=_document(rng, country),
                document_country=country,
            )
        )
    return people


def latin_form(person: SyntheticPerson, rng: random.Random) -> SyntheticPerson:
    """The person as a Latin-script watchlist would spell them (same id)."""
    if person.script == "arabic":
        romanise = romanise_arabic
    elif person.script == "cyrillic":
        romanise = romanise_cyrillic
    else:
        return person
    return replace(
        person,
        script="latin",
        given_names=romanise(person.given_names, rng),
        family_name=romanise(person.family_name, rng),
    )


_KEYBOARD = "azertyuiopqsdfghjklmwxcvbn"


def typo(word: str, rng: random.Random) -> str:
    """One keyboard-style typo: substitution, deletion, insertion or transposition."""
    if len(word) < 2:
        return word
    i = rng.randrange(len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + rng.choice(_KEYBOARD) + word[i + 1 :]
    if op == 1 and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if op == 2:
        return word[:i] + rng.choice(_KEYBOARD) + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


_SPELLING = (
    ("ss", "s"), ("s", "ss"), ("ij", "y"), ("y", "ij"), ("ph", "f"), ("c", "k"), ("k", "c"),
    ("ae", "a"), ("ou", "u"), ("ee", "e"), ("tt", "t"), ("ll", "l"), ("dt", "d"), ("é", "e"),
    ("è", "e"), ("ë", "e"), ("ï", "i"), ("ç", "c"),
)  # fmt: skip
_PARTICLES = ("Van den ", "Van der ", "Van de ", "Van ", "De ", "Du ", "Le ", "La ", "Ben ")


def spelling_variant(name: str, rng: random.Random) -> str:
    """A French/Dutch spelling variant: particle spacing, doubled letters, y/ij, accents …"""
    for particle in _PARTICLES:
        if name.startswith(particle):
            return rng.choice([name.replace(" ", ""), name.lower().capitalize(), name.upper()])
        joined = particle.replace(" ", "")
        if joined != "Ben" and " " not in name and name.startswith(joined) and len(name) > 7:
            rest = name[len(joined) :]
            return particle + rest[0].upper() + rest[1:]
    options = [(a, b) for a, b in _SPELLING if a in name.lower()]
    if options:
        a, b = rng.choice(options)
        return name.replace(a, b, 1).replace(a.capitalize(), b.capitalize(), 1)
    if name.endswith("s") and len(name) > 4:
        return name[:-1]
    return name + "s" if name.endswith("n") else name


def _noisy_date(iso: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.6 or len(iso) != 10:
        return iso
    y, m, d = iso.split("-")
    if r < 0.7:
        return y
    if r < 0.75:
        return f"{y}-{m}"
    if r < 0.8 and int(d) <= 12 and d != m:
        return f"{y}-{d}-{m}"
    if r < 0.85:
        k = rng.choice([2, 3, 5, 6, 8, 9])
        digit = str((int(iso[k]) + rng.randrange(1, 10)) % 10)
        candidate = iso[:k] + digit + iso[k + 1 :]
        try:
            dt.date.fromisoformat(candidate)
        except ValueError:
            return iso
        return candidate
    return ""


_OCR = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8"}


_JOINING = ("عبد", "أبو", "ابو", "Abd", "Abdel", "Abdul", "Abdal", "Abu", "Abou", "Abd el-")


def _name_units(names: str) -> list[str]:
    """Given names split into names, keeping "Abd …"/"Abu …" (one name) together."""
    units: list[str] = []
    for word in names.split():
        if units and units[-1] in _JOINING:
            units[-1] += " " + word
        else:
            units.append(word)
    return units


def noisy_variant(person: SyntheticPerson, rng: random.Random, new_id: str) -> SyntheticPerson:
    """The same person as another system might record them, with realistic noise."""
    given = _name_units(person.given_names)
    family = person.family_name
    latin = person.script == "latin"
    if latin and rng.random() < 0.5:
        if rng.random() < 0.5:
            family = typo(family, rng)
        else:
            given[0] = typo(given[0], rng)
    if latin and rng.random() < 0.25:
        family = spelling_variant(family, rng)
    if len(given) > 1 and rng.random() < 0.4:
        given = given[:1]  # middle name or patronymic missing
    if latin and len(given) == 1 and rng.random() < 0.05:
        given = [given[0][0] + "."]
    if rng.random() < 0.2:
        given, family = [family], " ".join(given)  # given/family fields swapped
    document = person.document_number
    if document and rng.random() < 0.5:
        document = "" if rng.random() < 0.5 else "".join(_OCR.get(c, c) for c in document)
    return replace(
        person,
        id=new_id,
        given_names=" ".join(given),
        family_name=family,
        date_of_birth=_noisy_date(person.date_of_birth, rng),
        document_number=document,
    )
