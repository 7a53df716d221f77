"""Every console string has its French and Dutch translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from passerelle.kit import i18n
from passerelle.privacy.rules import ROLES

WEB = i18n.LOCALES_DIR.parent
#: The route kit (role names) and the web app (templates, foundation pages).
SOURCES = (WEB, Path(i18n.__file__).parent)


def _msgids() -> set[str]:
    found = [
        message
        for source in SOURCES
        for _, _, message, _, _ in extract_from_dir(
            str(source),
            method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
            options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={"_": None, "N_": None, "gettext": None},
        )
    ]
    return {message for message in found if isinstance(message, str)}


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_every_console_string_is_translated(locale: str) -> None:
    po = i18n.LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    ids = _msgids()
    assert len(ids) > 40
    untranslated = sorted(m for m in ids if not (catalogue.get(m) and catalogue.get(m).string))
    assert untranslated == []


def test_console_is_served_in_each_language() -> None:
    i18n.set_locale("nl")
    assert i18n.gettext("Log in") == "Aanmelden"
    i18n.set_locale("fr")
    assert i18n.gettext("Log in") == "Se connecter"
    i18n.set_locale("en")
    assert i18n.gettext("Log in") == "Log in"


def test_every_role_has_a_label_to_translate() -> None:
    assert set(i18n.ROLE_NAMES) == set(ROLES)
