"""The provider's console pages (/evidence/provider): a console user of role ``addressee``
in the provider's agency sees only the orders addressed to it, acknowledges after a
confirmation, answers with an uploaded file (SHA-256 stored as the API does, too large a file
refused inline) or with the Annex III form; another provider's order is a 404."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from html import unescape

from fastapi.testclient import TestClient

from passerelle.evidence import rules
from passerelle.evidence.console_provider import REASONS
from passerelle.evidence.model import AnswerFile
from passerelle.evidence.service import answers, orders
from passerelle.node import Node
from passerelle.privacy import FrozenClock, accounts
from tests.conftest import PASSWORD, csrf_of, login, make_user
from tests.evidence.conftest import add_provider, order_in, principal


def _staff(node: Node, username: str = "ops.telco", provider: str = "telco-be") -> None:
    with node.session() as session:
        accounts.add_user(session, username=username, password=PASSWORD,
                          roles=["addressee"], agency=provider,
                          now=node.clock.now())  # fmt: skip


def _issue(node: Node, **changes: object) -> tuple[str, str]:
    with node.session() as session:
        order = orders.issue(session, node, principal(), order_in(**changes))
        return order.reference, order.id


def _status(node: Node, ref: str) -> str:
    with node.session() as session:
        return orders.get(session, node, principal(), ref).status


def _setup(node: Node, client: TestClient) -> tuple[str, str, str]:
    """telco-be's order (reference, id) and its staff logged in; mobile-nl has one too."""
    add_provider(node)
    add_provider(node, "mobile-nl", "NL")
    ref, order_id = _issue(node)
    _issue(node, provider="mobile-nl", offence="Fraude chez l'autre fournisseur")
    _staff(node)
    login(client, "ops.telco")
    return ref, order_id, csrf_of(client, "/evidence/provider")


def test_the_staff_lists_its_orders_only_with_overdue_ones_marked(
    node: Node, client: TestClient, clock: FrozenClock
) -> None:
    add_provider(node)
    add_provider(node, "mobile-nl", "NL")
    late, _ = _issue(node, offence="Escroquerie ancienne")
    clock.advance(timedelta(days=11))
    fresh, _ = _issue(node, offence="Harcèlement en ligne")
    other, other_id = _issue(node, provider="mobile-nl")
    _staff(node)
    login(client, "ops.telco")
    home = client.get("/")
    assert 'href="/evidence/provider"' in home.text and 'href="/evidence"' not in home.text
    assert "Injonctions en attente de votre réponse" in home.text
    assert "Injonctions reçues en retard" in home.text
    page = client.get("/evidence/provider")
    assert page.status_code == 200 and "Injonctions reçues — Telco Belgique SA" in page.text
    body = page.text.split("<tbody>")[1]
    assert late in body and fresh in body and other not in body
    assert 'class="overdue"' in body and "En retard" in body
    assert fresh in client.get("/evidence/provider?q=harcèlement").text.split("<tbody>")[1]
    export = client.get("/evidence/provider/orders.csv")
    assert export.headers["content-type"].startswith("text/csv")
    assert late in export.text and other not in export.text
    # another provider's order does not exist for this provider
    assert client.get(f"/evidence/provider/orders/{other_id}").status_code == 404
    assert client.get(f"/evidence/provider/orders/{other}").status_code == 404
    token = csrf_of(client, "/evidence/provider")
    refused = client.post(f"/evidence/provider/orders/{other_id}/ack",
                          data={"csrf_token": token, "confirmed": "yes"})  # fmt: skip
    assert refused.status_code == 404 and _status(node, other) == "issued"
    # and the issuing authority's pages are not the staff's
    assert client.get("/evidence").status_code == 403
    assert client.get(f"/evidence/orders/{other_id}").status_code == 403


