"""Real nodes on loopback: signatures over the wire, a peer that goes down and comes back, and a
node killed in the middle of an exchange. Nothing is lost, nothing is processed twice."""

from __future__ import annotations

import json
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from passerelle.federation import demo, keys, rules, signatures
from passerelle.federation.model import FollowupRequest, Message
from tests.federation.processes import Proc, prepare

pytestmark = pytest.mark.slow
QUERY = {
    "kind": demo.DEMO_KIND,
    "payload": {"family_name": "PEETERS", "birth_date": "1985-03-14"},
    "case_ref": "FR-2026-LOOP",
    "purpose": "counter-terrorism investigation",
    "legal_basis": "Prüm Decision 2008/615/JHA",
}
ASK = {
    "case_ref": "FR-2026-LOOP",
    "purpose": "counter-terrorism investigation",
    "legal_basis": "Directive (EU) 2023/977 art. 4",
}


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Proc]]:
    procs = prepare(tmp_path_factory.mktemp("loopback"))
    for p in procs.values():
        p.start()
    try:
        for p in procs.values():
            p.wait_healthy()
        yield procs
    finally:
        for p in procs.values():
            p.stop()


def wait_for(what: str, check: Callable[[], bool], timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def hit(fr: Proc) -> dict[str, Any]:
    with fr.api("analyst") as api:
        result = api.post("/api/v1/federation/queries", json={**QUERY, "peers": ["BE"]}).json()
    [answer] = result["answers"]
    assert answer["status"] == "hit", answer
    return {"query_id": result["id"], "peer": "BE", "reference": answer["reference"], **ASK}


def test_signed_query_round_trip_and_refusals_over_loopback(nodes: dict[str, Proc]) -> None:
    fr, be = nodes["FR"], nodes["BE"]
    assert hit(fr)["reference"].startswith("ref-")
    # A forged message: signed by a key BE does not know for FR.
    impostor = keys.generate(fr.settings().with_(data_dir=fr.data_dir / "impostor"))
    now = datetime.now(UTC)
    body = json.dumps(
        {
            "id": str(uuid.uuid4()),
            "sender": "FR",
            "recipient": "BE",
            "created_at": now.isoformat(),
            "type": "query",
            "purpose": "p",
            "legal_basis": "l",
            "payload": {"kind": demo.DEMO_KIND, "query": {}},
            "handling": {"code": "H0"},
        }
    ).encode()

    def post(data: bytes, key: Any, when: datetime) -> httpx.Response:
        headers = signatures.signed_headers(
            key, keyid="FR", body=data, now=when, method="POST", path=rules.INBOX_PATH
        )
        return httpx.post(be.url + rules.INBOX_PATH, content=data, headers=headers, timeout=10)

    assert post(body, impostor, now).status_code == 401
    real_key = keys.load(fr.settings())
    assert post(body, real_key, now - timedelta(minutes=10)).status_code == 401
    headers = signatures.signed_headers(
        real_key, keyid="FR", body=body, now=now, method="POST", path=rules.INBOX_PATH
    )
    altered = httpx.post(
        be.url + rules.INBOX_PATH, content=body.replace(b'"p"', b'"q"'), headers=headers
    )
    assert altered.status_code == 401
    assert post(body, real_key, now).status_code == 200
    replay = post(body, real_key, now)
    assert replay.status_code == 409
    assert replay.json()["details"]["reply"]["in_reply_to"] == json.loads(body)["id"]


def _count(p: Proc, model: Any, *where: Any) -> int:
    node = p.open()
    try:
        with node.session() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
    finally:
        node.close()


def test_down_peer_and_killed_node_lose_nothing_and_duplicate_nothing(
    nodes: dict[str, Proc],
) -> None:
    fr, be = nodes["FR"], nodes["BE"]
    ask = hit(fr)
    be.stop()
    with fr.api("analyst") as api:
        queued = [api.post("/api/v1/federation/followups", json=ask).json() for _ in range(8)]
    assert {q["status"] for q in queued} == {"queued"}
    ids = {q["id"] for q in queued}

    be.start()
    be.wait_healthy()
    # Kill FR (SIGKILL: no clean-up) as soon as BE starts receiving its messages.
    in_be = FollowupRequest.direction == "in"
    wait_for("first delivery to BE", lambda: _count(be, FollowupRequest, in_be) >= 1)
    fr.stop(signal.SIGKILL)
    fr.start()
    fr.wait_healthy()
    wait_for(
        "every follow-up delivered",
        lambda: (
            _count(fr, Message, Message.type == "followup.request", Message.status == "delivered")
            == 8
        ),
    )
    with be.api("supervisor") as api:
        incoming = api.get("/api/v1/federation/followups", params={"direction": "in"}).json()
    assert sorted(i["id"] for i in incoming) == sorted(ids)  # each exactly once
    wait_for(
        "acknowledgements recorded on FR",
        lambda: (
            _count(
                fr,
                FollowupRequest,
                FollowupRequest.direction == "out",
                FollowupRequest.status == "pending",
            )
            == 8
        ),
    )

    # The decision travels back even though FR is down when BE approves.
    first = sorted(ids)[0]
    fr.stop()
    with be.api("supervisor") as api:
        r = api.post(
            f"/api/v1/federation/followups/{first}/approve",
            json={
                "fields": ["given_names", "last_known_city"],
                "handling": {"code": "H1"},
                "evaluation": {"source": "A", "information": "1"},
            },
        )
        assert r.status_code == 200, r.text
    fr.start()
    fr.wait_healthy()
    with fr.api("analyst") as api:

        def approved() -> bool:
            return api.get(f"/api/v1/federation/followups/{first}").json()["status"] == "approved"

        wait_for("the signed answer on FR", approved)
        items = api.get(f"/api/v1/federation/followups/{first}").json()["items"]
    assert {i["field"]: i["value"] for i in items} == {
        "given_names": "Jan",
        "last_known_city": "Gent",
    }
    assert _count(be, Message, Message.direction == "in", Message.type == "followup.request") == 8
