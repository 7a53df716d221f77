"""Each demo role does its main task in a real Chromium (Debian's), in French and in Dutch, on a
real ``passerelle serve`` seeded with the demo data. Every page visited is saved as a screenshot
(``artifacts/screenshots/<role>-<lang>-<page>.png``), checked with axe-core against WCAG 2.1 A
and AA, and the home page of each role must fit a 390 px wide phone.

axe-core comes from the npm registry, vendored for the tests only with its licence
(``tests/vendor``). The tests rely on stable things: the roles' tasks, headings, form field
names; not on the layout of a page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.web.test_browser import browser, demo_server  # noqa: F401 (fixture)

from passerelle.synth.people import generate_people

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-4.14.1.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCALES = {"fr": "fr-FR", "nl": "nl-BE"}


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A French demo node (``init --demo-data``: one user per role, the masked booking)."""
    with demo_server(tmp_path_factory, "FR", "browser-roles") as found:
        yield found


class Tour:
    """One role in one language: log in, visit pages, keep a screenshot and axe's findings."""

    def __init__(
        self,
        browser: Browser,  # noqa: F811
        url: str,
        role: str,
        lang: str,
        password: str,
        username: str | None = None,
    ) -> None:
        # The console's CSP forbids inline scripts; axe is injected by the test, not the page.
        self.context = browser.new_context(locale=LOCALES[lang], bypass_csp=True)
        self.context.set_default_timeout(120_000)  # a shared, loaded machine is slow
        self.page: Page = self.context.new_page()
        self.url, self.role, self.lang = url, role, lang
        #: Screenshots of another node's user are named after it (``be-supervisor-nl-….png``).
        self.prefix = "" if username is None or username.startswith("fr.") else username[:3]
        self.violations: dict[str, list[dict[str, Any]]] = {}
        self.shots: list[str] = []
        self.page.goto(url + "/login")
        self.page.fill("input[name=username]", username or f"fr.{role}")
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(url + "/")
        self.seen("home")

    def go(self, path: str, name: str) -> Page:
        self.page.goto(self.url + path)
        self.seen(name)
        return self.page

    def seen(self, name: str) -> None:
        """Screenshot and accessibility check of the page now shown."""
        page = self.page
        assert page.locator("h1").count() >= 1, f"{self.role}/{name}: no heading"
        assert page.evaluate("document.documentElement.lang") == self.lang
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = f"{self.prefix}{self.role}-{self.lang}-{name}.png"
        page.screenshot(path=str(SHOTS / shot), full_page=True)
        self.shots.append(shot)
        if page.evaluate("typeof window.axe") == "undefined":
            page.evaluate(AXE.read_text(encoding="utf-8"))
        found = page.evaluate(
            """async (tags) => {
                const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
            }""",
            WCAG_21_AA,
        )
        if found:
            self.violations[name] = found

    def phone_fit(self) -> list[str]:
        """The home page at 390 px: nothing, the menu included, wider than the screen."""
        phone = self.context.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.goto(self.url + "/")
        widths = phone.evaluate(
            """() => ({page: document.documentElement.scrollWidth,
                       nav: Math.max(0, ...[...document.querySelectorAll("header.top nav a")]
                                 .map(a => a.getBoundingClientRect().right))})"""
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SHOTS / f"{self.role}-{self.lang}-home-390px.png"))
        self.shots.append(f"{self.role}-{self.lang}-home-390px.png")
        phone.close()
        too_wide = []
        if widths["page"] > 390:
            too_wide.append(f"page {widths['page']} px wide at 390 px")
        if widths["nav"] > 390:
            too_wide.append(f"menu reaches {widths['nav']:.0f} px at 390 px")
        return too_wide

    def close(self) -> None:
        self.context.close()


