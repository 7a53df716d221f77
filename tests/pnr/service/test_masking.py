"""Masking at six months, retention only with an objective ground (CJEU C-817/19),
re-personalisation approved by an authority of another agency — with the clock moved forward."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.errors import PermissionDenied, ValidationFailed
from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import Node
from passerelle.pnr.model import Booking, Hit
from passerelle.pnr.service import grounds, masking, review
from passerelle.pnr.service.records import MASK
from passerelle.privacy import AuditEntry, FrozenClock, Principal, accounts, retention
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
        grounds.link_case(
            session, node, ANALYST, case_id, "FR-2026-17", ground="judicial_case",
            review_on=(node.clock.now() + timedelta(days=365)).date(),
            judicial_reference="TJ Paris, JI 2026/0042 (synthetic)",
        )  # fmt: skip


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


def test_the_national_policy_is_gone_and_what_it_kept_goes_at_the_next_run(
    node: Node, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PASSERELLE_PNR_RETENTION_POLICY", "national")  # no longer read
    open_threat_period(node, days=3000)
    push(node, rail_doc("PLAIN"))
    push(node, rail_doc("TEXT", given="Lotte", family="Maes"))
    with node.session() as session:  # a free-text case reference, as the old link_case wrote
        session.get(Booking, _bookings(node)["TEXT"].id).case_ref = "FR-2026-17"  # type: ignore[union-attr]
    (rule,) = [r for r in masking.retention_rules() if r.data_class == "pnr_booking"]
    assert rule.delete_after == masking.rules.MASK_AFTER and "national" not in rule.description
    clock.advance(SIX_MONTHS)
    _retention(node)
    assert _bookings(node) == {}


def test_link_case_needs_an_objective_ground_with_a_review_date(
    node: Node, clock: FrozenClock
) -> None:
    open_threat_period(node, days=3000)
    push(node, rail_doc("CASE", given="Lotte", family="Maes"))
    booking_id = _bookings(node)["CASE"].id
    review_on = (clock.now() + timedelta(days=200)).date()
    with node.session() as session:
        with pytest.raises(ValidationFailed, match="objective ground"):
            grounds.link_case(session, node, ANALYST, booking_id, "FR-2026-17")
        with pytest.raises(ValidationFailed, match="review date"):
            grounds.link_case(
                session, node, ANALYST, booking_id, "FR-2026-17", ground="judicial_case",
                judicial_reference="TJ Paris 2026/1",
            )  # fmt: skip
        with pytest.raises(ValidationFailed, match="another agency"):
            grounds.link_case(
                session, node, ANALYST, booking_id, "FR-2026-17", ground="investigation",
                review_on=review_on, investigation_number="PV 2026/778",
                approver="cdt.x", approver_agency="FR",
            )  # fmt: skip
        with pytest.raises(ValidationFailed, match="confirmed hit"):
            grounds.link_case(
                session, node, ANALYST, booking_id, "FR-2026-17", ground="confirmed_hit",
                review_on=review_on, hit_id=1,
            )  # fmt: skip
        grounds.link_case(
            session, node, ANALYST, booking_id, "FR-2026-17", ground="investigation",
            review_on=review_on, investigation_number="PV 2026/778",
            approver="cdt.x", approver_agency="BE-PJF",
        )  # fmt: skip
        trace = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "pnr.booking", AuditEntry.action == "write")
            .order_by(AuditEntry.seq)
        ).all()[-1]
    details = json.loads(trace.details)
    assert (details["kind"], details["investigation_number"]) == ("investigation", "PV 2026/778")
    assert details["approver_agency"] == "BE-PJF" and details["review_on"] == str(review_on)
    clock.advance(SIX_MONTHS)
    _retention(node)
    assert list(_bookings(node)) == ["CASE"]  # the ground keeps it until its review date
    clock.advance(timedelta(days=20))
    _retention(node)
    assert _bookings(node) == {}  # review date passed without a renewal


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


def test_an_approval_by_another_competent_authority_informs_the_dpo(
    node: Node, clock: FrozenClock, client: TestClient
) -> None:
    _three_bookings(node)
    clock.advance(SIX_MONTHS)
    _retention(node)
    booking_id = _bookings(node)["CASE"].id
    with node.session() as session:
        request = masking.request_repersonalisation(
            session, node, ANALYST, booking_id,
            grounds="Travel companion of the suspect in case FR-2026-17", case_ref="FR-2026-17",
        )  # fmt: skip
        masking.decide_repersonalisation(
            session, node, JUDGE, request.id, approve=True, reason="Necessary for the case",
            basis="competent_authority",
        )  # fmt: skip
        assert request.approval_basis == "competent_authority"
        token = accounts.create_token(
            session, name="dpo", role="dpo", agency="FR", now=node.clock.now()
        )
    page = client.get(
        "/api/v1/audit?object_type=pnr.dpo_notification",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert page.status_code == 200, page.text
    (entry,) = page.json()["entries"]
    assert entry["object_id"] == str(request.id) and "12(3)(b)(ii)" in entry["legal_basis"]


def test_the_judge_confirms_a_refusal_with_a_reason_in_the_console(
    node: Node, clock: FrozenClock, client: TestClient
) -> None:
    """Issue #17: a refusal names what will happen, needs a reason and says what was done."""
    _three_bookings(node)
    clock.advance(SIX_MONTHS)
    _retention(node)
    with node.session() as session:
        asked = masking.request_repersonalisation(
            session, node, ANALYST, _bookings(node)["CASE"].id,
            grounds="Travel companion of the suspect", case_ref="FR-2026-17",
        )  # fmt: skip
        request_id = asked.id
    with node.session() as session:  # an independent court, not the requesting unit
        accounts.ensure_agency(session, "FR-TJ", "Tribunal judiciaire (synthetic)", "FR")
        accounts.add_user(
            session, username="tj.paris", password="correct horse battery", roles=["judicial"],
            agency="FR-TJ", now=clock.now(),
        )  # fmt: skip
    login(client, "tj.paris")
    client.headers["Accept-Language"] = "en"
    page = client.get("/pnr/repersonalisations").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    url = f"/pnr/repersonalisations/{request_id}"
    step = client.post(url, data={"csrf_token": token, "decision": "refuse", "reason": "x"})
    assert step.status_code == 200 and "The data stay masked" in step.text
    assert 'name="decision" value="refuse"' in step.text  # the decision is carried over
    empty = client.post(
        url, data={"csrf_token": token, "decision": "refuse", "reason": " ", "confirmed": "yes"}
    )
    assert empty.status_code == 422 and 'href="#field-reason"' in empty.text
    done = client.post(
        url,
        data={"csrf_token": token, "decision": "refuse", "reason": "Not necessary",
              "confirmed": "yes"},
    )  # fmt: skip
    assert done.status_code == 303
    assert "Re-personalisation refused." in client.get(done.headers["location"]).text
    with node.session() as session:
        assert masking.requests(session)[0].status == "refused"
