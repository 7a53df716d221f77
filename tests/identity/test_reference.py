"""The shipped reference population of given names matches the current key rules."""

from __future__ import annotations

from passerelle.identity.names import split_name
from passerelle.identity.reference import build, given_name_keys


def test_shipped_keys_are_those_the_current_rules_give() -> None:
    assert sorted(given_name_keys()) == build()


def test_given_names_weigh_less_than_family_names() -> None:
    given, family = split_name("Mohammed Karimzadeh")
    assert given.weight < family.weight == 1.0
    [arabic_given] = split_name("محمد")
    assert arabic_given.weight == given.weight
