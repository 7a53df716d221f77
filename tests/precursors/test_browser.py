"""The precursors console in a real headless Chromium (Debian's) against a real ``passerelle
serve`` of a BE demo node: the supervisor watches a person (inline errors, then the
confirmation), a seller's check naming that person is reported, the analyst finds the
transaction, opens the report and takes it in charge, and runs the pattern detection — in
Dutch and in French."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.web.test_browser import _login, browser, demo_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

WATCHED = {"family_name": "Peeters", "given_names": "Anke", "date_of_birth": "1980-04-04"}


@pytest.fixture(scope="module")
def node_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path, dict[str, str]]]:
    with demo_server(tmp_path_factory, "BE", "precursors-browser") as (url, passwords, data_dir):
        yield url, data_dir, passwords


def _page(browser: Browser, locale: str) -> tuple[Page, list[str]]:  # noqa: F811
    page = browser.new_page(locale=locale)
    problems: list[str] = []
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 500 or r.status in (401, 403, 404)
            else None
        ),
    )
    return page, problems


def _seller_check(url: str, data_dir: Path) -> str:
    tokens = json.loads((data_dir / "precursors-demo-tokens.json").read_text())
    sale = {
        "reference": "browser-1",
        "customer": {"type": "public", **WATCHED, "family_name": "PEETERS"},
        "product": {"sku": "ACE-1L", "quantity_kg": 1.0},
        "payment": {"method": "card", "amount": 9.5},
        "delivery": {"method": "pickup"},
        "verification": {"id_document_checked": True},
    }
    answer = httpx.post(
        url + "/api/v1/precursors/check",
        json=sale,
        headers={"authorization": f"Bearer {tokens['droguerie-tournai']}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["decision"] == "report"
    return str(answer.json()["reference"])


def test_contact_point_tasks_in_dutch_and_french(
    browser: Browser,  # noqa: F811
    node_server: tuple[str, Path, dict[str, str]],
) -> None:
    url, data_dir, passwords = node_server

    # The supervisor (Dutch) watches a person: an empty form shows the error at the field.
    page, problems = _page(browser, "nl-BE")
    _login(page, url, "be.supervisor", passwords["be.supervisor"])
    page.goto(url + "/precursors/watched")
    assert page.locator("h1").inner_text() == "Een persoon volgen"
    page.click("form.card button")
    assert page.get_attribute("input[name=family_name]", "aria-invalid") == "true"
    assert page.locator("#err-family_name[role=alert]").is_visible()
    for name, value in {**WATCHED, "reason": "browser test (synthetic)"}.items():
        page.fill(f"input[name={name}]", value)
    page.click("form.card button")
    assert page.locator("p.ok[role=status]").inner_text().startswith("Persoon toegevoegd")
    assert page.get_attribute("input[name=family_name]", "aria-invalid") is None
    assert problems == []
    page.close()

    reference = _seller_check(url, data_dir)

    # The analyst (French) finds the transaction, opens its report and takes it in charge.
    page, problems = _page(browser, "fr-BE")
    _login(page, url, "be.analyst", passwords["be.analyst"])
    page.goto(url + "/precursors")
    assert page.locator("h1").inner_text() == "Transactions de précurseurs"
    assert "Personnes surveillées" not in page.locator(".subnav").inner_text()
    page.fill("input[name=q]", "peeters")
    with page.expect_navigation():
        page.click("form.inline button")
    row = page.locator("table.grid tbody tr")
    assert row.count() == 1 and "à signaler" in row.inner_text()
    with page.expect_navigation():
        page.click(f"text={reference}")
    assert reference in page.locator("body").inner_text()
    with page.expect_navigation():
        page.click(".subnav >> text=Signalements")
    assert page.locator("h1").inner_text() == "Signalements au point de contact"
    open_row = page.locator("table.grid tbody tr").filter(has_text="droguerie-tournai").first
    with page.expect_navigation():
        open_row.locator("a").click()
    assert "watched person" in page.locator("#summary").inner_text()  # told to the contact point
    with page.expect_navigation():
        page.click("text=Prendre en charge")
    assert page.locator("p.ok[role=status]").inner_text() == (
        "Signalement pris en charge par le point de contact."
    )
    assert page.locator("text=Prendre en charge").count() == 0

    # ... then switches to Dutch and runs the pattern detection.
    with page.expect_navigation():
        page.select_option("#locale", "nl")
    with page.expect_navigation():
        page.click(".subnav >> text=Patronen")
    with page.expect_navigation():
        page.click("text=Detecteren over de laatste 7 dagen")
    assert page.locator("p.ok[role=status]").inner_text().startswith("Detectie voltooid")
    assert problems == []
    page.close()
