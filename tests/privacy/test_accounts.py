from __future__ import annotations

from datetime import timedelta

import pytest
from tests.conftest import PASSWORD, make_user

from passerelle.errors import (
    Conflict,
    InvalidCredentials,
    NotAuthenticated,
    SessionExpired,
    ValidationFailed,
)
from passerelle.node import Node
from passerelle.privacy import accounts
from passerelle.privacy.clock import FrozenClock


@pytest.mark.parametrize(
    "name", ["token:dl-analyst", "peer:BE", "BE.analyst", "x", "a" * 65, "fr analyst", "é.t"]
)
def test_usernames_follow_one_rule_that_no_token_or_peer_name_passes(node: Node, name: str) -> None:
    """Finding 7 of issue #14: ``token:…`` and ``peer:…`` users looked like tokens and peers in
    the audit log."""
    with pytest.raises(ValidationFailed, match="not a valid username"):
        accounts.check_username(name)
    with pytest.raises(ValidationFailed, match="not a valid username"):
        make_user(node, name, "analyst")


def test_the_username_rule_accepts_what_the_console_and_demo_use() -> None:
    for name in ("fr.analyst", "be-liaison_2", "ab", "a" * 64):
        assert accounts.check_username(name) == name


def test_password_is_stored_as_argon2_hash_and_checked(node: Node) -> None:
    make_user(node, "fr.analyst", "analyst")
    with node.session() as session:
        user = accounts.get_user(session, "fr.analyst")
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert accounts.authenticate(session, "fr.analyst", PASSWORD).username == "fr.analyst"
        with pytest.raises(InvalidCredentials, match="wrong username or password"):
            accounts.authenticate(session, "fr.analyst", "not the password")
        with pytest.raises(InvalidCredentials, match="wrong username or password"):
            accounts.authenticate(session, "nobody", PASSWORD)


def test_roles_and_passwords_are_validated(node: Node) -> None:
    with pytest.raises(ValidationFailed, match="unknown role"):
        make_user(node, "xx", "superuser")
    with pytest.raises(ValidationFailed, match="10 characters"):
        make_user(node, "yy", "analyst", password="short")
    with pytest.raises(ValidationFailed, match="unknown role"):
        make_user(node, "zz", "carrier")  # machine roles are for tokens only
    make_user(node, "dup", "analyst")
    with pytest.raises(Conflict):
        make_user(node, "dup", "dpo")


def test_disabling_a_user_ends_their_sessions(node: Node, clock: FrozenClock) -> None:
    make_user(node, "fr.dpo", "dpo")
    with node.session() as session:
        user = accounts.authenticate(session, "fr.dpo", PASSWORD)
        raw = accounts.open_session(session, user, now=clock.now(), hours=8)
    with node.session() as session:
        assert accounts.principal_for_session(session, raw, now=clock.now()).roles == {"dpo"}
        accounts.disable_user(session, "fr.dpo", now=clock.now())
    with node.session() as session:
        with pytest.raises(SessionExpired):
            accounts.principal_for_session(session, raw, now=clock.now())
        with pytest.raises(InvalidCredentials):
            accounts.authenticate(session, "fr.dpo", PASSWORD)


def test_session_expires_after_its_lifetime(node: Node, clock: FrozenClock) -> None:
    make_user(node, "fr.analyst", "analyst")
    with node.session() as session:
        user = accounts.authenticate(session, "fr.analyst", PASSWORD)
        raw = accounts.open_session(session, user, now=clock.now(), hours=8)
    clock.advance(timedelta(hours=8, seconds=1))
    with node.session() as session, pytest.raises(SessionExpired):
        accounts.principal_for_session(session, raw, now=clock.now())


def test_token_works_until_revoked_or_expired(node: Node, clock: FrozenClock) -> None:
    with node.session() as session:
        raw = accounts.create_token(
            session, name="airline", role="carrier", agency="FR", now=clock.now()
        )
        short = accounts.create_token(
            session, name="shop", role="marketplace", agency="FR", now=clock.now(), days=1
        )
    with node.session() as session:
        assert accounts.principal_for_token(session, raw, now=clock.now()).roles == {"carrier"}
        token = accounts.list_tokens(session)[0]
        assert raw not in (token.token_hash, token.prefix)
        accounts.revoke_token(session, "airline", now=clock.now())
    clock.advance(timedelta(days=2))
    with node.session() as session:
        with pytest.raises(NotAuthenticated, match="revoked"):
            accounts.principal_for_token(session, raw, now=clock.now())
        with pytest.raises(NotAuthenticated, match="expired"):
            accounts.principal_for_token(session, short, now=clock.now())
