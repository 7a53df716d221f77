"""Long vowels written in Arabic script, held against Latin spellings (synthetic names only)."""

from __future__ import annotations

import pytest

from passerelle.identity import DEFAULT_THRESHOLD, PersonRecord, compare
from passerelle.identity.names import split_name
from passerelle.identity.vowels import arabic_frame, latin_frame, long_vowels


def _vowels(arabic: str, latin: str) -> tuple[int, int]:
    (a,), (b,) = split_name(arabic), split_name(latin)
    return long_vowels(a, b)


def score(a: str, b: str) -> float:
    return compare(PersonRecord("r", full_name=a), PersonRecord("e", full_name=b)).score


def test_frames_align_the_vowels_between_the_same_consonants() -> None:
    assert arabic_frame("محمود") == ("mhmd", ("", "", "", "w", ""))
    assert latin_frame("mahmoud") == ("mhmd", ("", "a", "", "ou", ""))
    assert latin_frame("mohamed") == ("mhmd", ("", "o", "a", "e", ""))
    # The article's vowel is the first vowel of the word.
    assert arabic_frame("الزهراني")[1][0] == "a"


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمود", "Mahmoud"),
        ("محمود", "Mahmud"),
        ("يوسف", "Yousef"),
        ("حسين", "Hossein"),
        ("حسين", "Hussain"),
        ("توفيق", "Tevfik"),  # Turkish v for و
        ("موسی", "Musa"),  # a final Persian ی may be ā
        ("الزهراني", "Azzahrani"),  # the assimilated article's vowel
        ("عمر", "Omar"),  # ʿayn carries the initial vowel
        ("ناصري", "Naser"),  # a final nisba -i left out by the list
    ],
)
def test_long_vowels_written_on_both_sides_agree(arabic: str, latin: str) -> None:
    conflicts, _ = _vowels(arabic, latin)
    assert conflicts == 0


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمود", "Mohamed"),  # و where the Latin spelling writes e
        ("حسين", "Hasan"),  # ي where it writes a
        ("ناصري", "Nasro"),  # a final ي written as o
        ("مصري", "Masroor"),  # a Latin long "oo" the Arabic spelling does not write
        ("جان", "Agajan"),  # a Latin initial vowel the Arabic word does not write
    ],
)
def test_a_long_vowel_missing_on_one_side_is_a_conflict(arabic: str, latin: str) -> None:
    conflicts, _ = _vowels(arabic, latin)
    assert conflicts > 0


def test_names_sharing_consonants_but_not_long_vowels_are_not_a_hit() -> None:
    assert score("محمود الزهراني", "Mohamed Zahrani") < DEFAULT_THRESHOLD
    assert score("حسين كريمي", "Hasan Karimi") < DEFAULT_THRESHOLD
    assert score("محمود الزهراني", "Mahmoud Al-Zahrani") >= DEFAULT_THRESHOLD
    assert score("حسين كريمي", "Hossein Karimi") >= DEFAULT_THRESHOLD


def test_the_explanation_names_the_long_vowel_conflict() -> None:
    match = compare(
        PersonRecord("r", full_name="محمود الزهراني"),
        PersonRecord("e", full_name="Mohamed Zahrani"),
    )
    rules = {p.rule for p in match.explanation.pairs}
    assert "consonant skeleton, long vowel differs" in rules


def test_agreeing_long_vowels_add_information_to_short_skeletons() -> None:
    # عيسى and داودي have one consonant each: the written long vowels make the match.
    assert _vowels("عيسى", "Issa")[1] >= 2
    assert score("عيسى داودي", "Issa Daoudi") >= DEFAULT_THRESHOLD
