"""Messages of verified peers refused while processed are kept raw with the exact reason,
for the admin and the DPO, capped per peer and erased after their retention (issue #15)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from passerelle.federation import rules
from passerelle.privacy import AuditEntry, audit, retention
from tests.federation.conftest import Net
from tests.federation.test_messages import _deliver, _send, _set, _stored, note_type

__all__ = ["note_type"]  # the test.note message type, registered for each test


async def _get(net: Net, role: str, path: str) -> httpx.Response:
    async with net.running() as c:
        return await c["BE"].get(path, headers=net.auth("BE", role))


def _refuse(net: Net, note_id: str) -> str:
    state = _deliver(net, _send(net, {"note_id": note_id, "text": "refuse"}).message_id)
    assert state.status == "failed"
    return state.message_id


def test_a_refused_message_is_kept_raw_with_its_reason_for_the_admin_and_the_dpo(
    net: Net,
) -> None:
    _set(net, "automatic")
    message_id = _refuse(net, "n-secret")
    assert [e for e in _stored(net) if e.action != "refuse"] == []  # nothing else stored
    listed = asyncio.run(_get(net, "dpo", "/api/v1/federation/quarantine")).json()
    (item,) = listed
    assert (item["peer"], item["message_id"], item["type"]) == ("FR", message_id, "test.note")
    assert "this node takes no such note" in item["reason"] and item["raw"] is None
    assert item["error"] == "validation_failed" and not item["raw_truncated"]
    one: dict[str, Any] = asyncio.run(
        _get(net, "admin", f"/api/v1/federation/quarantine/{item['id']}")
    ).json()
    assert '"n-secret"' in one["raw"] and message_id in one["raw"]
    assert one["raw_chars"] == len(one["raw"])
    for role in ("analyst", "supervisor"):
        assert asyncio.run(_get(net, role, "/api/v1/federation/quarantine")).status_code == 403
    with net.nodes["BE"].session() as session:
        steps = session.scalars(
            select(AuditEntry.outcome).where(AuditEntry.object_type == "federation.quarantine")
        ).all()
        raw_column = session.execute(
            select(AuditEntry.details).where(AuditEntry.object_type == "federation.quarantine")
        ).all()
        assert audit.verify(session).ok
    assert list(steps) == ["quarantined", "ok"]  # kept, then read by the admin
    assert all("n-secret" not in str(d) for d in raw_column)
    # Gone when its retention has passed.
    net.clock.advance(rules.QUARANTINE_RETENTION + timedelta(days=1))
    node = net.nodes["BE"]
    done = retention.run(node.session, node.retention, node=node.code, now=net.clock.now())
    assert {o.data_class: o.deleted for o in done}["federation_quarantine"] == 1
    assert asyncio.run(_get(net, "dpo", "/api/v1/federation/quarantine")).json() == []


def test_a_peer_cannot_fill_the_quarantine(net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "QUARANTINE_PER_PEER", 2)
    _set(net, "automatic")
    for i in range(3):
        _refuse(net, f"n{i}")
    listed = asyncio.run(_get(net, "dpo", "/api/v1/federation/quarantine")).json()
    assert len(listed) == 2
    with net.nodes["BE"].session() as session:
        capped = session.scalars(
            select(AuditEntry).where(AuditEntry.outcome == "not kept: cap")
        ).all()
    assert len(capped) == 1
