"""A reference population of given names, as keys: how informative a name part is.

A shared given name ("Sergei", "Mohamed", "Ali") or a patronymic says much less about who
someone is than a family name: two different people often share both. The scorer weighs each
name part by this (``rules.WEIGHT_GIVEN_NAME``, ``rules.WEIGHT_PATRONYMIC``).

The population is the given-name lists that ship with Faker (MIT licence; locales listed in
:data:`LOCALES`), reduced to the engine's own keys: phonetic keys of Latin and Cyrillic names,
consonant skeletons of Arabic-script names and of the Latin names of the Arabic-, Persian- and
Turkic-speaking locales. Only the keys are shipped (``data/given_name_keys.txt``), so that
nothing is computed at start-up; ``tests/identity/test_reference.py`` checks the file against
the current key rules. Regenerate with ``python -m passerelle.identity.reference``.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "given_name_keys.txt"
# Faker locales whose given names make the reference population.
LOCALES = (
    "ar_AA", "ar_SA", "ar_PS", "ar_DZ", "fa_IR", "az_AZ", "tr_TR", "uz_UZ", "ru_RU", "uk_UA",
    "bg_BG", "fr_FR", "nl_BE", "de_DE", "en_US", "es_ES", "it_IT", "en_PK",
)  # fmt: skip
# Locales whose Latin-script names are also filed by skeleton (Arabic-script counterparts).
_SKELETON_LOCALES = frozenset({"ar_AA", "ar_SA", "ar_PS", "ar_DZ", "fa_IR", "az_AZ", "tr_TR",
                               "uz_UZ", "en_PK"})  # fmt: skip


def build() -> list[str]:
    """Keys of the reference population: ``k<phonetic key>`` and ``s<skeleton>`` lines."""
    from passerelle.identity.names import split_name

    keys: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names: list[str] = []
        for attr in ("first_names_male", "first_names_female", "first_names"):
            names.extend(getattr(provider, attr, ()) or ())
        for name in names:
            for part in split_name(name):
                if part.initial:
                    continue
                if (part.arabic or locale in _SKELETON_LOCALES) and part.skeleton:
                    keys.add("s" + part.skeleton)
                if not part.arabic and len(part.key) >= 2:
                    keys.add("k" + part.key)
    return sorted(keys)


@lru_cache(maxsize=1)
def given_name_keys() -> frozenset[str]:
    """The shipped reference keys (read once)."""
    return frozenset(DATA.read_text(encoding="utf-8").split())


def is_common_given_name(key: str, skeleton: str, arabic: bool) -> bool:
    """True when a part's skeleton or (Latin script) phonetic key is that of a given name."""
    keys = given_name_keys()
    if arabic:
        return "s" + skeleton in keys
    # A Latin part is looked up by phonetic key only: Latin family names meet the skeleton
    # of some given name too often (calibrated on names-dev).
    return "k" + key in keys


if __name__ == "__main__":  # pragma: no cover - maintenance command
    DATA.write_text("\n".join(build()) + "\n", encoding="utf-8")
    print(f"wrote {DATA}")
