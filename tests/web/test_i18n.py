"""Every console string has its French and Dutch translation."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir

from passerelle import domains
from passerelle.kit import i18n, labels
from passerelle.privacy.rules import ROLES

WEB = i18n.LOCALES_DIR.parent
PACKAGE = WEB.parent


def _msgids() -> set[str]:
    """Every string marked for translation in the package (templates, ``_``/``N_`` in any
    module, domains included) and every label of the label registry."""
    found = extract_from_dir(
        str(PACKAGE),
        method_map=[("web/templates/**.html", "jinja2"), ("**.py", "python")],
        options_map={"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "N_": None, "gettext": None},
    )
    ids = {message for _, _, message, _, _ in found if isinstance(message, str)}
    domains.routers()  # each domain console registers its labels when imported
    for group in labels.groups().values():
        ids |= set(group.values())
    return ids


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_every_console_string_is_translated(locale: str) -> None:
    catalogue = i18n.catalogue(locale)
    ids = _msgids()
    assert len(ids) > 400
    untranslated = sorted(m for m in ids if not (catalogue.get(m) and catalogue.get(m).string))
    assert untranslated == []


def test_a_later_catalogue_adds_to_messages_po() -> None:
    """``lists.po`` strings are served next to ``messages.po`` ones."""
    names = [p.name for p in i18n.catalogue_files("fr")]
    assert names[0] == "messages.po" and "lists.po" in names  # domains add <domain>.po
    i18n.set_locale("nl")
    assert i18n.gettext("Log in") == "Aanmelden"  # messages.po
    assert i18n.gettext("Create my feed address") == "Mijn abonnementsadres aanmaken"


def test_console_is_served_in_each_language() -> None:
    i18n.set_locale("nl")
    assert i18n.gettext("Log in") == "Aanmelden"
    i18n.set_locale("fr")
    assert i18n.gettext("Log in") == "Se connecter"
    i18n.set_locale("en")
    assert i18n.gettext("Log in") == "Log in"


def test_every_role_has_a_label_to_translate() -> None:
    assert set(i18n.ROLE_NAMES) == set(ROLES)
