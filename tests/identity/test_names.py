"""Name normalisation, particles and cross-script keys."""

from __future__ import annotations

import pytest

from passerelle.identity import rules
from passerelle.identity.names import name_parts, split_name
from passerelle.identity.transliteration import fold_part


def texts(name: str) -> list[str]:
    return [p.text for p in split_name(name)]


def test_case_and_diacritics_are_folded() -> None:
    assert texts("Hélène LEFÈVRE-Çelik") == ["helene", "lefevre", "celik"]


@pytest.mark.parametrize(
    ("cyrillic", "icao"),
    [
        ("Сергей", "sergei"),
        ("Иванов", "ivanov"),
        ("Жуков", "zhukov"),
        ("Хрущёв", "khrushchev"),
        ("Щукина", "shchukina"),
        ("Юлия", "iuliia"),
        ("Цветаева", "tsvetaeva"),
        ("Ольга", "olga"),
    ],
)
def test_cyrillic_follows_icao_9303(cyrillic: str, icao: str) -> None:
    assert fold_part(cyrillic) == (icao, False)


def test_ukrainian_letters_use_the_icao_table() -> None:
    assert fold_part("Її")[0] == "ii"
    assert fold_part("Євген")[0] == "ievgen"


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمد", "Mohamed"),
        ("محمد", "Muhammad"),
        ("سعيد", "Saeed"),
        ("يوسف", "Youssef"),
        ("خالد", "Khalid"),
        ("فاطمة", "Fatimah"),
        ("عبد القادر", "Abdelkader"),
        ("عبد الرحمن", "Abd al-Rahman"),
        ("الحسن", "El-Hassan"),
    ],
)
def test_arabic_and_latin_spellings_share_a_consonant_skeleton(arabic: str, latin: str) -> None:
    [a] = split_name(arabic)
    [b] = split_name(latin)
    assert a.arabic and not b.arabic
    assert a.skeleton == b.skeleton


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sergei", "Sergey"),
        ("Sergueï", "Sergei"),
        ("Ivanov", "Ivanoff"),
        ("Iouri", "Yuri"),
        ("Evgenii", "Yevgeniy"),
        ("Chostakovitch", "Shostakovich"),
        ("Philippe", "Filip"),
    ],
)
def test_romanisation_and_spelling_variants_share_a_phonetic_key(one: str, other: str) -> None:
    assert split_name(one)[0].key == split_name(other)[0].key


def test_dutch_and_french_particles_join_the_next_part_and_keep_the_bare_part() -> None:
    [part] = split_name("Van den Berghe")
    assert (part.text, part.core) == ("vandenberghe", "berghe")
    assert texts("Vandenberghe") == ["vandenberghe"]
    assert texts("Du Pont") == texts("Dupont")


def test_abd_and_abu_always_form_one_name() -> None:
    [abd] = split_name("Abd al-Rahman")
    assert abd.core == abd.text == "abdrahman"
    [abu] = split_name("Abu Bakr")
    assert abu.text == "abubakr"


def test_articles_titles_and_initials() -> None:
    assert texts("Al-Hassan") == ["hassan"]
    assert texts("Mme Anne Martin") == ["anne", "martin"]
    parts = split_name("J. Dupont")
    assert [p.initial for p in parts] == [True, False]


def test_given_and_family_fields_keep_their_roles() -> None:
    parts = name_parts(None, "Anna Maria", "Eriksson")
    assert [p.role for p in parts] == ["given", "given", "family"]


@pytest.mark.parametrize("name", ["", "   ", "\x00\x01", "---", "12345", "<<<"])
def test_names_without_letters_give_no_parts(name: str) -> None:
    assert split_name(name) == ()


def test_apostrophes_split_elided_particles_but_not_arabic_romanisations() -> None:
    assert texts("Sa'ad") == ["saad"]
    assert texts("S’di") == ["sdi"]
    assert texts("N'Diaye") == ["ndiaye"]
    assert texts("d'Alembert") == ["d", "alembert"]
    assert texts("O'Brien") == ["o", "brien"]


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("مرزوق", "Marzoug"), ("مخلوف", "Mahlouf"), ("حافظ", "Hafidh"), ("عثمان", "Osman")],
)
def test_letters_with_two_usual_spellings_get_an_alternative_skeleton(
    arabic: str, latin: str
) -> None:
    [a] = split_name(arabic)
    [b] = split_name(latin)
    assert a.skeleton != b.skeleton
    assert a.skeleton_alt == b.skeleton


