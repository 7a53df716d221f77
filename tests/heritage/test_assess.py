"""Rules for an object offered for sale: embargoes, 2019/880 thresholds, Red Lists, risk."""

from __future__ import annotations

from datetime import date

from passerelle.heritage.service import assess
from passerelle.heritage.service.provenance import Link, gaps
from tests.heritage.conftest import obj

TODAY = date(2026, 12, 3)
SYRIA = date(2011, 5, 9)


def _rules(a: assess.Assessment) -> dict[str, bool]:
    return {r.code: r.applies for r in a.rules}


def test_iraqi_object_exported_after_august_1990_is_banned_and_high_risk() -> None:
    after = obj(provenance=[{"kind": "export", "country": "IQ", "date_from": "2004-05-01"}])
    a = assess.assess(after, today=TODAY, syria_cutoff=SYRIA)
    assert _rules(a)["embargo_IQ"] and _rules(a)["import_licence"]
    assert {c.code for c in a.red_list} == {"IQ-statuary"}
    level, reasons = assess.risk(a, [])
    assert level == "high"
    assert any("after 1990-08-06" in r for r in reasons)
    before = obj(provenance=[{"kind": "export", "country": "IQ", "date_from": "1985-03-01"}])
    assert not _rules(assess.assess(before, today=TODAY, syria_cutoff=SYRIA))["embargo_IQ"]


def test_syrian_cut_off_is_the_configured_date() -> None:
    left = obj(country_of_origin="SY", offer={"removed_from_origin_on": "2011-04-01"})
    assert not _rules(assess.assess(left, today=TODAY, syria_cutoff=SYRIA))["embargo_SY"]
    early = date(2011, 3, 15)
    assert _rules(assess.assess(left, today=TODAY, syria_cutoff=early))["embargo_SY"]


def test_importer_statement_needs_200_years_and_18000_euros() -> None:
    base = {"category": "other_listed", "country_of_origin": "", "year_made": 1750}
    cheap = obj(**base, offer={"value_eur": 17_999})
    dear = obj(**base, offer={"value_eur": 18_000})
    young = obj(**{**base, "year_made": 1900}, offer={"value_eur": 50_000})
    assert not _rules(assess.assess(cheap, today=TODAY, syria_cutoff=SYRIA))["importer_statement"]
    assert _rules(assess.assess(dear, today=TODAY, syria_cutoff=SYRIA))["importer_statement"]
    assert not _rules(assess.assess(young, today=TODAY, syria_cutoff=SYRIA))["importer_statement"]


def test_licence_only_above_250_years() -> None:
    recent = obj(year_made=1850, country_of_origin="")
    assert not _rules(assess.assess(recent, today=TODAY, syria_cutoff=SYRIA))["import_licence"]


def test_gaps_in_the_provenance_chain() -> None:
    chain = [
        Link("discovery", "IQ", date(1950, 1, 1), None),
        Link("ownership", "IQ", date(1950, 2, 1), date(1960, 1, 1)),
        Link("ownership", "FR", date(1975, 1, 1), date(2020, 1, 1)),
    ]
    found = gaps(chain, until=TODAY, origin="IQ")
    assert [g.reason for g in found] == [
        "no recorded owner or transaction",
        "moved IQ → FR without export",
        "no record since the last event",
    ]
    assert found[0].years == 15.0
    assert [g.reason for g in gaps([], until=TODAY)] == ["no provenance recorded"]
