"""The Annex tables are complete and every fact names its source."""

from __future__ import annotations

from passerelle.precursors import rules


def test_annex_i_has_the_nine_restricted_substances_with_limits_and_sources() -> None:
    assert len(rules.ANNEX_I) == 9
    h2o2 = rules.SUBSTANCES["7722-84-1"]
    assert (h2o2.limit, h2o2.licence_upper, h2o2.cn_pure) == (12.0, 35.0, "2847 00 00")
    assert rules.SUBSTANCES["3811-04-9"].licence_upper is None  # potassium chlorate
    assert all(s.source.startswith("Regulation (EU) 2019/1148 Annex I") for s in rules.ANNEX_I)


def test_annex_ii_has_the_nine_reportable_substances() -> None:
    assert len(rules.ANNEX_II) == 9
    assert rules.SUBSTANCES["67-64-1"].name == "acetone"
    assert all(s.limit is None and s.annex == "II" for s in rules.ANNEX_II)


def test_combinations_are_symmetric() -> None:
    assert rules.combination_of("7722-84-1", "67-64-1") == rules.combination_of(
        "67-64-1", "7722-84-1"
    )
    assert rules.combination_of("67-64-1", "67-64-1") is None


def test_annex_ii_cn_codes_are_those_of_the_annex() -> None:
    """Checked against the Regulation's Annex II: metal powders have their own codes."""
    magnesium, aluminium = rules.SUBSTANCES["7439-95-4"], rules.SUBSTANCES["7429-90-5"]
    assert (magnesium.cn_pure, magnesium.cn_mixture) == ("ex 8104 30 00", "")
    assert (aluminium.cn_pure, aluminium.cn_mixture) == ("7603 10 00", "ex 7603 20 00")
    assert rules.SUBSTANCES["100-97-0"].cn_mixture == "ex 3824 99 93"


def test_national_regimes_name_their_verified_sources() -> None:
    """FR's prohibition and contact point, BE's prohibition, contact point and law, as checked
    against each authority's own page."""
    fr, be = rules.REGIMES["FR"], rules.REGIMES["BE"]
    assert fr.kind == "prohibited" and "2021-1033" in fr.source and "PIXAF" in fr.contact_point
    assert "15 juillet 2016" in be.source and "Police fédérale" in be.contact_point
    assert be.kind == "prohibited" and "SPF Economie" in be.authority
    assert (
        "interieur.gouv.fr" in rules.REGIME_CHECKED and "economie.fgov.be" in rules.REGIME_CHECKED
    )
