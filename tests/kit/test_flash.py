"""Success messages: shown once, in the reader's language, and only the console's own."""

from __future__ import annotations

import base64
import json

import pytest
from starlette.requests import Request

from passerelle.kit import flash, i18n


def _request_with(cookie: str) -> Request:
    header = f"{flash.FLASH_COOKIE}={cookie}".encode()
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [(b"cookie", header)]})


def _cookie_of(message: str, **params: str) -> str:
    response = flash.redirect("/admin", message, **params)
    raw = response.headers["set-cookie"].split(";", 1)[0].split("=", 1)[1]
    return raw.strip('"')


def test_the_message_is_translated_when_shown() -> None:
    cookie = _cookie_of("User %(username)s added.", username="fr.new")
    i18n.set_locale("nl")
    assert flash.take(_request_with(cookie)) == "Gebruiker fr.new toegevoegd."
    i18n.set_locale("fr")
    assert flash.take(_request_with(cookie)) == "Utilisateur fr.new ajouté."


def test_a_forged_cookie_cannot_put_text_on_a_page() -> None:
    forged = json.dumps({"m": "Your account is locked: call +00 000", "p": {}})
    cookie = base64.urlsafe_b64encode(forged.encode()).decode()
    assert flash.take(_request_with(cookie)) is None
    assert flash.take(_request_with("not base64 at all!")) is None


def test_only_known_messages_can_be_set() -> None:
    with pytest.raises(ValueError, match="unknown flash message"):
        flash.redirect("/", "anything else")
