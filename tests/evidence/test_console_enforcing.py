"""The enforcing authority's console pages: the art. 8 notifications received with their
review window, each one's certificate, and the art. 12 refusal form (confirmed first, a bad
ground inline, a closed window refused with its article, judicial only, CSRF); end to end,
a BE judge refuses FR's order from the console and FR's order closes as refused."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.evidence.model import Notification, Order
from passerelle.evidence.service.exchange import NOTIFICATION, REFUSAL
from passerelle.node import Node
from passerelle.privacy import FrozenClock, accounts
from tests.conftest import PASSWORD, csrf_of, login, make_user
from tests.evidence.conftest import add_provider
from tests.evidence.test_api import ORDER
from tests.federation.conftest import CODES, Net, build_net

REF = "EPOC-BE-0123456789"


def _received(node: Node, reference: str = REF, offence: str = "Trafic de stupéfiants") -> None:
    """A notification as the federation handler stores it (BE issued, this node enforces)."""
    now = node.clock.now()
    certificate = {"form": "EPOC", "reference": reference, "authority_name": "Juge, Bruxelles",
                   "provider": "telco-fr", "category": "traffic", "offence": offence,
                   "max_sentence_years": 5, "emergency": False, "grounds": "Enquête",
                   "targets": [{"kind": "phone", "value": "+33600000000"}]}  # fmt: skip
    with node.session() as session:
        session.add(Notification(id=str(uuid.uuid4()), sender="BE", reference=reference,
                                 received_at=now, review_until=now + timedelta(days=10),
                                 certificate=certificate, refusal_ground="",
                                 refusal_reason=""))  # fmt: skip


def test_notifications_are_listed_searched_and_shown_with_their_certificate(
    node: Node, client: TestClient
) -> None:
    _received(node)
    _received(node, "EPOC-BE-9999999999", offence="Escroquerie")
    make_user(node, "chef", "supervisor")
    login(client, "chef")
    assert "/evidence/notifications" in client.get("/evidence").text
    page = client.get("/evidence/notifications")
    assert page.status_code == 200 and "Notifications reçues" in page.text
    table = page.text.split('id="notifications"')[1]
    assert REF in table and "EPOC-BE-9999999999" in table and "ouvert" in table
    found = client.get("/evidence/notifications?q=stupéfiants").text.split("<tbody>")[1]
    assert REF in found and "EPOC-BE-9999999999" not in found
    one = client.get(f"/evidence/notifications/{REF}")
    assert one.status_code == 200
    assert "+33600000000" in one.text and "Trafic de stupéfiants" in one.text
    assert 'id="refuse"' not in one.text  # a supervisor reads; only a judge refuses
    assert client.get("/evidence/notifications/EPOC-BE-0000000000").status_code == 404


def test_a_refusal_needs_a_judge_a_valid_ground_the_form_token_and_an_open_window(
    node: Node, client: TestClient, clock: FrozenClock
) -> None:
    _received(node)
    make_user(node, "ana", "analyst")
    make_user(node, "juge", "judicial")
    make_user(node, "clerk", "admin")
    login(client, "clerk")
    assert client.get("/evidence/notifications").status_code == 403
    client.cookies.clear()
    login(client, "ana")
    token = csrf_of(client, f"/evidence/notifications/{REF}")
    action = f"/evidence/notifications/{REF}/refuse"
    form = {"csrf_token": token, "ground": "fundamental_rights", "confirmed": "yes"}
    assert client.post(action, data=form).status_code == 403
    client.cookies.clear()
    login(client, "juge")
    page = client.get(f"/evidence/notifications/{REF}").text
    assert 'id="refuse"' in page and "droits fondamentaux" in page
    assert client.post(action, data={"ground": "fundamental_rights", "confirmed": "yes"}
                       ).status_code == 403  # fmt: skip
    token = csrf_of(client, f"/evidence/notifications/{REF}")
    headers = {"referer": f"http://testserver/evidence/notifications/{REF}"}
    whim = {"csrf_token": token, "ground": "whim", "reason": "Mes raisons"}
    bad = client.post(action, headers=headers, data=whim)
    assert bad.status_code == 422 and 'id="refuse"' in bad.text and "Mes raisons" in bad.text
    clock.advance(timedelta(days=11))
    client.cookies.clear()
    login(client, "juge")
    assert 'id="refuse"' not in client.get(f"/evidence/notifications/{REF}").text
    token = csrf_of(client, f"/evidence/notifications/{REF}")
    late = client.post(action, headers=headers, data={**form, "csrf_token": token})
    assert late.status_code == 409 and "review window" in late.text and "art. " in late.text
    with node.session() as session:
        assert session.scalars(select(Notification)).one().refused_at is None


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Net]:
    built = build_net(tmp_path, [f"sqlite:///{tmp_path / (c.lower() + '.sqlite3')}" for c in CODES])
    yield built
    for node in built.nodes.values():
        node.close()


async def _console_login(client: httpx.AsyncClient, username: str) -> str:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    await client.post("/login", data={"username": username, "password": PASSWORD,
                                      "csrf_token": token.group(1)})  # fmt: skip
    mine = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/evidence")).text)
    assert mine, "logged in"
    return mine.group(1)


async def _flow(net: Net) -> str:
    add_provider(net.nodes["FR"])
    with net.nodes["FR"].session() as session:
        judge = accounts.create_token(session, name="judge-FR", role="judicial", agency="FR",
                                      now=net.nodes["FR"].clock.now())  # fmt: skip
    with net.nodes["BE"].session() as session:
        accounts.add_user(session, username="juge.be", password=PASSWORD, roles=["judicial"],
                          agency="BE", now=net.nodes["BE"].clock.now())  # fmt: skip
    async with net.running() as api:
        for code, peer, mtype in (("FR", "BE", NOTIFICATION), ("BE", "FR", REFUSAL)):
            answer = await api[code].put(
                f"/api/v1/federation/sharing/{mtype}/{peer}", headers=net.auth(code, "admin"),
                json={"policy": "automatic", "reason": "e-Evidence agreement (test)"})  # fmt: skip
            assert answer.status_code == 200, answer.text
        made = await api["FR"].post("/api/v1/evidence/orders",
                                    headers={"authorization": f"Bearer {judge}"},
                                    json={**ORDER, "category": "traffic",
                                          "max_sentence_years": 5})  # fmt: skip
        assert made.status_code == 201, made.text
        reference: str = made.json()["reference"]
        be = api["BE"]
        token = await _console_login(be, "juge.be")
        listed = await be.get("/evidence/notifications")
        assert reference in listed.text
        action = f"/evidence/notifications/{reference}/refuse"
        form = {"csrf_token": token, "ground": "fundamental_rights",
                "reason": "Sources journalistiques."}  # fmt: skip
        asked = await be.post(action, data=form)
        assert asked.status_code == 200 and "irréversible" in asked.text
        assert (
            'value="fundamental_rights"' in asked.text and "Sources journalistiques." in asked.text
        )
        done = await be.post(action, data={**form, "confirmed": "yes"})
        assert done.status_code == 303, done.text
        shown = (await be.get(done.headers["location"])).text
        assert f"Motif de refus invoqué pour l&#39;injonction {reference}" in shown
        assert 'id="refusal"' in shown and 'id="refuse"' not in shown
        again = await be.post(action, data={**form, "confirmed": "yes"})
        assert again.status_code == 409 and "already" in again.text
    return reference


def test_a_be_judge_refuses_fr_order_from_the_console_and_fr_closes_it(net: Net) -> None:
    reference = asyncio.run(_flow(net))
    with net.nodes["FR"].session() as session:
        order = session.scalars(select(Order).where(Order.reference == reference)).one()
        assert (order.status, order.refusal_ground) == ("refused", "fundamental_rights")
    with net.nodes["BE"].session() as session:
        row = session.scalars(select(Notification)).one()
        assert row.refusal_reason == "Sources journalistiques."
