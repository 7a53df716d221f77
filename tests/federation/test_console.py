"""The console pages of federation, driven as a browser does (forms, CSRF), FR ↔ BE ↔ ES."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from passerelle.node import Node
from passerelle.privacy import accounts
from tests.conftest import PASSWORD, START, login
from tests.federation.conftest import Net

FORM = {
    "kind": "vehicle",
    "criteria": "plate=1-ABC-234",
    "case_ref": "FR-2026-0077",
    "purpose": "investigation of a terrorist offence",
    "legal_basis": "Prüm Decision 2008/615/JHA",
}


@pytest.fixture
def browsers(net: Net) -> Iterator[dict[str, TestClient]]:
    """One logged-out browser per node, speaking English; apps wired to the mesh."""
    shared = httpx.AsyncClient(transport=net.mesh)
    clients = {}
    for code, app in net.apps.items():
        app.state.federation_client = shared
        client = TestClient(app, base_url=f"http://{code.lower()}.test", follow_redirects=False)
        client.cookies.set("passerelle_lang", "en")
        clients[code] = client
    yield clients
    for client in clients.values():
        client.close()


def as_user(client: TestClient, username: str) -> TestClient:
    """Create ``<node>.<role>`` on the client's node and log in (users are made on demand:
    password hashing is deliberately slow)."""
    node = client.app.state.node  # type: ignore[attr-defined]
    with node.session() as session:
        accounts.add_user(
            session,
            username=username,
            password=PASSWORD,
            roles=[username.split(".")[1]],
            agency=node.code,
            now=START,
        )
    assert login(client, username).status_code == 303
    return client


def csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, path
    return match.group(1)


def send_query(fr: TestClient, **changes: str) -> str:
    r = fr.post("/exchange/queries", data={**FORM, **changes, "csrf_token": csrf(fr, "/exchange")})
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def test_query_answers_and_follow_up_through_the_console(
    net: Net, browsers: dict[str, TestClient]
) -> None:
    fr = as_user(browsers["FR"], "fr.analyst")
    overview = fr.get("/exchange").text
    assert 'value="BE"' in overview and 'value="ES"' in overview and "vehicle" in overview
    page = fr.get(send_query(fr)).text
    assert "HIT" in page and "NO HIT" in page and "Partial result" not in page
    assert "Request the data behind this hit" in page
    query_id = re.search(r'name="query_id" value="([^"]+)"', page)
    reference = re.search(r'name="reference" value="([^"]+)"', page)
    assert query_id and reference
    r = fr.post(
        "/exchange/followups",
        data={
            "csrf_token": csrf(fr, "/exchange"),
            "query_id": query_id.group(1),
            "peer": "BE",
            "reference": reference.group(1),
            "case_ref": "FR-2026-0077",
            "purpose": "identify the holder",
            "legal_basis": "Directive (EU) 2023/977 art. 4",
        },
    )
    assert r.status_code == 303
    request_path = r.headers["location"]
    assert "awaiting decision" in fr.get(request_path).text
    request_id = request_path.split("/")[-1].split("?")[0]

    be = as_user(browsers["BE"], "be.supervisor")
    assert request_id in be.get("/exchange/requests").text
    decide = be.get(f"/exchange/requests/{request_id}?direction=in").text
    assert "Jan PEETERS" in decide and "Approve and send" in decide
    form = {
        "csrf_token": csrf(be, "/exchange/requests"),
        "field": ["holder", "make"],
        "handling_code": "H2",
        "source": "A",
        "information": "3",
    }
    r = be.post(f"/exchange/requests/{request_id}/approve", data=form)
    # Issue #17: a confirmation step names what will happen; nothing is sent yet.
    assert r.status_code == 200 and "Approve and send the answer?" in r.text
    assert "(2)" in r.text and 'name="handling_code" value="H2"' in r.text
    assert "Released data" not in fr.get(request_path).text
    r = be.post(f"/exchange/requests/{request_id}/approve", data={**form, "confirmed": "yes"})
    assert r.status_code == 303
    assert "the answer is on its way" in be.get(r.headers["location"]).text  # success message
    released = fr.get(request_path).text
    assert "Released data" in released and "Jan PEETERS" in released and "A3" in released
    assert "colour" not in released  # only the chosen fields travel


def test_a_down_peer_shows_a_partial_result_and_peer_status(
    net: Net, browsers: dict[str, TestClient]
) -> None:
    net.mesh.down.add("ES")
    fr = as_user(browsers["FR"], "fr.analyst")
    page = fr.get(send_query(fr)).text
    assert "Partial result" in page and "unreachable" in page
    peers = fr.get("/exchange/peers").text
    assert "ES is down" in peers and "peer-down" in peers
    assert "query" in peers  # the undelivered query waits in the outbox


def test_case_history_is_open_to_the_dpo_and_decisions_to_supervisors_only(
    net: Net, browsers: dict[str, TestClient]
) -> None:
    fr = as_user(browsers["FR"], "fr.analyst")
    send_query(fr)
    dpo = as_user(browsers["ES"], "es.dpo")
    assert dpo.get("/exchange/cases").status_code == 200
    history = dpo.get("/exchange/cases/FR-2026-0077").text
    assert "Answer to a query" in history and "received" in history
    assert "query.answer" not in history  # the kind as words, not its code
    assert "1-ABC-234" not in history and "Content not shown to your role" in history
    analyst = fr.get("/exchange/cases/FR-2026-0077").text
    assert "Hit/no-hit query" in analyst and "1-ABC-234" in analyst  # the content, in order
    assert analyst.index("Hit/no-hit query") < analyst.index("Answer to a query")
    assert dpo.get("/exchange").status_code == 403
    refused = fr.post(
        "/exchange/requests/x/approve",
        data={
            "csrf_token": csrf(fr, "/exchange"),
            "handling_code": "H0",
            "source": "A",
            "information": "1",
        },
    )
    assert refused.status_code == 403


def test_h3_without_its_text_is_refused_in_the_form(
    net: Net, browsers: dict[str, TestClient]
) -> None:
    fr = as_user(browsers["FR"], "fr.analyst")
    r = fr.post(
        "/exchange/queries",
        data={**FORM, "criteria": "no equals sign", "csrf_token": csrf(fr, "/exchange")},
    )
    assert r.status_code == 422
    assert "name=value" in r.text
    sup = as_user(browsers["BE"], "be.supervisor")
    r = sup.post(
        "/exchange/requests/x/approve",
        data={
            "csrf_token": csrf(sup, "/exchange"),
            "field": ["make"],
            "handling_code": "H3",
            "source": "A",
            "information": "1",
        },
    )
    assert r.status_code == 422
    assert "H3 needs its restrictions" in r.text


def test_policies_are_shown_changed_by_an_admin_and_approved_by_a_supervisor(
    net: Net, browsers: dict[str, TestClient]
) -> None:
    from passerelle.federation import approvals, message_types
    from passerelle.privacy import audit

    alerts_type = next(t.name for t in message_types() if t.name == "alerts.alert")
    admin = as_user(browsers["FR"], "fr.admin")
    page = admin.get("/exchange/sharing")
    assert page.status_code == 200
    assert "alerts.alert" in page.text and "not decided" in page.text
    token = csrf(admin, "/exchange/sharing")
    changed = admin.post(
        "/exchange/sharing",
        data={
            "csrf_token": token,
            "message_type": alerts_type,
            "peer": "BE",
            "policy": "approval",
            "reason": "joint declaration 2018",
        },
    )
    assert changed.status_code == 303
    assert "joint declaration 2018" in admin.get("/exchange/sharing").text
    fr = net.nodes["FR"]
    with fr.session() as session:
        from passerelle.alerts.service.sharing import SharedAlert  # noqa: F401  (schema in use)
        from passerelle.federation import send_message

        draft = send_message(
            session,
            fr,
            audit.Actor("ana", "FR"),
            "alerts.withdrawal",
            peer="BE",
            payload={"alert_id": "a1", "reference": "FR-A-1", "withdrawn_at": START.isoformat()},
            case_ref="FR-A-1",
            purpose="test",
        )
        assert draft.status == "queued"  # no personal data: the recommended policy applies
        pending = send_message(
            session,
            fr,
            audit.Actor("ana", "FR"),
            "alerts.release_notice",
            peer="BE",
            payload={
                "detainee": {
                    "id": "d1",
                    "family_name": "Lambert",
                    "date_of_birth": "1994-09-03",
                    "scope": "violent_radicalised",
                },
                "release": {"id": "r1", "kind": "leave", "release_date": "2026-09-01"},
            },
            case_ref="RELEASE-r1",
            purpose="test",
        )
        assert pending.status == "never"  # personal data, nobody decided for BE
    second = TestClient(net.apps["FR"], base_url="http://fr.test", follow_redirects=False)
    second.cookies.set("passerelle_lang", "en")
    sup = as_user(second, "fr.supervisor")
    assert sup.get("/exchange/sharing").status_code == 200
    assert (
        sup.post(
            "/exchange/sharing", data={"csrf_token": csrf(sup, "/exchange/sharing")}
        ).status_code
        == 403
    )
    listing = sup.get("/exchange/approvals")
    assert listing.status_code == 200 and "Release notice" in listing.text
    assert "alerts.release_notice" not in listing.text  # the type in words
    with fr.session() as session:
        (stopped,) = approvals.listing(session, status="never")
    assert "never (policy)" in sup.get(f"/exchange/approvals/{stopped.id}").text
    second.close()


def test_follow_ups_and_approvals_are_searched_filtered_and_paged(
    node: Node, client: TestClient
) -> None:
    """Issue #17: the follow-up requests and the approvals are lists users work with."""
    import uuid
    from datetime import timedelta

    from passerelle.federation.model import FollowupRequest, Outgoing
    from tests.conftest import login, make_user

    now = node.clock.now()
    with node.session() as session:
        for n, direction in enumerate(("in", "in", "out")):
            session.add(
                FollowupRequest(
                    request_id=str(uuid.uuid4()), direction=direction, peer="BE",
                    kind="identity", reference=f"REF-{n}", case_ref=f"CASE-{n}",
                    purpose="counter-terrorism investigation", legal_basis="Prüm Decision",
                    requested_by="be.analyst", requested_at=now - timedelta(hours=n),
                    due_at=now + timedelta(days=1), status="pending",
                )
            )  # fmt: skip
        for n, status in enumerate(("awaiting", "awaiting", "refused")):
            session.add(
                Outgoing(
                    message_id=str(uuid.uuid4()), message_type="alerts.release_notice",
                    peer="BE", case_ref=f"NOTICE-{n}", purpose="follow-up of detainees",
                    legal_basis="Joint declaration", status=status, requested_by="fr.analyst",
                    requested_at=now - timedelta(hours=n),
                )
            )  # fmt: skip
    make_user(node, "fr.supervisor", "supervisor")
    login(client, "fr.supervisor")
    paged = client.get("/exchange/requests", params={"per_page": 2})
    assert "1–2 sur 3" in paged.text and 'rel="next"' in paged.text
    sent = client.get("/exchange/requests", params={"direction": "out"})
    assert "CASE-2" in sent.text and "CASE-0" not in sent.text
    assert "CASE-1" in client.get("/exchange/requests", params={"q": "case-1"}).text
    first = client.get("/exchange/approvals", params={"per_page": 2})
    assert "1–2 sur 3" in first.text and "NOTICE-2" not in first.text  # awaiting first
    awaiting = client.get("/exchange/approvals", params={"status": "awaiting"})
    assert "1–2 sur 2" in awaiting.text and "NOTICE-2" not in awaiting.text
    assert "NOTICE-1" in client.get("/exchange/approvals", params={"q": "NOTICE-1"}).text
