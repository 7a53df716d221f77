"""The inbox refuses every bad message with a typed error and an audit entry (SQLite and
PostgreSQL), and processes a good one exactly once."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import select

from passerelle.federation import keys, peers, rules, signatures
from passerelle.node import Node
from passerelle.privacy import AuditEntry, FrozenClock, audit
from passerelle.web.app import create_app
from tests.conftest import START


@pytest.fixture
def be_key(node: Node) -> Ed25519PrivateKey:
    keys.generate(node.settings)
    key = Ed25519PrivateKey.generate()
    with node.session() as session:
        peers.add(
            session,
            "BE",
            "http://127.0.0.1:9",
            keys.public_text(key),
            now=START,
            insecure_http=True,
        )
    return key


@pytest.fixture
def inbox(node: Node, be_key: Ed25519PrivateKey) -> Iterator[TestClient]:
    app = create_app(node)
    app.state.federation_worker = False
    with TestClient(app, base_url="http://fr.test") as c:
        yield c


@pytest.fixture
def key(be_key: Ed25519PrivateKey) -> Ed25519PrivateKey:
    """BE's private key (BE is a registered peer of the FR node under test)."""
    return be_key


def envelope(**changes: Any) -> bytes:
    body = {
        "id": str(uuid.uuid4()),
        "sender": "BE",
        "recipient": "FR",
        "created_at": START.isoformat(),
        "type": "query",
        "purpose": "prevention of terrorist offences",
        "legal_basis": "Prüm Decision 2008/615/JHA",
        "case_ref": "BE-2026-7",
        "payload": {"kind": "spaceship", "query": {}},
        "handling": {"code": "H0"},
        **changes,
    }
    return json.dumps(body).encode()


def signed(key: Ed25519PrivateKey, body: bytes, keyid: str = "BE", **when: Any) -> dict[str, str]:
    headers = signatures.signed_headers(
        key,
        keyid=keyid,
        body=body,
        now=START + timedelta(**when),
        method="POST",
        path=rules.INBOX_PATH,
    )
    return {**headers, "content-type": "application/json"}


def refusals(node: Node) -> list[AuditEntry]:
    with node.session() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.object_type == "federation.message", AuditEntry.action == "refuse"
                )
            )
        )


def test_a_signed_message_is_processed_and_answered_with_a_signed_reply(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey
) -> None:
    body = envelope()
    r = inbox.post(rules.INBOX_PATH, content=body, headers=signed(key, body))
    assert r.status_code == 200, r.text
    reply = r.json()
    assert (reply["type"], reply["sender"], reply["recipient"]) == ("query.answer", "FR", "BE")
    assert reply["in_reply_to"] == json.loads(body)["id"]
    fr_public = keys.load(node.settings).public_key()
    signatures.verify(
        signatures.Message(headers=dict(r.headers), status=200),
        body=r.content,
        components=rules.RESPONSE_COMPONENTS,
        key_for=lambda kid: fr_public if kid == "FR" else None,
        now=START,
    )


def _post(inbox: TestClient, body: bytes, headers: dict[str, str]) -> Any:
    return inbox.post(rules.INBOX_PATH, content=body, headers=headers)


REFUSALS = [
    ("no signature", 401, "not signed"),
    # The caller is told the same for both (it cannot probe which node codes are registered);
    # the audit log keeps the exact reason.
    ("unknown key", 401, "unknown key"),
    ("bad signature", 401, "bad signature"),
    ("altered body", 401, "altered in transit"),
    ("date too old", 401, "outside the allowed"),
    ("date too far ahead", 401, "outside the allowed"),
    ("wrong recipient", 403, "addressed to ES"),
    ("sender is not the signer", 403, "claims to come from ES"),
]


