"""Console translations: French, Dutch and English from Babel message catalogues.

The ``.po`` catalogues under ``web/locales`` (beside the templates) are compiled in memory at
start-up (no build step), and the current request's language is held in a context variable
that the Jinja2 ``_()`` reads.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).parent.parent / "web" / "locales"
LANGUAGES: dict[str, str] = {"fr": "Français", "nl": "Nederlands", "en": "English"}
_current: ContextVar[str] = ContextVar("passerelle_locale", default="fr")


def catalogue_files(locale: str) -> list[Path]:
    """``messages.po`` first, then the other catalogues of the language (``lists.po``…), which
    add their strings: several parts of the console keep their own file, so that work on one
    does not rewrite the lines of another."""
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    main = folder / "messages.po"
    others = sorted(p for p in folder.glob("*.po") if p.name != main.name)
    return [p for p in (main, *others) if p.exists()]


def catalogue(locale: str) -> Catalog:
    """The merged message catalogue of ``locale``: ``messages.po`` and the others after it (a
    translated entry of a later file fills or replaces the entry of an earlier one)."""
    files = catalogue_files(locale)
    catalog = Catalog(locale=locale)
    for po in files:
        with po.open("rb") as handle:
            part = read_po(handle, locale=locale)
        if po == files[0]:
            catalog = part
            continue
        for message in part:
            if message.id and message.string:
                catalog[message.id] = message
    return catalog


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue of ``locale`` (English is the source language)."""
    if not catalogue_files(locale):
        return NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, catalogue(locale))
    buffer.seek(0)
    return Translations(buffer)


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LANGUAGES else "fr")


def current_locale() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def negotiate(accept_language: str | None, default: str) -> str:
    """Pick fr, nl or en from an ``Accept-Language`` header."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


#: Role codes shown in the console, marked so ``make i18n`` extracts them into the catalogues.
ROLE_NAMES = (
    N_("analyst"),
    N_("supervisor"),
    N_("judicial"),
    N_("dpo"),
    N_("admin"),
    N_("minors"),
    N_("fiu"),
    N_("carrier"),
    N_("marketplace"),
    N_("peer"),
    N_("provider"),
    N_("addressee"),
)