def _analyst(tour: Tour, data_dir: Path) -> None:
    """Check a person against the alerts, then ask to see a masked booking for a case."""
    alerted = generate_people(8, seed=501, locales=("fr_FR", "nl_BE", "ar_AA"))[0]
    page = tour.go("/alerts/check", "check")
    page.fill("input[name=family_name]", alerted.family_name)
    page.fill("input[name=given_names]", alerted.given_names)
    page.fill("input[name=date_of_birth]", alerted.date_of_birth)
    page.locator("form[action='/alerts/check'] button").click()
    page.wait_for_load_state()
    assert page.locator("h2").count() >= 1  # the candidates, to be confirmed by the analyst
    assert alerted.family_name in page.locator("main").inner_text()
    tour.seen("check-result")
    booking = (data_dir / "pnr-demo-masked-booking").read_text().strip()
    page = tour.go(f"/pnr/bookings/{booking}", "masked-booking")
    ask = page.locator(f"form[action='/pnr/bookings/{booking}/repersonalisation']")
    ask.locator("input[name=case_ref]").fill(f"FR-JUD-2026-0007-{tour.lang}")
    ask.locator("textarea[name=grounds]").fill("Travel companion of a suspect (synthetic test)")
    ask.locator("button").click()
    page.wait_for_load_state()
    tour.seen("masked-booking-asked")


def _judicial(tour: Tour) -> None:
    """Approve the analyst's pending re-personalisation request."""
    page = tour.go("/pnr/repersonalisations", "repersonalisations")
    form = page.locator("form[action^='/pnr/repersonalisations/']").first
    form.locator("input[name=reason]").fill("Proportionate to the judicial case (synthetic)")
    form.locator("button[name=decision][value=approve]").click()
    page.wait_for_load_state()
    tour.seen("repersonalisation-confirm")
    page.locator("button[name=confirmed]").click()  # the decision is confirmed first
    page.wait_for_load_state()
    assert "fr.judicial" in page.locator("main").inner_text()
    tour.seen("repersonalisation-approved")


def _dpo(tour: Tour) -> None:
    """Read the audit log and verify its chain."""
    page = tour.go("/audit", "audit")
    page.click("a[href='/audit/verify'], [hx-get='/audit/verify']")
    page.wait_for_selector("#verify .ok")
    tour.seen("audit-verified")


def _admin(tour: Tour) -> None:
    """Create a user."""
    page = tour.go("/admin", "admin")
    username = f"liaison.{tour.lang}"
    form = page.locator("form[action='/admin/users']")  # not the per-user role editors
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=display_name]").fill("Liaison officer (synthetic)")
    form.locator("input[name=password]").fill("a long enough password")
    form.locator("input[name=roles][value=analyst]").check()
    form.locator("button").click()
    page.wait_for_load_state()
    assert username in page.locator("main").inner_text()
    tour.seen("admin-user-created")


def _supervisor(tour: Tour) -> None:
    """Open the alerts, one alert, and the release calendar."""
    page = tour.go("/alerts", "alerts")
    page.locator("a[href^='/alerts/a/']").first.click()
    page.wait_for_load_state()
    tour.seen("alert")
    tour.go("/alerts/calendar", "calendar")


def _minors(tour: Tour) -> None:
    """Open the returnees (minors are shown to this role)."""
    tour.go("/alerts/returnees", "returnees")


TASKS = ("analyst", "judicial", "dpo", "admin", "supervisor", "minors")


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_each_role_does_its_main_task_accessibly(
    browser: Browser,  # noqa: F811
    node: tuple[str, dict[str, str], Path],
    lang: str,
) -> None:
    url, passwords, data_dir = node
    problems: dict[str, Any] = {}
    for role in TASKS:
        tour = Tour(browser, url, role, lang, passwords[f"fr.{role}"])
        try:
            if role == "analyst":
                _analyst(tour, data_dir)
            elif role == "judicial":
                _judicial(tour)
            elif role == "dpo":
                _dpo(tour)
            elif role == "admin":
                _admin(tour)
            elif role == "supervisor":
                _supervisor(tour)
            else:
                _minors(tour)
            too_wide = tour.phone_fit()
        finally:
            tour.close()
        if tour.violations or too_wide:
            problems[role] = {**tour.violations, **({"390px": too_wide} if too_wide else {})}
        assert all((SHOTS / s).stat().st_size > 0 for s in tour.shots)
    assert not problems, json.dumps(problems, indent=1)