def _bad(case: str, key: Ed25519PrivateKey) -> tuple[bytes, dict[str, str]]:
    body = envelope()
    if case == "no signature":
        return body, {"content-type": "application/json"}
    if case == "unknown key":
        return body, signed(Ed25519PrivateKey.generate(), body, keyid="NL")
    if case == "bad signature":
        return body, signed(Ed25519PrivateKey.generate(), body)
    if case == "altered body":
        return body.replace(b"spaceship", b"submarine"), signed(key, body)
    if case == "date too old":
        return body, signed(key, body, minutes=-6)
    if case == "date too far ahead":
        return body, signed(key, body, minutes=6)
    body = envelope(recipient="ES") if case == "wrong recipient" else envelope(sender="ES")
    return body, signed(key, body)


def test_bad_messages_are_refused_with_a_typed_error_and_audited(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey
) -> None:
    for n, (case, status, reason) in enumerate(REFUSALS, start=1):
        body, headers = _bad(case, key)
        r = _post(inbox, body, headers)
        assert r.status_code == status, case
        if case in ("unknown key", "bad signature"):
            assert r.json()["message"] == signatures.NOT_VERIFIED, case
        else:
            assert reason in r.json()["message"], case
        expected = "signature_invalid" if status == 401 else "permission_denied"
        assert r.json()["error"] == expected, case
        entries = refusals(node)
        assert len(entries) == n, case
        assert entries[-1].outcome == "denied"
        assert reason in json.loads(entries[-1].details)["reason"], case
    with node.session() as session:
        processed = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "federation.query")
        ).all()
    assert processed == []  # none of them reached the application


def test_a_replayed_message_id_is_refused_409_with_the_first_reply(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey
) -> None:
    body = envelope()
    first = _post(inbox, body, signed(key, body))
    again = _post(inbox, body, signed(key, body, seconds=30))
    assert first.status_code == 200
    assert again.status_code == 409
    assert again.json()["error"] == "replay"
    assert again.json()["details"]["reply"] == first.json()
    assert [e.object_id for e in refusals(node)] == [json.loads(body)["id"]]
    with node.session() as session:
        searches = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "federation.query")
        ).all()
    assert len(searches) == 1  # processed once


def test_a_malformed_envelope_is_refused_400(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey
) -> None:
    body = b'{"id": "nope"}'
    r = _post(inbox, body, signed(key, body))
    assert r.status_code == 400
    assert "not a valid federation envelope" in r.json()["message"]


def test_a_removed_peer_can_no_longer_post(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey
) -> None:
    with node.session() as session:
        peers.remove(session, "BE")
    body = envelope()
    r = _post(inbox, body, signed(key, body))
    assert r.status_code == 401
    assert r.json()["message"] == signatures.NOT_VERIFIED
    assert "unknown key 'BE'" in json.loads(refusals(node)[-1].details)["reason"]


def test_the_server_runs_a_delivery_worker_that_drains_the_outbox(
    node: Node, key: Ed25519PrivateKey
) -> None:
    """With its lifespan, the app delivers due messages by itself (here to a peer that is down:
    the attempt is recorded and the next one scheduled with back-off)."""
    from passerelle.federation import envelope as env
    from passerelle.federation import outbox
    from passerelle.federation.model import Message

    with node.session() as session:
        message = env.make(node, recipient="BE", type="ack", purpose="p", legal_basis="l")
        row_id = outbox.enqueue(session, message, now=START, cipher=node.cipher).id
    app = create_app(node)
    with TestClient(app, base_url="http://fr.test"):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with node.session() as session:
                row = session.get(Message, row_id)
                assert row is not None
                if row.last_error:  # the attempt is over and recorded
                    break
            time.sleep(0.1)
    assert row.attempts == 1 and row.status == "pending"
    assert row.last_error and "BE unreachable" in row.last_error


