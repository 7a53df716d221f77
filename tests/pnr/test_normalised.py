"""The normalised model: every field is an Annex I item; sanitise() deletes and counts."""

from __future__ import annotations

from passerelle.pnr import rules
from passerelle.pnr.normalised import (
    FIELD_ITEMS,
    HistoryEntry,
    ParsedBooking,
    Passenger,
    SpecialService,
    sanitise,
)


def test_every_annex_one_item_has_a_field_and_a_source() -> None:
    assert set(FIELD_ITEMS.values()) == set(range(1, 20)) == set(rules.ANNEX_I)
    assert all(item.source.startswith("Directive (EU) 2016/681") for item in rules.ANNEX_I.values())
    assert all("art. 12(2)" in why for why in rules.MASKED_AT_SIX_MONTHS.values())


def test_sensitive_code_lists() -> None:
    assert rules.sensitive_ssr_category("avml") == "meal"
    assert rules.sensitive_ssr_category("WCHC") == "medical"
    assert rules.sensitive_ssr_category("DOCS") is None
    assert rules.sensitive_text_category("needs kosher food") == "religion"
    assert rules.sensitive_text_category("Passagère enceinte, 7 mois") == "health"
    assert rules.sensitive_text_category("WINDOW SEAT PLEASE") is None


def test_sanitise_deletes_sensitive_items_and_reports_counts() -> None:
    pax = Passenger(
        "MAES",
        "ELS",
        services=[
            SpecialService("VGML"),
            SpecialService("UMNR", text="UM08"),
            SpecialService("CKIN", text="WHEELCHAIR TO GATE"),
        ],
        remarks=["UMNR ACCOMPANIED TO GATE", "TRAVELS FOR HAJJ"],
    )
    booking = ParsedBooking(
        "rail",
        "ABC123",
        passengers=[pax],
        prm_needs=["WHEELCHAIR"],
        history=[
            HistoryEntry("X", None, "SSR", "MOML:HK:1"),
            HistoryEntry("A", None, "SSR DBML", ""),
            HistoryEntry("A", None, "TVL", "010626:0900+CDG+BRU+AF+1234"),
        ],
    )
    report = sanitise(booking)
    assert [s.code for s in pax.services] == ["UMNR"]
    assert pax.remarks == ["UMNR ACCOMPANIED TO GATE"]
    assert booking.prm_needs == []
    assert [h.what for h in booking.history] == ["TVL"]
    assert report.sensitive == {
        "prm_needs": 1,
        "ssr_meal": 1,
        "ssr_health": 1,
        "text_religion": 1,
        "history_meal": 2,
    }
    assert booking.dropped.to_dict()["sensitive"] == dict(report.sensitive)
