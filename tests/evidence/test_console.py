"""The issuing authority's console pages: the orders list with search, pagination, CSV
export, overdue orders and reminders marked; an order's page with its certificate,
deadlines, history, answers with file hashes and export links; the home page's count."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient

from passerelle.evidence.schemas import DataAnswerIn
from passerelle.evidence.service import answers, orders
from passerelle.node import Node
from passerelle.privacy import FrozenClock
from tests.conftest import csrf_of, login, make_user
from tests.evidence.conftest import add_provider, order_in, principal, provider_principal


def _issue(node: Node, **changes: object) -> str:
    with node.session() as session:
        return orders.issue(session, node, principal(), order_in(**changes)).reference


def _emergency_order(node: Node) -> tuple[str, str]:
    """An emergency order issued by an authority that needs validation: (reference, id)."""
    add_provider(node)
    ref = _issue(node, authority_type="other", emergency=True)
    with node.session() as session:
        return ref, orders.get(session, node, principal(), ref).id


def test_list_searches_exports_and_marks_overdue_orders(
    node: Node, client: TestClient, clock: FrozenClock
) -> None:
    add_provider(node)
    late = _issue(node, offence="Escroquerie en bande organisée")
    clock.advance(timedelta(days=11))
    fresh = _issue(node, offence="Harcèlement en ligne")
    make_user(node, "juge", "judicial")
    login(client, "juge")
    page = client.get("/evidence")
    assert page.status_code == 200
    assert "Injonctions européennes de production et de conservation" in page.text
    reminders = page.text.split('id="reminders"')[1].split("</section>")[0]
    assert late in reminders and fresh not in reminders and "En retard" in reminders
    assert 'class="overdue"' in page.text
    found = client.get("/evidence?q=harcèlement").text
    assert fresh in found.split("<tbody>")[1] and late not in found.split("<tbody>")[1]
    assert late not in client.get("/evidence?status=answered").text.split("<tbody>")[1]
    export = client.get("/evidence/orders.csv")
    assert export.headers["content-type"].startswith("text/csv")
    lines = export.text.splitlines()
    assert lines[0].startswith("reference,form,provider")
    assert any(late in line and line.endswith("overdue") for line in lines[1:])
    assert client.get("/evidence?format=csv").text == export.text
    home = client.get("/").text
    assert "Injonctions e-Evidence en retard" in home
    assert "Injonctions e-Evidence en attente du fournisseur" in home


def test_order_page_shows_certificate_history_hashes_and_exports(
    node: Node, client: TestClient
) -> None:
    add_provider(node)
    ref = _issue(node)
    content = b"subscriber;line\nJan Peeters;+32470000000\n"
    with node.session() as session:
        answers.acknowledge(session, node, provider_principal(), ref)
        answers.answer_data(session, node, provider_principal(), ref, DataAnswerIn(
            files=[{"name": "subscriber.csv", "media_type": "text/csv",
                    "content_base64": base64.b64encode(content).decode()}]))  # fmt: skip
        order_id = orders.get(session, node, principal(), ref).id
    make_user(node, "juge", "judicial")
    login(client, "juge")
    page = client.get(f"/evidence/orders/{ref}")
    assert page.status_code == 200
    assert "Escroquerie en bande organisée" in page.text and "203.0.113.7" in page.text
    history = page.text.split('id="history"')[1].split("</ol>")[0]
    assert history.index("émise") < history.index("acquitté") < history.index("données")
    assert "subscriber.csv" in page.text
    assert hashlib.sha256(content).hexdigest() in page.text
    json_link = f"/api/v1/evidence/orders/{order_id}/export.json"
    assert json_link in page.text and f"/api/v1/evidence/orders/{order_id}/export.pdf" in page.text
    assert client.get(json_link).json()["reference"] == ref
    assert client.get("/evidence/orders/nothing").status_code == 404


def test_the_console_needs_an_issuing_role(node: Node, client: TestClient) -> None:
    make_user(node, "clerk", "admin")
    login(client, "clerk")
    assert client.get("/evidence").status_code == 403
    assert client.get("/evidence/orders.csv").status_code == 403


def test_an_emergency_order_is_validated_from_its_page_and_a_refused_validator_shown_inline(
    node: Node, client: TestClient
) -> None:
    ref, order_id = _emergency_order(node)
    make_user(node, "juge", "judicial")
    login(client, "juge")
    page = client.get(f"/evidence/orders/{ref}")
    assert 'id="validate"' in page.text and "Valider l'injonction" in page.text
    token = csrf_of(client, f"/evidence/orders/{ref}")
    action = f"/evidence/orders/{order_id}/validate"
    headers = {"referer": f"http://testserver/evidence/orders/{order_id}"}
    # the police is no validating authority (art. 4): refused on the order's page, input kept
    refused = client.post(action, headers=headers, data={
        "csrf_token": token, "validator_type": "police", "validator_name": "PR Lille"})  # fmt: skip
    assert refused.status_code == 422
    assert 'id="validate"' in refused.text and "PR Lille" in refused.text
    empty = client.post(action, headers=headers, data={
        "csrf_token": token, "validator_type": "judge", "validator_name": " "})  # fmt: skip
    assert empty.status_code == 422 and 'id="validate"' in empty.text
    with node.session() as session:
        assert orders.get(session, node, principal(), ref).validated_at is None
    form = {"csrf_token": token, "validator_type": "judge", "validator_name": "Juge, TJ Lille"}
    done = client.post(action, follow_redirects=False, data=form)
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert f"Injonction {ref} validée." in shown and "Juge, TJ Lille" in shown
    assert 'id="validate"' not in shown
    assert (
        client.post(action, data={"validator_type": "judge", "validator_name": "x"}).status_code
        == 403
    )


def test_withdrawing_asks_for_confirmation_and_an_analyst_may_not_validate(
    node: Node, client: TestClient
) -> None:
    ref, order_id = _emergency_order(node)
    make_user(node, "ana", "analyst")
    login(client, "ana")
    token = csrf_of(client, f"/evidence/orders/{ref}")
    denied = client.post(f"/evidence/orders/{order_id}/validate", data={
        "csrf_token": token, "validator_type": "judge", "validator_name": "x"})  # fmt: skip
    assert denied.status_code == 403
    action = f"/evidence/orders/{order_id}/withdraw"
    asked = client.post(action, data={"csrf_token": token})
    assert asked.status_code == 200 and "Cette action est irréversible." in asked.text
    assert ref in asked.text and 'name="confirmed"' in asked.text
    with node.session() as session:
        assert orders.get(session, node, principal(), ref).status == "issued"
    done = client.post(
        action, data={"csrf_token": token, "confirmed": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert f"Injonction {ref} retirée." in client.get(done.headers["location"]).text
    with node.session() as session:
        assert orders.get(session, node, principal(), ref).status == "withdrawn"


def _preservation(node: Node) -> tuple[str, str]:
    """An open preservation order (EPOC-PR) issued by this node: (reference, id)."""
    add_provider(node)
    ref = _issue(node, form="EPOC-PR")
    with node.session() as session:
        return ref, orders.get(session, node, principal(), ref).id


def test_a_preservation_is_extended_once_from_its_page_and_a_second_extension_refused(
    node: Node, client: TestClient
) -> None:
    ref, order_id = _preservation(node)
    with node.session() as session:
        until = orders.get(session, node, principal(), ref).preserve_until
    assert until is not None
    make_user(node, "juge", "judicial")
    login(client, "juge")
    page = client.get(f"/evidence/orders/{ref}")
    assert 'id="extend"' in page.text and "Prolonger la conservation" in page.text
    token = csrf_of(client, f"/evidence/orders/{ref}")
    action = f"/evidence/orders/{order_id}/extend"
    asked = client.post(action, data={"csrf_token": token})
    assert asked.status_code == 200 and "Cette action est irréversible." in asked.text
    assert "une fois" in asked.text and 'name="confirmed"' in asked.text
    with node.session() as session:
        assert not orders.get(session, node, principal(), ref).extended
    done = client.post(action, data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert f"Conservation de l&#39;injonction {ref} prolongée de 30 jours." in shown
    assert 'id="extend"' not in shown and "Déjà prolongée une fois" in shown
    with node.session() as session:
        assert orders.get(session, node, principal(), ref).preserve_until == until + timedelta(
            days=30
        )
    # the page of before, still open in another tab: the regulation allows one extension only
    again = client.post(
        action,
        headers={"referer": f"http://testserver/evidence/orders/{order_id}"},
        data={"csrf_token": token, "confirmed": "yes"},
    )
    assert again.status_code == 409
    assert "extended already" in again.text and "art. 11(1)" in again.text
    with node.session() as session:
        assert orders.get(session, node, principal(), ref).preserve_until == until + timedelta(
            days=30
        )


def test_a_preservation_is_confirmed_from_its_page_and_a_production_order_cannot_be(
    node: Node, client: TestClient
) -> None:
    ref, order_id = _preservation(node)
    production = _issue(node)
    make_user(node, "ana", "analyst")
    login(client, "ana")
    assert 'id="confirm"' not in client.get(f"/evidence/orders/{production}").text
    token = csrf_of(client, f"/evidence/orders/{ref}")
    action = f"/evidence/orders/{order_id}/confirm"
    assert "Cette action est irréversible." in client.post(action, data={"csrf_token": token}).text
    done = client.post(action, data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert f"Injonction {ref} confirmée : une demande de production suit." in shown
    assert 'id="confirm"' not in shown and "Une demande de production suit" in shown
    with node.session() as session:
        assert orders.get(session, node, principal(), ref).confirmed_at is not None
    refused = client.post(f"/evidence/orders/{production}/confirm",
                          data={"csrf_token": token, "confirmed": "yes"})  # fmt: skip
    assert refused.status_code == 409 and "only an open preservation order" in refused.text


def test_preservation_acts_need_an_issuing_role_and_the_form_token(
    node: Node, client: TestClient
) -> None:
    ref, order_id = _preservation(node)
    make_user(node, "chef", "supervisor")
    make_user(node, "juge", "judicial")
    login(client, "chef")
    page = client.get(f"/evidence/orders/{ref}")
    assert page.status_code == 200
    token = csrf_of(client, f"/evidence/orders/{ref}")
    for act in ("extend", "confirm"):
        denied = client.post(f"/evidence/orders/{order_id}/{act}",
                             data={"csrf_token": token, "confirmed": "yes"})  # fmt: skip
        assert denied.status_code == 403
    login(client, "juge")
    for act in ("extend", "confirm"):
        forged = client.post(f"/evidence/orders/{order_id}/{act}", data={"confirmed": "yes"})
        assert forged.status_code == 403
    with node.session() as session:
        order = orders.get(session, node, principal(), ref)
        assert not order.extended and order.confirmed_at is None