def test_an_oversized_keyid_is_refused_unread_and_audited_in_a_small_entry(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey
) -> None:
    """Finding 4 of issue #14: a 60,000-character key id wrote ~120 KB of audit per request."""
    peers.forget_keys()
    body = envelope()
    headers = signed(key, body)
    huge = "A" * 60_000
    headers["signature-input"] = headers["signature-input"].replace('keyid="BE"', f'keyid="{huge}"')
    r = _post(inbox, body, headers)
    assert r.status_code == 400
    assert "signature-input header exceeds" in r.json()["message"]
    entry = refusals(node)[-1]
    assert entry.actor == "peer:unverified"
    assert len(entry.actor) + len(entry.object_id) + len(entry.details) < 1000
    assert "AAAA" not in entry.details
    assert peers.cached_key_count() == 0  # nothing was looked up for it


def test_all_headers_together_are_bounded(inbox: TestClient, node: Node) -> None:
    body = envelope()
    padding = {f"x-pad-{n}": "p" * 1000 for n in range(20)}
    r = _post(inbox, body, {"content-type": "application/json", **padding})
    assert r.status_code == 400
    assert "request headers exceed" in r.json()["message"]


def test_invented_key_ids_cannot_grow_the_key_cache(inbox: TestClient, node: Node) -> None:
    peers.forget_keys()
    for n in range(rules.PEER_KEY_CACHE_SIZE + 44):
        code = f"Z{n:03d}"
        body = envelope(sender=code)
        r = _post(inbox, body, signed(Ed25519PrivateKey.generate(), body, keyid=code))
        assert r.status_code == 401
    assert peers.cached_key_count() == rules.PEER_KEY_CACHE_SIZE


def test_refusals_are_audited_a_few_times_per_source_then_counted_in_a_summary(
    inbox: TestClient, node: Node, clock: FrozenClock
) -> None:
    body = envelope()
    unsigned = {"content-type": "application/json"}
    for _ in range(rules.REFUSAL_AUDIT_PER_WINDOW + 15):
        assert _post(inbox, body, unsigned).status_code == 401
    assert len(refusals(node)) == rules.REFUSAL_AUDIT_PER_WINDOW
    clock.advance(rules.REFUSAL_AUDIT_WINDOW + timedelta(seconds=1))
    assert _post(inbox, body, unsigned).status_code == 401
    entries = refusals(node)
    assert [e.outcome for e in entries[-2:]] == ["rate-limited", "denied"]
    summary = json.loads(entries[-2].details)
    assert summary["refusals_not_logged"] == 15
    assert (summary["source"], summary["error"]) == ("testclient", "signature_invalid")
    with node.session() as session:
        assert audit.verify(session).ok


def test_errors_do_not_reveal_which_node_codes_are_registered(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey
) -> None:
    """Finding 10 of issue #14: "unknown key 'NL'" against "bad signature for key 'BE'"."""
    body = envelope()
    stranger = Ed25519PrivateKey.generate()

    def answer(keyid: str, signing: Ed25519PrivateKey, posted: bytes) -> tuple[int, Any]:
        r = _post(inbox, posted, signed(signing, body, keyid=keyid))
        return r.status_code, r.json()

    altered = body.replace(b"spaceship", b"submarine")
    assert answer("BE", stranger, body) == answer("NL", stranger, body)  # bad sig / unknown
    assert answer("BE", key, altered) == answer("NL", stranger, altered)  # altered body
    assert answer("BE", stranger, body)[1]["message"] == signatures.NOT_VERIFIED


def test_a_handlers_reply_always_answers_the_message_it_was_given(
    inbox: TestClient, node: Node, key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sender refuses a reply that does not answer its message; a handler that forgets
    ``in_reply_to`` still sends one that does."""
    from passerelle.federation import dispatch
    from passerelle.federation import envelope as env

    def forgetful(session: Any, node: Node, message: Any) -> Any:
        return env.make(node, recipient=message.sender, type="ack", purpose="p", legal_basis="l")

    monkeypatch.setitem(dispatch._HANDLERS, "ack", forgetful)
    body = envelope(type="ack", payload={}, handling=None)
    r = _post(inbox, body, signed(key, body))
    assert r.status_code == 200, r.text
    assert r.json()["in_reply_to"] == json.loads(body)["id"]
