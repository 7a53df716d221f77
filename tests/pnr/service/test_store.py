"""Ingestion as a PIU sees it: stored once, updated by repeated pushes, sensitive data deleted
and audited, quarantine kept raw and restricted, carriers pushing with API tokens."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.identity import PersonRecord, node_watchlists
from passerelle.node import Node
from passerelle.pnr.model import Booking, BookingVersion, PushMessage, QuarantineItem
from passerelle.pnr.service.store import ingest_files
from passerelle.privacy import AuditEntry, FrozenClock, accounts
from tests.conftest import login, make_user
from tests.pnr.conftest import pnrgov
from tests.pnr.service.conftest import CARRIER, open_threat_period, push, rail_doc
from tests.pnr.test_paxlst import PAXLST


def _entries(node: Node, object_type: str) -> list[AuditEntry]:
    with node.session() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.object_type == object_type))
        )


def test_same_push_twice_is_processed_once(node: Node, samples: Path) -> None:
    data = (samples / "pnr4.txt").read_bytes()
    first = ingest_files(node, [(data, "a.edi"), (data, "copy.edi")], CARRIER)
    again = ingest_files(node, [(data, "later.edi")], CARRIER)
    assert [o.duplicate for o in (*first, *again)] == [False, True, True]
    with node.session() as session:
        assert session.scalar(select(PushMessage.id).where(PushMessage.filename == "a.edi"))
        assert len(list(session.scalars(select(PushMessage)))) == 1
        booking = session.scalars(select(Booking)).one()
    assert (booking.record_locator, booking.passenger_count, booking.version) == ("0995F0", 1, 1)


def test_repeated_pushes_update_one_booking_and_keep_its_history(
    node: Node, clock: FrozenClock
) -> None:
    open_threat_period(node)
    push(node, rail_doc("ABC123", place="12"), "48h.json")
    clock.advance(timedelta(hours=47))
    closure = push(node, rail_doc("ABC123", place="61"), "closure.json")
    assert closure.stored == 1 and not closure.duplicate
    with node.session() as session:
        booking = session.scalars(select(Booking)).one()
        versions = list(session.scalars(select(BookingVersion).order_by(BookingVersion.version)))
    assert booking.version == 2
    assert [v.version for v in versions] == [1, 2]
    assert json.loads(versions[0].changed) == ["created"]
    assert json.loads(versions[1].changed) == ["passengers"]  # the seat moved
    assert json.loads(booking.core)["passengers"][0]["seats"][0]["seat"] == "61"


def test_sensitive_data_are_deleted_counted_and_audited(node: Node) -> None:
    text = pnrgov(
        "SRC",
        "RCI+AF:MEAL01",
        "TIF+DURAND+PAUL:A:1",
        "SSR+MOML:HK:1:AF",
        "SSR+WCHR:HK:1:AF",
    )
    outcome = ingest_files(node, [(text.encode(), "meal.edi")], CARRIER)[0]
    assert outcome.stored == 1
    with node.session() as session:
        booking = session.scalars(select(Booking)).one()
        message = session.scalars(select(PushMessage)).one()
    assert "MOML" not in booking.core + (booking.personal or "")
    assert message.sensitive_deleted == 2
    (erase,) = _entries(node, "pnr.sensitive")
    assert erase.action == "erase"
    assert json.loads(erase.details)["total"] == 2
    assert "13(4)" in erase.legal_basis


def test_quarantine_keeps_raw_input_with_file_segment_and_reason(node: Node) -> None:
    bad = "UNB+IATA:1+AF'UNH+1+PNRGOV:13:1:IA'TIF+X+Y:A:1'UNT+3+1'"
    outcome = ingest_files(node, [(bad.encode(), "bad.edi")], CARRIER)[0]
    assert outcome.result.summary()["quarantined"] == [
        {"segment": 3, "reason": "TIF before any SRC (no PNR to attach it to)"}
    ]
    with node.session() as session:
        item = session.scalars(select(QuarantineItem)).one()
    assert (item.filename, item.segment) == ("bad.edi", 3)
    assert "TIF+X+Y" in item.raw


def test_quarantine_is_readable_by_analysts_and_dpo_only(node: Node, client: TestClient) -> None:
    ingest_files(node, [(b"UNB+IATA:1+AF'UNH+1+FOO:1'UNT+2+1'", "odd.edi")], CARRIER)
    make_user(node, "fr.supervisor", "supervisor")
    make_user(node, "fr.dpo", "dpo")
    login(client, "fr.supervisor")
    assert client.get("/api/v1/pnr/quarantine").status_code == 403
    client.cookies.clear()
    client.cookies.set("passerelle_lang", "en")
    login(client, "fr.dpo")
    listed = client.get("/api/v1/pnr/quarantine")
    assert listed.status_code == 200
    assert listed.json()[0]["filename"] == "odd.edi"
    assert _entries(node, "pnr.quarantine")[0].action == "read"


def test_carriers_push_with_an_api_token(node: Node, client: TestClient) -> None:
    open_threat_period(node)
    with node.session() as session:
        carrier = accounts.create_token(
            session, name="eurostar", role="carrier", agency="FR", now=node.clock.now()
        )
        analyst = accounts.create_token(
            session, name="robot", role="analyst", agency="FR", now=node.clock.now()
        )
    body = json.dumps(rail_doc("TOK001")).encode()
    answer = client.post(
        "/api/v1/pnr/osdm?filename=b.json",
        content=body,
        headers={"authorization": f"Bearer {carrier}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["record_locators"] == ["TOK001"]
    assert answer.json()["stored"] == 1
    again = client.post(
        "/api/v1/pnr/osdm", content=body, headers={"authorization": f"Bearer {carrier}"}
    )
    assert again.json()["duplicate"] is True
    refused = client.post(
        "/api/v1/pnr/osdm", content=body, headers={"authorization": f"Bearer {analyst}"}
    )
    assert refused.status_code == 403
    wrong = client.post(
        "/api/v1/pnr/pnrgov", content=body, headers={"authorization": f"Bearer {carrier}"}
    )
    assert wrong.status_code == 400


def test_api_data_are_stored_and_screened_per_flight(node: Node, client: TestClient) -> None:
    node_watchlists(node.state).publish(
        "alerts", PersonRecord("A-1", given_names="Karim", family_name="El Amrani",
                               date_of_birth="1979-01-01")
    )  # fmt: skip
    with node.session() as session:
        carrier = accounts.create_token(
            session, name="af", role="carrier", agency="FR", now=node.clock.now()
        )
    answer = client.post(
        "/api/v1/pnr/paxlst?filename=api.edi",
        content=PAXLST.encode(),
        headers={"authorization": f"Bearer {carrier}"},
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["passengers"], answer.json()["stored"]) == (2, 1)
    assert answer.json()["hits"] == 1
    with node.session() as session:
        booking = session.scalars(select(Booking)).one()
    assert (booking.source, booking.service_number, booking.passenger_count) == (
        "paxlst",
        "AF1234",
        2,
    )


def test_a_push_with_non_ascii_digits_is_stored_and_audited_not_a_500(
    node: Node, client: TestClient
) -> None:
    with node.session() as session:
        carrier = accounts.create_token(
            session, name="af-weird", role="carrier", agency="FR", now=node.clock.now()
        )
    text = pnrgov("EQN+²", "SRC", "RCI+AF:SUP123", "TIF+DUPONT+MARIE:A:1", "EBD+X+³:20:KG")
    text = text.replace("UNT+7+1", "UNT+" + "9" * 5000 + "+1")
    answer = client.post(
        "/api/v1/pnr/pnrgov?filename=weird.edi",
        content=text.encode(),
        headers={"authorization": f"Bearer {carrier}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["record_locators"] == ["SUP123"]
    assert answer.json()["stored"] == 1
    with node.session() as session:
        assert session.scalars(select(PushMessage.filename)).all() == ["weird.edi"]
    assert [e.action for e in _entries(node, "pnr.message")] == ["write"]
