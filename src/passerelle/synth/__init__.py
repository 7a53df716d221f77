"""The synthetic-data generator: the project never holds real personal data.

People (:mod:`passerelle.synth.people`) with names in French, Belgian French and Dutch,
Arabic and Cyrillic script, consistent dates of birth, genders, nationalities and document
numbers; helpers to write them as a Latin-script watchlist would and to add realistic noise.
"""

from passerelle.synth.people import (
    DEFAULT_LOCALES,
    LOCALES,
    SyntheticPerson,
    generate_people,
    latin_form,
    noisy_variant,
)

__all__ = [
    "DEFAULT_LOCALES",
    "LOCALES",
    "SyntheticPerson",
    "generate_people",
    "latin_form",
    "noisy_variant",
]
