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


def test_a_shared_given_name_and_patronymic_alone_is_not_a_hit() -> None:
    # The listed name holds only a common given name and a patronymic: too little information.
    match = compare(
        PersonRecord("r", full_name="Sergei Nikolaevich Rostovtsev"),
        PersonRecord("e", full_name="Sergei Nikolaevich"),
    )
    assert match.score < DEFAULT_THRESHOLD
    assert "too little information" in match.explanation.evidence


def test_shared_given_name_and_patronymic_with_another_family_name_stay_below() -> None:
    assert score("Sergei Nikolaevich Rostovtsev", "Sergei Nikolaevich Rastorguev") < 0.8


def test_patronymics_that_disagree_pull_the_score_down() -> None:
    same = score("Ivan Petrovich Kovalenkov", "Ivan Petrovich Kovalenkov")
    other = compare(
        PersonRecord("r", full_name="Ivan Viktorovich Kovalenkov"),
        PersonRecord("e", full_name="Ivan Nikolaevich Kovalenkov"),
    )
    assert other.score < DEFAULT_THRESHOLD <= same
    assert ("patronymic conflict", -0.1) in other.explanation.adjustments


def test_a_listed_name_inside_a_longer_one_with_a_name_in_front_is_a_son() -> None:
    # "Tariq Hasan Karimzadeh" is Tariq son of Hasan: the listed Hasan stands where a
    # father's name stands.
    son = compare(
        PersonRecord("r", full_name="Tariq Hasan Karimzadeh"),
        PersonRecord("e", full_name="Hasan Karimzadeh"),
    )
    assert son.score < DEFAULT_THRESHOLD
    assert "extra leading name" in son.explanation.summary()
    # A missing middle name is not that: the listed given name keeps its place.
    assert score("Hasan Tariq Karimzadeh", "Hasan Karimzadeh") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("record", "entry"),
    [
        ("حسنعلی کریمزاده", "Hasan-Ali Karimzadeh"),  # compound written joined in Persian
        ("امیرحسین تهماسبی", "Amir Hossein Tahmasebi"),
        ("عبدالله نبیزاده", "Abd Allah Nabizadeh"),
        ("منصور الصاعدي", "Mansour Al-Sa Edi"),  # ʿayn written as a space in the Latin form
        ("منصور الصاعدي", "Mansour Al-Sa'edi"),
        ("منصور الصاعدي", "Mansour Al-Saʿedi"),
        ("منصور الصاعدي", "Mansour Al-Saedi"),
    ],
)
def test_compounds_and_ayn_written_joined_or_apart_match(record: str, entry: str) -> None:
    assert score(record, entry) >= DEFAULT_THRESHOLD


def test_a_leading_ali_in_arabic_script_is_kept() -> None:
    assert score("علی تهماسبی", "Ali Tahmasebi") >= DEFAULT_THRESHOLD


def test_persian_vav_written_v_matches() -> None:
    assert score("کاظم درویشی", "Kazem Darvishi") >= DEFAULT_THRESHOLD


def test_two_short_skeletons_are_weak_evidence() -> None:
    # One or two consonants per part match many unrelated names by skeleton alone.
    assert score("هي ري", "Hui Ro") < DEFAULT_THRESHOLD


def test_belarusian_and_ukrainian_latin_forms_meet_russian_cyrillic() -> None:
    assert score("Олег Григорьевич Гриценко", "Aleh Hryhoryevich Hrytsenko") >= 0.8


def test_turkic_patronymic_written_apart_costs_little() -> None:
    assert score("Rashad Kamal oglu Mammadli", "Rashad Mammadli") >= DEFAULT_THRESHOLD


def test_explanation_says_which_evidence_carried_the_score() -> None:
    match = compare(
        PersonRecord("r", full_name="Mohammed Karimzadeh"),
        PersonRecord("e", full_name="Mohamed Karimzadeh"),
    )
    assert match.explanation.evidence.startswith("carried by Karimzadeh~Karimzadeh (rare part)")
    assert "Mohammed~Mohamed (common given name)" in match.explanation.evidence
    assert match.to_dict()["explanation"]["evidence"] == match.explanation.evidence


def test_one_typing_error_in_a_short_part_is_still_a_good_pair() -> None:
    match = compare(
        PersonRecord("r", full_name="Kang Mit Sok", date_of_birth="1970-05-01"),
        PersonRecord("e", full_name="Kang Min Sok", date_of_birth="1970-05-01"),
    )
    assert match.score >= DEFAULT_THRESHOLD
    assert "one typing error" in {p.rule for p in match.explanation.pairs}
    # Two letters changed in a three-letter part is no typo.
    assert score("Kang Bat Sok", "Kang Min Sok") < score("Kang Mit Sok", "Kang Min Sok")


def test_a_rare_one_part_name_needs_an_agreeing_year_and_a_common_one_never_suffices() -> None:
    assert score("Qamaruddin", "Qamar al-Din") < DEFAULT_THRESHOLD
    rare = compare(
        PersonRecord("r", full_name="Qamaruddin", date_of_birth="1971"),
        PersonRecord("e", full_name="Qamar al-Din", date_of_birth="1971"),
    )
    assert rare.score >= DEFAULT_THRESHOLD
    common = compare(
        PersonRecord("r", full_name="Ali", date_of_birth="1971"),
        PersonRecord("e", full_name="Ali", date_of_birth="1971"),
    )
    assert common.score < DEFAULT_THRESHOLD
