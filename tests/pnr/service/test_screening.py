"""PNR is screened only against lists about terrorism and serious crime: entries tagged as SIS
art. 32 (missing, vulnerable) or art. 34 (witnesses) alerts are left out by rule."""

from __future__ import annotations

from sqlalchemy import select

from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Hit
from tests.pnr.service.conftest import open_threat_period, push, rail_doc


def test_art_32_and_34_alerts_are_never_screened(node: Node) -> None:
    assert "art. 6(3)(a)" in rules.EXCLUDED_LISTS_SOURCE
    lists = node_watchlists(node.state)
    for entry, tag in (("A32", "sis:art32_d"), ("A34", "sis:art34"), ("A36", "sis:art36_discreet")):
        record = PersonRecord(entry, given_names="Karim", family_name="Ouali")
        lists.publish("alerts", record, owner="BE", tags=frozenset({tag}))
    open_threat_period(node)
    push(node, rail_doc("KO", given="Karim", family="Ouali"))
    with node.session() as session:
        hits = session.scalars(select(Hit.entry_id).where(Hit.kind == "watchlist")).all()
    assert list(hits) == ["A36"]
