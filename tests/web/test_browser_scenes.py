"""The demo's pending work done in a real Chromium, on a French and a Belgian node.

``passerelle demo`` leaves work for the roles through the nodes' real interfaces (each
package's ``demo_scene``): a pushed booking whose hit waits for the FR analyst, a
re-personalisation request for the FR judge, a follow-up request from FR waiting for the BE
supervisor, a hit report from FR for the BE analyst to answer, DNA matches of each quality for
the FR analyst. Here two real ``passerelle serve`` processes are prepared, wired and given that
work exactly as the demo does, once per language, and each role does its work in the browser:
the page shows the work pending, the role acts, the success message says it was done and the
work is no longer pending. Every page is saved as a screenshot and checked with axe-core
(``tests/web/test_browser_roles.Tour``).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser
from tests.web.test_browser import browser  # noqa: F401 (fixture)
from tests.web.test_browser_roles import SHOTS, Tour

from passerelle.cli.demo import play_scenes, prepare, running
from passerelle.kit.demo import DemoAccount, DemoNode

pytestmark = pytest.mark.browser

Scene = tuple[dict[str, DemoNode], dict[str, list[DemoAccount]]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", params=["fr", "nl"])
def scene(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Scene]]:
    """FR and BE demo nodes with the demo's pending work, fresh for each language (the work is
    done once)."""
    base = tmp_path_factory.mktemp(f"scene-{request.param}")
    nodes = [DemoNode("FR", _free_port(), base / "fr"), DemoNode("BE", _free_port(), base / "be")]
    quiet = lambda _line: None  # noqa: E731
    accounts = prepare(nodes, progress=quiet)
    with running(nodes, progress=quiet):
        play_scenes(nodes, accounts)
        yield request.param, ({n.code: n for n in nodes}, accounts)


def _tour(browser: Browser, scene: Scene, code: str, role: str, lang: str) -> Tour:  # noqa: F811
    nodes, accounts = scene
    account = next(a for a in accounts[code] if role in a.roles)
    return Tour(browser, nodes[code].url, role, lang, account.password, account.username)


def _confirm_if_asked(tour: Tour, name: str) -> None:
    """Dangerous actions ask for a confirmation first: confirm it."""
    page = tour.page
    page.wait_for_load_state()
    if page.locator("button[name=confirmed]").count():
        tour.seen(name + "-confirm")
        page.locator("button[name=confirmed]").click()
        page.wait_for_load_state()


def _fr_analyst_reviews_the_pnr_hit(tour: Tour) -> None:
    page = tour.go("/pnr/review", "review-queue")
    forms = page.locator("form[action^='/pnr/review/']")
    pending = forms.count()
    assert pending >= 1, "the demo push left no hit to review"
    form = forms.first
    form.locator("input[name=reason]").fill("Same person: document checked (synthetic)")
    form.locator("button[name=decision][value=confirm]").click()
    _confirm_if_asked(tour, "review")
    assert page.locator(".flash").count() == 1  # the success message
    tour.seen("review-done")
    assert (
        tour.go("/pnr/review", "review-queue-after").locator("form[action^='/pnr/review/']").count()
        == pending - 1
    )


def _fr_analyst_opens_the_dna_matches(tour: Tour) -> None:
    page = tour.go("/dna", "dna-matches")
    links = page.locator("a[href^='/dna/matches/']")
    assert links.count() >= 4, "one match of each Prüm quality class"
    links.first.click()
    page.wait_for_load_state()
    tour.seen("dna-match")


def _fr_judge_approves_the_repersonalisation(tour: Tour) -> None:
    page = tour.go("/pnr/repersonalisations", "repersonalisations")
    form = page.locator("form[action^='/pnr/repersonalisations/']").first
    form.locator("input[name=reason]").fill("Proportionate to the judicial case (synthetic)")
    form.locator("button[name=decision][value=approve]").click()
    _confirm_if_asked(tour, "repersonalisation")
    assert page.locator(".flash").count() == 1
    tour.seen("repersonalisation-approved")


def _be_supervisor_approves_the_follow_up(tour: Tour) -> None:
    page = tour.go("/exchange/requests?direction=in", "follow-ups")
    page.locator("a[href^='/exchange/requests/'][href*='direction=in']").first.click()
    page.wait_for_load_state()
    tour.seen("follow-up")
    form = page.locator("form[action$='/approve']")
    form.locator("input[name=field]").first.check()
    form.locator("button").click()
    _confirm_if_asked(tour, "follow-up-approve")
    assert page.locator(".flash").count() == 1
    tour.seen("follow-up-approved")


def _be_analyst_answers_the_hit_report(tour: Tour) -> None:
    page = tour.go("/alerts/hits", "hit-reports")
    page.locator("a[href^='/alerts/hits/']").first.click()
    page.wait_for_load_state()
    tour.seen("hit-report")
    form = page.locator("form[action$='/answer']")
    form.locator("textarea[name=answer]").fill("Arrest the person and inform us (synthetic)")
    form.locator("button").click()
    _confirm_if_asked(tour, "hit-answer")
    assert page.locator(".flash").count() == 1
    tour.seen("hit-answered")


WORK = (
    ("FR", "analyst", _fr_analyst_reviews_the_pnr_hit),
    ("FR", "analyst", _fr_analyst_opens_the_dna_matches),
    ("FR", "judicial", _fr_judge_approves_the_repersonalisation),
    ("BE", "supervisor", _be_supervisor_approves_the_follow_up),
    ("BE", "analyst", _be_analyst_answers_the_hit_report),
)


def test_each_role_does_the_demos_pending_work(
    browser: Browser,  # noqa: F811
    scene: tuple[str, Scene],
) -> None:
    lang, nodes_and_accounts = scene
    problems: dict[str, Any] = {}
    for code, role, work in WORK:
        tour = _tour(browser, nodes_and_accounts, code, role, lang)
        try:
            home = tour.page.locator("main").inner_text()
            assert home.strip(), f"{code} {role}: empty home page"
            work(tour)
        finally:
            tour.close()
        if tour.violations:
            problems[f"{code} {role} {work.__name__}"] = tour.violations
        assert all((SHOTS / s).stat().st_size > 0 for s in tour.shots)
    assert not problems, json.dumps(problems, indent=1)
