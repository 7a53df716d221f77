"""Real ``passerelle serve`` processes: FR is killed (SIGKILL) while it receives 50 alerts
messages from BE — 25 alert shares and 25 hit reports — and restarted. Every message is stored
exactly once, and BE's outbox says each was delivered."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from passerelle.alerts.model import Alert, HitReport
from passerelle.federation import Message, message_types, policies
from passerelle.privacy import AuditEntry, audit
from tests.federation.processes import Proc, prepare
from tests.federation.test_processes import wait_for

pytestmark = pytest.mark.slow
EACH = 25
TYPES = ("alerts.alert", "alerts.hit_report")


def _alert(i: int) -> dict[str, Any]:
    return {
        "category": "art36_discreet",
        "family_name": f"Synthetic{i:02d}",
        "given_names": "Test",
        "date_of_birth": "1990-01-01",
        "reason": "Synthetic alert for the crash test",
        "action": "Discreet check",
    }


def _report(alert_id: str) -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "source": "border",
        "place": "Synthetic border post",
        "checked_at": "2026-03-02T08:30:00Z",
        "reason_of_check": "Border check",
    }


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[dict[str, Proc]]:
    procs = prepare(tmp_path)
    for code, p in procs.items():  # each node's admin lets alerts messages go automatically
        node = p.open()
        try:
            with node.session() as session:
                for t in message_types():
                    if t.name.startswith("alerts."):
                        peer = "BE" if code == "FR" else "FR"
                        actor = audit.Actor("root", code)
                        policies.set_policy(session, node, actor, t.name, peer, "automatic", "test")
        finally:
            node.close()
        p.start()
    try:
        for p in procs.values():
            p.wait_healthy(timeout=240)
        yield procs
    finally:
        for p in procs.values():
            p.stop()


def _count(p: Proc, model: Any, *where: Any) -> int:
    node = p.open()
    try:
        with node.session() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
    finally:
        node.close()


def test_a_receiver_killed_mid_exchange_stores_each_message_exactly_once(
    nodes: dict[str, Proc],
) -> None:
    fr, be = nodes["FR"], nodes["BE"]
    # FR's alerts reach BE first, so BE can report hits on them.
    with fr.api("analyst") as api:
        fr_alerts = [api.post("/api/v1/alerts", json=_alert(i)).json()["id"] for i in range(EACH)]
    wait_for("FR's alerts on BE", lambda: _count(be, Alert, Alert.issuing_node == "FR") == EACH)

    fr.stop()  # BE's 50 messages wait in its outbox
    with be.api("analyst") as api:
        for i in range(EACH):
            created = api.post("/api/v1/alerts", json=_alert(50 + i))
            assert created.status_code == 201, created.text
            reported = api.post("/api/v1/alert-checks/hits", json=_report(fr_alerts[i]))
            assert reported.status_code == 201, reported.text
            assert reported.json()["delivery"] == "queued"
    out = (Message.direction == "out", Message.type.in_(TYPES), Message.peer == "FR")
    assert _count(be, Message, *out, Message.status != "delivered") == 2 * EACH

    fr.start()
    fr.wait_healthy(timeout=240)
    with be.api("admin") as api:
        api.post("/api/v1/federation/outbox/retry")
    in_fr = (Message.direction == "in", Message.type.in_(TYPES))
    wait_for("FR receiving", lambda: _count(fr, Message, *in_fr) >= 1, timeout=60)
    fr.stop(signal.SIGKILL)  # in the middle: some stored, some not, some in flight
    stored_before_kill = _count(fr, Message, *in_fr)

    fr.start()
    fr.wait_healthy(timeout=240)

    def all_delivered() -> bool:
        # As an operator would on a loaded machine: make what waits for its back-off due now.
        with be.api("admin") as api:
            api.post("/api/v1/federation/outbox/retry", timeout=120)
        return _count(be, Message, *out, Message.status == "delivered") == 2 * EACH

    try:
        wait_for("BE's outbox: every message delivered", all_delivered, timeout=400)
    except AssertionError:
        with be.api("admin") as api:
            left = api.get("/api/v1/federation/outbox").json()
        undelivered = [(m["status"], m["last_error"]) for m in left]
        raise AssertionError(f"undelivered: {undelivered}") from None
    assert stored_before_kill >= 1  # the kill came once FR had stored some
    # Exactly once, on both sides.
    assert _count(fr, Message, *in_fr) == 2 * EACH
    assert _count(fr, Alert, Alert.issuing_node == "BE") == EACH
    assert _count(fr, HitReport, HitReport.direction == "in") == EACH
    node = fr.open()
    try:
        with node.session() as session:
            received = session.execute(
                select(AuditEntry.action, func.count())
                .where(AuditEntry.action.like("% received"))
                .group_by(AuditEntry.action)
            ).all()
            assert audit.verify(session).ok
    finally:
        node.close()
    assert dict(received) == {"alert received": EACH, "hit report received": EACH}
    with be.api("analyst") as api:
        sent = api.get("/api/v1/alert-checks/hits", params={"direction": "out"}).json()
    assert {r["delivery"] for r in sent} == {"delivered"}
