from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from tests.conftest import csrf_of, login, make_user

from passerelle.node import Node
from passerelle.privacy import FrozenClock, accounts, audit


def test_login_shows_the_home_page_for_the_role(client: TestClient, node: Node) -> None:
    make_user(node, "fr.dpo", "dpo")
    answer = login(client, "fr.dpo")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "fr.dpo" in home.text
    assert 'href="/audit"' in home.text
    assert 'href="/admin"' not in home.text


def test_wrong_password_is_refused_and_audited(client: TestClient, node: Node) -> None:
    make_user(node, "fr.analyst", "analyst")
    answer = login(client, "fr.analyst", "wrong password!")
    assert answer.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in answer.text  # French by default
    with node.session() as session:
        entries, _ = audit.search(session, audit.AuditQuery(action="login"))
    assert (entries[0].actor, entries[0].outcome) == ("fr.analyst", "denied")


def test_login_form_without_csrf_token_is_refused(client: TestClient, node: Node) -> None:
    make_user(node, "fr.analyst", "analyst")
    answer = client.post("/login", data={"username": "fr.analyst", "password": "x" * 12})
    assert answer.status_code == 403
    assert "jeton de sécurité" in answer.text  # in the reader's language (French default)
    assert "Traceback" not in answer.text


def test_console_form_without_csrf_token_is_refused(client: TestClient, node: Node) -> None:
    make_user(node, "fr.admin", "admin")
    login(client, "fr.admin")
    answer = client.post(
        "/admin/users", data={"username": "new", "password": "x" * 12, "roles": "analyst"}
    )
    assert answer.status_code == 403
    token = csrf_of(client, "/admin")
    answer = client.post(
        "/admin/users",
        data={
            "username": "new.analyst",
            "password": "x" * 12,
            "roles": "analyst",
            "csrf_token": token,
        },
    )
    assert answer.status_code == 303
    assert "new.analyst" in client.get("/admin").text


def test_the_add_user_form_applies_the_username_rule_and_shows_the_error(
    client: TestClient, node: Node
) -> None:
    """Finding 7 of issue #14: the form skipped the API's rule (``token:dl-analyst``)."""
    make_user(node, "fr.admin", "admin")
    login(client, "fr.admin")
    token = csrf_of(client, "/admin")
    for name in ("token:dl-analyst", "peer:BE"):
        answer = client.post(
            "/admin/users",
            data={"username": name, "password": "x" * 12, "roles": "analyst", "csrf_token": token},
        )
        assert answer.status_code == 422, name
        assert "lettres minuscules" in answer.text  # the rule, in the user's language
        assert 'class="error-summary"' in answer.text  # shown on the admin page
        assert f'value="{name}"' in answer.text  # the input is kept
    with node.session() as session:
        assert [u.username for u in accounts.list_users(session)] == ["fr.admin"]


def test_expired_session_sends_back_to_login(
    client: TestClient, node: Node, clock: FrozenClock
) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    assert client.get("/").status_code == 200
    clock.advance(timedelta(hours=node.settings.session_hours, minutes=1))
    answer = client.get("/")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/&expired=1"
    page = client.get(answer.headers["location"])
    assert "Votre session a expiré" in page.text
    api = client.get("/api/v1/me")
    assert (api.status_code, api.json()["error"]) == (401, "session_expired")


def test_logout_ends_the_session(client: TestClient, node: Node) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    token = csrf_of(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 303


def test_language_choice_is_remembered_per_user(app: object, node: Node) -> None:
    make_user(node, "fr.analyst", "analyst")
    with TestClient(app, follow_redirects=False) as first:  # type: ignore[arg-type]
        login(first, "fr.analyst")
        assert "Bienvenue" in first.get("/").text
        first.post("/language", data={"locale": "nl", "back": "/", "csrf_token": csrf_of(first)})
        assert "Welkom" in first.get("/").text
    with TestClient(app, follow_redirects=False) as second:  # type: ignore[arg-type]
        # A new browser: no language cookie, but the user's choice is stored with the account.
        login(second, "fr.analyst")
        assert "Welkom" in second.get("/").text
        second.post("/language", data={"locale": "en", "back": "/", "csrf_token": csrf_of(second)})
        assert "Welcome" in second.get("/").text


def test_unknown_language_is_a_clear_error(client: TestClient, node: Node) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    answer = client.post("/language", data={"locale": "de", "csrf_token": csrf_of(client)})
    assert answer.status_code == 422
    assert "choose fr, nl or en" in answer.text


def test_dpo_sees_login_in_audit_viewer_and_the_view_is_audited(
    client: TestClient, node: Node
) -> None:
    make_user(node, "fr.dpo", "dpo")
    login(client, "fr.dpo")
    page = client.get("/audit")
    assert page.status_code == 200
    assert "fr.dpo" in page.text and "login" in page.text
    verify = client.get("/audit/verify")
    assert "Chaîne intacte" in verify.text
    with node.session() as session:
        reads, _ = audit.search(session, audit.AuditQuery(action="read", object_type="audit_log"))
    assert reads and reads[0].actor == "fr.dpo"


def test_analyst_cannot_open_the_audit_log(client: TestClient, node: Node) -> None:
    make_user(node, "fr.analyst", "analyst")
    login(client, "fr.analyst")
    answer = client.get("/audit")
    assert answer.status_code == 403
    from passerelle.kit import i18n, labels

    i18n.set_locale("fr")
    assert labels.label("role", "dpo") in answer.text  # the role that may, by its label


def test_unknown_page_is_a_clear_not_found(client: TestClient, node: Node) -> None:
    answer = client.get("/no/such/page")
    assert answer.status_code == 404
    assert "Page introuvable" in answer.text and "<code>/no/such/page</code>" in answer.text


def test_repeated_wrong_passwords_throttle_the_account(
    client: TestClient, node: Node, clock: FrozenClock
) -> None:
    make_user(node, "fr.analyst", "analyst")
    for _ in range(5):
        assert login(client, "fr.analyst", "wrong password!").status_code == 401
    blocked = login(client, "fr.analyst")  # even the right password is refused for now
    assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.text
    clock.advance(timedelta(minutes=16))
    assert login(client, "fr.analyst").status_code == 303


def test_console_pages_forbid_framing_and_inline_scripts(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in headers["content-security-policy"]
