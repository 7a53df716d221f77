"""Extension after a recorded individual assessment (art. 53(6)) and the warning to the issuer
before the automatic deletion (art. 53(7)), with a moved clock."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.alerts.model import Alert
from passerelle.alerts.schemas import ExtensionIn
from passerelle.alerts.service import periods, register
from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.privacy import AuditEntry, FrozenClock, accounts, retention
from tests.alerts.conftest import alert_in, principal

ASSESSED = ExtensionIn(
    reason="Still in contact with the network abroad (synthetic)",
    assessment="Reviewed prison intelligence notes of 2026 and two border checks (synthetic)",
)


def test_an_extension_without_an_assessment_is_refused(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))
    until = alert.valid_until
    with node.session() as session, pytest.raises(ValidationFailed, match=r"53\(6\)"):
        periods.review(session, node, principal(), alert.id, ExtensionIn(reason="keep"))
    with node.session() as session:
        assert session.get(Alert, alert.id).valid_until == until  # type: ignore[union-attr]


def test_an_extension_records_who_why_and_what(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))
    clock.advance(timedelta(days=300))
    with node.session() as session:
        periods.review(session, node, principal(name="sup"), alert.id, ASSESSED)
    with node.session() as session:
        row = session.get(Alert, alert.id)
        assert row is not None
        (record,) = row.extensions
        assert (record["by"], record["agency"]) == ("sup", "FR")
        assert record["reason"] == ASSESSED.reason
        assert record["assessment"] == ASSESSED.assessment
        assert row.valid_until == clock.now() + timedelta(days=365)
        trace = session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == alert.id).order_by(AuditEntry.seq)
        ).all()[-1]
        assert json.loads(trace.details)["review"] == "extended"


def test_the_issuer_is_warned_once_before_the_automatic_deletion(
    node: Node, clock: FrozenClock
) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))

    def run() -> None:
        retention.run(node.session, node.retention, node=node.code, now=clock.now())

    def warnings() -> int:
        with node.session() as session:
            return len(
                [
                    e
                    for e in session.scalars(
                        select(AuditEntry).where(AuditEntry.object_id == alert.id)
                    )
                    if "expiry_warning" in json.loads(e.details)
                ]
            )

    clock.advance(timedelta(days=365 - 124))
    run()
    assert warnings() == 0
    with node.session() as session:
        assert periods.expiring(session, node) == []
    clock.advance(timedelta(days=2))
    run()
    run()
    assert warnings() == 1
    with node.session() as session:
        assert [a.id for a in periods.expiring(session, node)] == [alert.id]
        assert session.get(Alert, alert.id).expiry_warned_at is not None  # type: ignore[union-attr]
    with node.session() as session:
        periods.review(session, node, principal(), alert.id, ASSESSED)
    with node.session() as session:
        assert periods.expiring(session, node) == []


def test_the_api_extends_only_with_an_assessment(node: Node, client: TestClient) -> None:
    with node.session() as session:
        alert = register.create(session, node, principal(), alert_in(aliases=[]))
        token = accounts.create_token(
            session, name="api", role="supervisor", agency="FR", now=node.clock.now()
        )
    client.headers["Authorization"] = f"Bearer {token}"
    url = f"/api/v1/alerts/{alert.id}/review"
    refused = client.post(url, json={"reason": "keep it"})
    assert refused.status_code == 422
    assert "53(6)" in refused.text
    done = client.post(url, json=ASSESSED.model_dump(mode="json"))
    assert done.status_code == 200, done.text
    assert done.json()["extensions"][0]["assessment"] == ASSESSED.assessment
    assert client.get("/api/v1/alerts/expiring").json() == []
