"""Every console page, for every role, in French, Dutch and English, with the demo data: no
page fails, no string is left untranslated and no internal code is shown instead of words.

The walk starts from every console GET route without a path parameter that the role may open,
then follows the links those pages show (detail pages), up to ``MAX_PAGES`` per role. While a
page renders, every msgid looked up without a translation is recorded (``i18n.translations``
is wrapped); the page's visible text (tags stripped) is searched for codes: ``a.b_c`` kinds,
``snake_case`` values and the codes of the label registry shown alone in a cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import login
from tests.web.test_route_access import _requirement

from passerelle.kit import i18n, labels
from passerelle.node import Node, open_node
from passerelle.privacy import FrozenClock
from passerelle.seed import seed_demo
from passerelle.settings import Settings
from passerelle.web.app import api_routes, create_app

MAX_PAGES = 60
#: Paths that answer with something else than a console page (files, tiles, fragments).
NOT_PAGES = re.compile(r"^/(api|federation/v1|static|health)|\.(csv|png|ics|json|xml)$|/tiles/")
KIND = re.compile(
    r"\b[a-z]{2,}\.[a-z]+_[a-z_]+\b|\b(?:alerts|pnr|dna|crisis|precursors)\.[a-z_]+\b"
)
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
#: Codes shown alone in a table cell or a definition (``<td>in</td>``).
CELL = re.compile(r"<(td|dd|li)[^>]*>\s*([a-z_.]+)\s*</\1>")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, dict[str, str]]]:
    data_dir: Path = tmp_path_factory.mktemp("pages") / "node"
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir.parent / 'node.db'}",
        node="FR",
        retention_interval_seconds=0,
    )
    node = open_node(settings, clock=FrozenClock())
    accounts = seed_demo(node)
    yield node, {a.roles[0]: a.username for a in accounts}
    node.close()


class _Recorder:
    """Wraps a catalogue: records every msgid it could not translate."""

    def __init__(self, inner: Any, missing: set[str]) -> None:
        self.inner, self.missing = inner, missing

    def gettext(self, message: str) -> str:
        text: str = self.inner.gettext(message)
        if text == message and message and not self._known(message):
            self.missing.add(message)
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(self.inner.ngettext(singular, plural, n))

    def _known(self, message: str) -> bool:
        entry = self.locale_catalogue.get(message)
        return bool(entry and entry.string)

    locale_catalogue: Any = None


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style|code|textarea|select)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _start_paths(app: Any, role: str) -> list[str]:
    paths = []
    for route in api_routes(app):
        if "GET" not in route.methods or "{" in route.path or NOT_PAGES.search(route.path):
            continue
        requirement = _requirement(route)
        if requirement is not None and role in requirement.roles:
            paths.append(route.path)
    return sorted(set(paths))


def _forbidden_paths(app: Any, role: str) -> list[str]:
    paths = []
    for route in api_routes(app):
        if "GET" not in route.methods or "{" in route.path or NOT_PAGES.search(route.path):
            continue
        requirement = _requirement(route)
        if requirement is not None and role not in requirement.roles:
            paths.append(route.path)
    return sorted(set(paths))


def _walk(client: TestClient, starts: list[str]) -> Iterator[tuple[str, Any]]:
    seen: set[str] = set()
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page = client.get(path)
        yield path, page
        if page.status_code != 200 or "text/html" not in page.headers.get("content-type", ""):
            continue
        for link in re.findall(r'href="(/[^"#?]*)"', page.text):
            if link not in seen and not NOT_PAGES.search(link) and link != "/logout":
                queue.append(link)


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["fr", "nl", "en"])
def test_every_page_speaks_one_language(
    demo: tuple[Node, dict[str, str]], locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    node, users = demo
    missing: set[str] = set()
    catalogue = i18n.catalogue(locale)
    wrapped = i18n.translations

    def recording(code: str) -> Any:
        recorder = _Recorder(wrapped(code), missing)
        recorder.locale_catalogue = catalogue if code == locale else i18n.catalogue(code)
        return recorder

    monkeypatch.setattr(i18n, "translations", recording)
    codes = {c for group in labels.groups().values() for c in group if len(c) > 3 or c == "in"}
    i18n.set_locale(locale)
    # A code that reads as a word in this language ("done" in English) is not a raw code.
    codes -= {labels.label(name, c) for name, group in labels.groups().items() for c in group}
    problems: list[str] = []
    app = create_app(node)
    walked = 0
    for role, username in sorted(users.items()):
        with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
            login(client, username, _password(node, username))
            client.cookies.set("passerelle_lang", locale)
            client.headers["Accept-Language"] = locale
            for path, page in _walk(client, _start_paths(app, role)):
                walked += 1
                if page.status_code >= 500:
                    problems.append(f"{role} {path}: HTTP {page.status_code}")
                    continue
                if page.status_code != 200 or "text/html" not in page.headers["content-type"]:
                    continue
                text = _visible(page.text)
                for found in sorted(set(KIND.findall(text)) | set(SNAKE.findall(text))):
                    problems.append(f"{role} {path}: raw code {found!r}")
                for _, cell in CELL.findall(page.text):
                    if cell in codes:
                        problems.append(f"{role} {path}: raw code {cell!r} in a cell")
            # Pages the role may not open: the refusal too is in the reader's language.
            for path in _forbidden_paths(app, role)[:3]:
                page = client.get(path)
                walked += 1
                if page.status_code != 403:
                    problems.append(f"{role} {path}: HTTP {page.status_code}, not 403")
                elif locale != "en" and (
                    "needs one of" in page.text or "does not allow" in page.text
                ):
                    problems.append(f"{role} {path}: the refusal is in English")
    if locale != "en":
        problems += [f"untranslated: {m!r}" for m in sorted(missing)]
    assert walked > 40
    assert not problems, "\n".join(sorted(set(problems)))


def _password(node: Node, username: str) -> str:
    from passerelle.seed import load_demo_accounts

    return next(a.password for a in load_demo_accounts(node) if a.username == username)