def test_arabic_ali_is_a_name_not_the_family_article() -> None:
    # علي folds to the same consonant as the article آل; only the article itself is dropped.
    assert len(split_name("علي تهماسبي")) == 2
    assert len(split_name("آل تهماسبي")) == 1


@pytest.mark.parametrize(
    "spelling",
    ["Rahmatullah Darvishi", "Rahmat Ullah Darvishi", "Rahmat-Allah Darvishi", "رحمت الله درویشی"],
)
def test_allah_compounds_give_one_part_joined_or_apart(spelling: str) -> None:
    first = split_name(spelling)[0]
    assert len(split_name(spelling)) == 2
    assert first.skeleton == split_name("Rahmatullah")[0].skeleton


@pytest.mark.parametrize(
    "spelling", ["Nuruddin Osmanli", "Nur ud-Din Osmanli", "نور الدين عثمانلي"]
)
def test_din_compounds_give_one_part_joined_or_apart(spelling: str) -> None:
    assert split_name(spelling)[0].skeleton == "nrdn"


def test_turkic_patronymic_marker_is_dropped_and_marks_the_fathers_name() -> None:
    parts = split_name("Rashad Kamal oglu Mammadli")
    assert [p.text for p in parts] == ["rashad", "kamal", "mammadli"]
    assert parts[1].weight == rules.WEIGHT_PATRONYMIC
    cyrillic = split_name("Рашад Камал оглы Маммадли")
    assert cyrillic[1].weight == rules.WEIGHT_PATRONYMIC


def test_slavic_patronymics_weigh_least() -> None:
    for name in ("Ivanovich", "Petrovna", "Hryhorovych", "Сергеевич"):
        assert split_name(name)[0].weight == rules.WEIGHT_PATRONYMIC


def test_dutch_particles_do_not_apply_to_cyrillic_words() -> None:
    # "Тен" is a family name in Cyrillic, not the Dutch particle "ten".
    assert [p.text for p in split_name("Тен Алексей")] == ["ten", "aleksei"]


def test_zero_width_non_joiner_separates_persian_name_parts() -> None:
    assert len(split_name("نبی\u200cزاده")) == 2


def test_ukrainian_and_belarusian_letters_get_a_second_skeleton() -> None:
    # г is "h" and ў is "v"/"w" in Ukrainian and Belarusian Latin spellings.
    [part] = split_name("Гриценко")
    assert part.skeleton_alt == split_name("Hrytsenko")[0].skeleton


def test_a_trailing_abd_belongs_to_the_first_part_of_a_reordered_name() -> None:
    assert [p.text for p in split_name("Rahim Karimzadeh Abdul")] == [
        "abdulrahim",
        "karimzadeh",
    ]
    assert [p.text for p in split_name("Karimzadeh Abdul")] == ["karimzadeh", "abdul"]


def test_only_abd_and_abu_as_written_join_the_next_arabic_word() -> None:
    # ایوب (Ayyub) and عبيد (Ubayd) fold to the same consonants as أبو and عبد.
    assert len(split_name("ایوب کریمزاده")) == 2
    assert len(split_name("عبيد کریمزاده")) == 2
    assert len(split_name("عبد الکریم")) == 1


@pytest.mark.parametrize("name", ["Salem Hamdi Ould", "Salem Hamdi ben", "Berghe Jan van"])
def test_a_trailing_nasab_or_dutch_particle_joins_the_first_part(name: str) -> None:
    first, *_, last = split_name(name)
    particle = name.split()[-1].casefold()
    assert first.text.startswith(particle)
    assert last.text != particle


@pytest.mark.parametrize("latin", ["Nuraldin", "Nureldin", "Nur al-Din", "Nour Eldin", "Nuruddin"])
def test_din_compounds_lose_the_article_joined_or_apart(latin: str) -> None:
    (arabic,) = split_name("نور الدين")
    (part,) = split_name(latin)
    assert part.skeleton == arabic.skeleton == "nrdn"


def test_a_latin_name_merely_ending_in_dine_keeps_its_letters() -> None:
    (part,) = split_name("Geraldine")
    assert part.text == "geraldine"
