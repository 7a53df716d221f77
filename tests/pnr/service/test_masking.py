"""Masking at six months, retention by policy, re-personalisation approved by a judicial
authority of another agency — with the clock moved forward."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.errors import PermissionDenied, ValidationFailed
from passerelle.identity.schemas import PersonRecord
from passerelle.identity.watchlists import node_watchlists
from passerelle.node import Node, open_node
from passerelle.pnr.model import Booking, Hit
from passerelle.pnr.service import masking, review
from passerelle.pnr.service.records import MASK
from passerelle.privacy import accounts, retention
from passerelle.privacy.accounts import Principal
from passerelle.privacy.clock import FrozenClock
from passerelle.privacy.model import AuditEntry
from passerelle.settings import Settings
from tests.conftest import login, make_user
from tests.pnr.service.conftest import open_threat_period, push, rail_doc

ANALYST = Principal("user", 1, "fr.analyst", "FR", frozenset({"analyst"}))
JUDGE_SAME = Principal("user", 2, "fr.judge", "FR", frozenset({"judicial"}))
JUDGE = Principal("user", 3, "tj.paris", "FR-TJ", frozenset({"judicial"}))
SIX_MONTHS = timedelta(days=184)
FIVE_YEARS = timedelta(days=5 * 365 + 2)


def _retention(node: Node) -> None:
    retention.run(node.session, node.retention, node=node.code, now=node.clock.now())


def _bookings(node: Node) -> dict[str, Booking]:
    with node.session() as session:
        return {b.record_locator: b for b in session.scalars(select(Booking))}


def _three_bookings(node: Node) -> None:
    """HIT (confirmed hit), CASE (linked to a case), PLAIN (nothing)."""
    open_threat_period(node, days=3000)
    node_watchlists(node.state).publish(
        "alerts:BE", PersonRecord("BE:1", given_names="Karim", family_name="Ouali")
    )
    push(node, rail_doc("HIT", given="Karim", family="Ouali"))
    push(node, rail_doc("CASE", given="Lotte", family="Maes"))
    push(node, rail_doc("PLAIN", given="Jean", family="Martin"))
    case_id = _bookings(node)["CASE"].id
    with node.session() as session:
        hit = session.scalars(select(Hit)).one()
        review.decide(session, node, ANALYST, hit.id, confirm=True, reason="Same person")
        masking.link_case(session, node, ANALYST, case_id, "FR-2026-17")


def test_cjeu_policy_keeps_only_linked_bookings_masked(node: Node, clock: FrozenClock) -> None:
    _three_bookings(node)
    clock.advance(SIX_MONTHS)
    _retention(node)
    kept = _bookings(node)
    assert sorted(kept) == ["CASE", "HIT"]
    assert all(b.personal is None and b.masked_at for b in kept.values())
    with node.session() as session:
        view = masking.booking_view(session, node, ANALYST, kept["HIT"].id)
        entries = list(
            session.scalars(select(AuditEntry).where(AuditEntry.object_type == "pnr_booking"))
        )
    assert view["passengers"][0]["surname"] == MASK
    assert view["legs"][0]["destination"] == "urn:uic:stn:8814001"  # itinerary stays
    assert "Ouali" not in kept["HIT"].core + kept["HIT"].sealed
    assert {e.action for e in entries} == {"mask", "erase"}
    clock.advance(FIVE_YEARS - SIX_MONTHS)
    _retention(node)
    assert _bookings(node) == {}


@pytest.fixture
def national(
    settings: Settings, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Node]:
    monkeypatch.setenv("PASSERELLE_PNR_RETENTION_POLICY", "national")
    node = open_node(settings.with_(data_dir=settings.data_dir.parent / "national"), clock=clock)
    with node.session() as session:
        accounts.ensure_agency(session, "FR", "France", "FR")
    yield node
    node.close()


def test_national_policy_keeps_every_booking_masked_five_years(
    national: Node, clock: FrozenClock
) -> None:
    open_threat_period(national, days=3000)
    push(national, rail_doc("PLAIN"))
    clock.advance(SIX_MONTHS)
    _retention(national)
    (plain,) = _bookings(national).values()
    assert plain.personal is None
    clock.advance(FIVE_YEARS - SIX_MONTHS)
    _retention(national)
    assert _bookings(national) == {}


def test_unknown_policy_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_PNR_RETENTION_POLICY", "forever")
    with pytest.raises(ValueError, match="cjeu, national"):
        masking.retention_rules()


def test_repersonalisation_needs_an_independent_judicial_approval(
    node: Node, clock: FrozenClock
) -> None:
    _three_bookings(node)
    clock.advance(SIX_MONTHS)
    _retention(node)
    booking_id = _bookings(node)["CASE"].id
    with node.session() as session:
        with pytest.raises(ValidationFailed, match="grounds"):
            masking.request_repersonalisation(
                session, node, ANALYST, booking_id, grounds="", case_ref="FR-2026-17"
            )
        request = masking.request_repersonalisation(
            session, node, ANALYST, booking_id,
            grounds="Travel companion of the suspect in case FR-2026-17", case_ref="FR-2026-17",
        )  # fmt: skip
        with pytest.raises(PermissionDenied):
            masking.unmasked_view(session, node, ANALYST, request.id)
        with pytest.raises(PermissionDenied, match="own request"):
            masking.decide_repersonalisation(
                session, node, JUDGE_SAME, request.id, approve=True, reason="ok"
            )
        masking.decide_repersonalisation(
            session, node, JUDGE, request.id, approve=True, reason="Necessary for the case"
        )
        clear = masking.unmasked_view(session, node, ANALYST, request.id)
        other = Principal("user", 9, "fr.other", "FR", frozenset({"analyst"}))
        with pytest.raises(PermissionDenied, match="requester"):
            masking.unmasked_view(session, node, other, request.id)
        reads = list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.object_type == "pnr.booking", AuditEntry.action == "read"
                )
            )
        )
    assert clear["passengers"][0]["surname"] == "Maes"
    assert json.loads(reads[-1].details)["unmasked"] is True
    assert reads[-1].actor == "fr.analyst"
    clock.advance(timedelta(days=31))
    with node.session() as session, pytest.raises(PermissionDenied, match="valid"):
        masking.unmasked_view(session, node, ANALYST, request.id)


def test_booking_page_masked_then_unmasked(
    node: Node, clock: FrozenClock, client: TestClient
) -> None:
    _three_bookings(node)
    clock.advance(SIX_MONTHS)
    _retention(node)
    booking_id = _bookings(node)["HIT"].id
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    page = client.get(f"/pnr/bookings/{booking_id}").text
    assert MASK in page and "Ouali" not in page
    with node.session() as session:
        request = masking.request_repersonalisation(
            session, node, Principal("user", 1, "fr.analyst", "FR", frozenset({"analyst"})),
            booking_id, grounds="Confirmed hit, investigation FR-2026-18", case_ref="FR-2026-18",
        )  # fmt: skip
        masking.decide_repersonalisation(
            session, node, JUDGE, request.id, approve=True, reason="Proportionate"
        )
    unmasked = client.get(f"/pnr/bookings/{booking_id}?unmask={request.id}").text
    assert "Ouali" in unmasked and "UNMASKED VIEW" in unmasked
    assert (
        client.get(f"/api/v1/pnr/repersonalisations/{request.id}/booking").json()["passengers"][0][
            "surname"
        ]
        == "Ouali"
    )
