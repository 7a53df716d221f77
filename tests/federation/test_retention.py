"""Follow-up data at rest: encrypted, and erased when its retention ends (issue #15)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from passerelle.federation import rules
from passerelle.federation.model import FollowupRequest
from passerelle.privacy import audit, retention
from tests.federation.conftest import Net
from tests.federation.test_exchange import APPROVE, _hit_and_ask


def _row(net: Net, code: str) -> FollowupRequest:
    with net.nodes[code].session() as session:
        return session.scalars(select(FollowupRequest)).one()


def _run(net: Net, code: str) -> dict[str, int]:
    node = net.nodes[code]
    done = retention.run(node.session, node.retention, node=node.code, now=net.clock.now())
    return {o.data_class: o.deleted for o in done}


def test_released_follow_up_data_is_encrypted_and_erased_when_its_retention_ends(
    net: Net,
) -> None:
    async def scenario() -> str:
        async with net.running() as c:
            asked = await _hit_and_ask(net, c)
            r = await c["BE"].post(
                f"/api/v1/federation/followups/{asked['id']}/approve",
                json=APPROVE,
                headers=net.auth("BE", "supervisor"),
            )
            assert r.status_code == 200, r.text
            return str(asked["id"])

    request_id = asyncio.run(scenario())

    async def read(code: str, role: str, direction: str) -> dict[str, Any]:
        async with net.running() as c:
            r = await c[code].get(
                f"/api/v1/federation/followups/{request_id}",
                params={"direction": direction},
                headers=net.auth(code, role),
            )
            assert r.status_code == 200, r.text
            return dict(r.json())

    # Encrypted at rest on both nodes; read back in clear through the API.
    for code in ("FR", "BE"):
        stored = _row(net, code).items
        assert "PEETERS" not in stored and not stored.startswith("[")
    got = asyncio.run(read("FR", "analyst", "out"))
    assert {i["field"]: i["value"] for i in got["items"]}["holder"] == "Jan PEETERS"
    # BE's copy of what it released goes at its next retention run; FR keeps what it received.
    assert _run(net, "BE")["followup_items:released"] == 1
    assert _run(net, "FR")["followup_items:*"] == 0
    released = asyncio.run(read("BE", "supervisor", "in"))
    assert released["items_erased_at"] is not None
    assert {i["field"]: i["value"] for i in released["items"]} == {"make": "", "holder": ""}
    assert all(i["handling"]["code"] == "H3" for i in released["items"])
    # The received values live as long as their rule says, then only the names stay.
    kept = rules.FOLLOWUP_RECEIVED_RETENTION["*"].keep_for
    net.clock.advance(kept - timedelta(days=1))
    assert _run(net, "FR")["followup_items:*"] == 0
    net.clock.advance(timedelta(days=2))
    assert _run(net, "FR")["followup_items:*"] == 1
    after = asyncio.run(read("FR", "analyst", "out"))
    assert after["status"] == "approved" and after["items_erased_at"] is not None
    assert [i["value"] for i in after["items"]] == ["", ""]
    for code in ("FR", "BE"):
        with net.nodes[code].session() as session:
            assert audit.verify(session).ok


def test_rows_stored_in_clear_before_encryption_are_still_read(net: Net) -> None:
    from passerelle.federation import items
    from passerelle.federation.schemas import Item

    item = {
        "field": "make",
        "value": "Renault",
        "handling": {"code": "H0", "text": None},
        "evaluation": {"source": "A", "information": "1"},
    }
    row = FollowupRequest(request_id="r", direction="out", items=json.dumps([item]))
    assert items.open_items(net.nodes["FR"].cipher, row) == [Item.model_validate(item)]