def test_acknowledging_asks_for_confirmation(node: Node, client: TestClient) -> None:
    ref, order_id, token = _setup(node, client)
    page = client.get(f"/evidence/provider/orders/{order_id}")
    assert (
        page.status_code == 200 and "203.0.113.7" in page.text and 'id="acknowledge"' in page.text
    )
    action = f"/evidence/provider/orders/{order_id}/ack"
    asked = client.post(action, data={"csrf_token": token})
    assert asked.status_code == 200 and ref in asked.text and 'name="confirmed"' in asked.text
    assert _status(node, ref) == "issued"
    done = client.post(action, data={"csrf_token": token, "confirmed": "yes"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    shown = unescape(client.get(done.headers["location"]).text)
    assert f"Réception de l'injonction {ref} confirmée." in shown
    assert 'id="acknowledge"' not in shown
    assert _status(node, ref) == "acknowledged"


def test_answering_with_a_file_stores_its_hash_and_a_large_file_is_refused_inline(
    node: Node, client: TestClient
) -> None:
    ref, order_id, token = _setup(node, client)
    action = f"/evidence/provider/orders/{order_id}/answer"
    headers = {"referer": f"http://testserver/evidence/provider/orders/{order_id}"}
    big = b"x" * (answers.file_limit(node) + 1)
    refused = client.post(action, headers=headers, data={"csrf_token": token, "note": "gros"},
                          files={"file": ("big.bin", big, "application/octet-stream")})  # fmt: skip
    assert refused.status_code == 422
    assert 'class="error-summary"' in refused.text and 'id="answer"' in refused.text
    assert "Le fichier dépasse 7.9 Mo" in refused.text
    missing = client.post(action, headers=headers, data={"csrf_token": token},
                          files={"file": ("", b"", "application/octet-stream")})  # fmt: skip
    assert missing.status_code == 422 and 'id="answer"' in missing.text
    assert _status(node, ref) == "issued"
    content = "abonné;ligne\nJan Peeters;+32470000000\n".encode()
    done = client.post(action, data={"csrf_token": token, "note": "Ligne trouvée."},
                       files={"file": ("subscriber.csv", content, "text/csv")},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    shown = unescape(client.get(done.headers["location"]).text)
    digest = hashlib.sha256(content).hexdigest()
    assert f"Données envoyées pour l'injonction {ref}." in shown and digest in shown
    assert 'id="answer"' not in shown
    with node.session() as session:
        (row,) = session.query(AnswerFile).all()
        assert (row.name, row.sha256, row.content) == ("subscriber.csv", digest, content)
    assert _status(node, ref) == "answered"
    # the issuing authority reads the same hash on its page
    make_user(node, "juge", "judicial")
    client.cookies.clear()
    login(client, "juge")
    assert digest in client.get(f"/evidence/orders/{ref}").text


def test_the_annex_iii_form_closes_the_order_and_its_reason_is_required(
    node: Node, client: TestClient
) -> None:
    ref, order_id, token = _setup(node, client)
    action = f"/evidence/provider/orders/{order_id}/impossibility"
    headers = {"referer": f"http://testserver/evidence/provider/orders/{order_id}"}
    bad = client.post(action, headers=headers, data={
        "csrf_token": token, "reason": "bored", "explanation": "Pas envie."})  # fmt: skip
    assert bad.status_code == 422 and 'id="impossibility"' in bad.text
    assert "Pas envie." in bad.text and _status(node, ref) == "issued"
    done = client.post(action, follow_redirects=False, data={
        "csrf_token": token, "reason": "data_not_held",
        "explanation": "Aucune donnée conservée pour cette adresse."})  # fmt: skip
    assert done.status_code == 303
    shown = unescape(client.get(done.headers["location"]).text)
    assert "données non détenues" in shown and "elle ne peut pas être exécutée" in shown
    assert _status(node, ref) == "impossible"
    assert tuple(REASONS) == rules.IMPOSSIBILITY_REASONS


def test_other_roles_are_refused_and_the_csrf_token_is_required(
    node: Node, client: TestClient
) -> None:
    ref, order_id, _ = _setup(node, client)
    assert client.post(f"/evidence/provider/orders/{order_id}/ack",
                       data={"confirmed": "yes"}).status_code == 403  # fmt: skip
    assert _status(node, ref) == "issued"
    make_user(node, "juge", "judicial")
    client.cookies.clear()
    login(client, "juge")
    assert client.get("/evidence/provider").status_code == 403
    assert client.get(f"/evidence/provider/orders/{order_id}").status_code == 403
    # a addressee user outside any provider's agency has no provider
    make_user(node, "lost", "addressee")
    client.cookies.clear()
    login(client, "lost")
    assert client.get("/evidence/provider").status_code == 404
