"""A name-matching explanation reads as sentences in the reviewer's language."""

from __future__ import annotations

from passerelle.identity import Explanation, NamePair
from passerelle.kit import i18n
from passerelle.kit.explain import sentences


def _explanation() -> Explanation:
    return Explanation(
        name_score=0.93,
        pairs=(
            NamePair("KARIM", "KARIM", 1.0, "exact"),
            NamePair("BENALI", "BEN ALI", 0.88, "consonant skeleton"),
        ),
        unpaired_record=(),
        unpaired_entry=("YOUSSEF",),
        order_swapped=True,
        date_of_birth="exact",
        document="OCR confusion",
        gender="unknown",
        nationality="conflict",
        adjustments=(),
    )


def test_an_explanation_is_written_in_words_not_codes() -> None:
    i18n.set_locale("fr")
    lines = sentences(_explanation().to_dict())
    assert lines[0] == "Noms semblables à 93 %."
    assert "« KARIM » et « KARIM » : même orthographe (100 %)." in lines
    assert any("les mêmes consonnes" in line for line in lines)
    assert "Même date de naissance." in lines and "Nationalité différente." in lines
    assert "Absent de l'autre côté : YOUSSEF." in lines
    assert not any("~" in line or "|" in line for line in lines)
    i18n.set_locale("nl")
    assert "Zelfde geboortedatum." in sentences(_explanation().to_dict())


def test_a_criterion_hit_keeps_its_own_text_and_nothing_gives_nothing() -> None:
    assert sentences({"summary": "criterion R1 v2: route = CDG-CMN"}) == [
        "criterion R1 v2: route = CDG-CMN"
    ]
    assert sentences(None) == []
