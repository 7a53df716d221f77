"""The situation map in a real headless Chromium: Leaflet draws the offline country outlines and
the demo incident's area, with no Content-Security-Policy violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.test_browser import _login, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_the_map_draws_outlines_and_the_active_area(
    browser: Browser,  # noqa: F811
    server: tuple[str, dict[str, str]],  # noqa: F811
) -> None:
    url, passwords = server
    page = browser.new_page(locale="nl-BE")
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    _login(page, url, "be.analyst", passwords["be.analyst"])
    page.goto(url + "/crisis")
    assert page.locator("h1").inner_text() == "Gedeeld situatiebeeld"
    page.wait_for_selector("#crisis-map[data-features]")
    assert int(page.get_attribute("#crisis-map", "data-features") or 0) >= 1
    # country outlines (hundreds of paths) and the incident's polygon, in Leaflet's SVG layer
    page.wait_for_function("document.querySelectorAll('#crisis-map path').length > 100")
    page.locator("#crisis-map path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Leie" in popup.inner_text()
    assert problems == []
    page.close()
