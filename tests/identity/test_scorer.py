"""The scorer: the issue's examples, explanations, and properties over arbitrary input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.identity import DEFAULT_THRESHOLD, PersonRecord, compare


def score(a: str, b: str, **extra: str) -> float:
    return compare(PersonRecord("r", full_name=a, **extra), PersonRecord("e", full_name=b)).score


@pytest.mark.parametrize(
    ("record", "entry"),
    [
        ("محمد سعيد", "Mohamed Said"),
        ("محمد سعيد", "Muhammad Saeed"),
        ("Сергей Иванов", "Sergei Ivanov"),
        ("Сергей Иванов", "Sergey Ivanov"),
        ("Ivanov Sergei", "Sergei Ivanov"),
        ("Pieter Vandenberghe", "Pieter Van den Berghe"),
        ("Marc Dupont", "Marc Du Pont"),
        ("An Janssens", "An Janssen"),
        ("Jean Dupnot", "Jean Dupont"),
        ("Anna Eriksson", "Anna Maria Eriksson"),
        ("J. Dupont", "Jean Dupont"),
        ("Abdelkader Benali", "عبد القادر بن علي"),
        ("Jean-Pierre Martin", "Jean Pierre Martin"),
    ],
)
def test_same_person_reaches_the_default_threshold(record: str, entry: str) -> None:
    assert score(record, entry) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("record", "entry"),
    [
        ("Jean Dupont", "Marc Durand"),
        ("محمد سعيد", "Sergei Ivanov"),
        ("Mohamed", "Mohamed Said"),
        ("Anne Martin", "Pierre Martin"),
        ("Sergei Ivanov", "Olga Petrova"),
    ],
)
def test_different_people_stay_below_the_threshold(record: str, entry: str) -> None:
    assert score(record, entry) < DEFAULT_THRESHOLD


def test_a_conflicting_date_of_birth_pulls_a_name_match_below_threshold() -> None:
    same = PersonRecord("e", full_name="Jean Dupont", date_of_birth="1970-01-01")
    older = PersonRecord("r", full_name="Jean Dupont", date_of_birth="1931-07-22")
    assert compare(older, same).score < DEFAULT_THRESHOLD
    year_only = PersonRecord("r", full_name="Jean Dupond", date_of_birth="1970")
    no_date = PersonRecord("r", full_name="Jean Dupond")
    assert compare(year_only, same).score > compare(no_date, same).score


def test_a_matching_document_lifts_a_weak_name() -> None:
    entry = PersonRecord(
        "e", full_name="Jean Dupont", document_number="12AB34567", document_country="FRA"
    )
    weak = PersonRecord("r", full_name="Dupon", document_number="12A834567", document_country="FR")
    without = PersonRecord("r", full_name="Dupon")
    assert compare(weak, entry).score >= DEFAULT_THRESHOLD > compare(without, entry).score
    assert compare(weak, entry).explanation.document == "OCR confusion"


def test_explanation_names_the_rules_that_fired() -> None:
    record = PersonRecord(
        "r", given_names="Иванов", family_name="Сергей", date_of_birth="1980-12-04", gender="M"
    )
    entry = PersonRecord(
        "e", given_names="Sergey", family_name="Ivanov", date_of_birth="1980-04-12", gender="F"
    )
    explanation = compare(record, entry).explanation
    rules = {(p.record_part, p.entry_part): p.rule for p in explanation.pairs}
    assert rules == {("Иванов", "Ivanov"): "exact", ("Сергей", "Sergey"): "spelling variant"}
    assert explanation.order_swapped
    assert explanation.date_of_birth == "day/month swapped"
    assert explanation.gender == "conflict"
    summary = explanation.summary()
    assert "Сергей~Sergey (spelling variant" in summary
    assert "dob day/month swapped" in summary
    as_dict = compare(record, entry).to_dict()
    assert as_dict["explanation"]["pairs"][0]["rule"] in {"exact", "spelling variant"}
    assert as_dict["explanation"]["adjustments"]


def test_arabic_explanation_says_skeleton() -> None:
    explanation = compare(
        PersonRecord("r", full_name="محمد سعيد"), PersonRecord("e", full_name="Mohamed Said")
    ).explanation
    assert {p.rule for p in explanation.pairs} == {"consonant skeleton"}


names = st.text(max_size=60) | st.sampled_from(["", " ", "A", "é", "محمد", "Сергей", "J."])
person = st.builds(
    PersonRecord,
    id=st.just("x"),
    full_name=names,
    date_of_birth=st.sampled_from([None, "1970", "1970-01", "1970-01-02", "1970-02-01"]),
    gender=st.sampled_from([None, "M", "F", "X", "?"]),
    nationality=st.sampled_from([None, "FR", "BEL", "D", "zz"]),
    document_number=st.sampled_from([None, "", "AB12", "A812", "<<<"]),
)


@settings(max_examples=300, deadline=None)
@given(person, person)
def test_scorer_never_raises_stays_in_range_and_is_symmetric(
    a: PersonRecord, b: PersonRecord
) -> None:
    ab, ba = compare(a, b), compare(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab.score == ba.score


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=1, max_size=40).map(lambda s: (s * 10_000)[:10_000]), st.text(max_size=5))
def test_very_long_and_tiny_names(long: str, tiny: str) -> None:
    result = compare(PersonRecord("a", full_name=long), PersonRecord("b", full_name=tiny))
    assert 0.0 <= result.score <= 1.0


def test_single_letters_and_empty_names() -> None:
    assert score("A", "A") <= 0.8
    assert score("", "") == 0.0
    assert score("", "Jean Dupont") == 0.0
