"""Detainee follow-up, the release calendar with its deadlines, and criteria proposals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from passerelle.alerts.model import CatalogueVersion, Release, ReleaseStep
from passerelle.alerts.schemas import (
    AssessmentIn,
    CatalogueIn,
    CriterionIn,
    DetaineeIn,
    LinkIn,
    ReleaseIn,
)
from passerelle.alerts.service import criteria, detainees
from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.privacy import FrozenClock
from tests.alerts.conftest import principal

TODAY = date(2026, 3, 2)  # the test clock's date


def _detainee(node: Node, **changes: Any) -> str:
    data: dict[str, Any] = {
        "family_name": "Lambert",
        "given_names": "Youssef",
        "date_of_birth": "1994-09-03",
        "nationality": "FRA",
        "scope": "terrorist_offence",
        "institution": "Synthetic prison A",
        "offences": ["participation in a terrorist group"],
        "links": [LinkIn(country="BE", kind="family")],
    }
    data.update(changes)
    with node.session() as session:
        return detainees.create(session, node, principal(), DetaineeIn(**data)).id


def _release(node: Node, detainee_id: str, days: int, kind: str = "end_of_sentence") -> str:
    with node.session() as session:
        return detainees.add_release(
            session,
            node,
            principal(),
            detainee_id,
            ReleaseIn(kind=kind, release_date=TODAY + timedelta(days=days)),
        ).id


def test_a_release_gets_its_steps_with_deadlines(node: Node) -> None:
    _release(node, _detainee(node), 200)
    with node.session() as session:
        (release,) = detainees.calendar(session, node, principal())
    due = {s.step: s.due_date for s in release.steps}
    assert due == {
        "assessment": TODAY + timedelta(days=20),
        "concertation": TODAY + timedelta(days=110),
        "alert_proposal": TODAY + timedelta(days=140),
        "alert_validation": TODAY + timedelta(days=170),
    }
    assert not any(s.overdue for s in release.steps)


def test_step_deadlines_are_configurable(node: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_ALERTS_STEP_DAYS", "assessment=100")
    _release(node, _detainee(node), 200)
    with node.session() as session:
        (release,) = detainees.calendar(session, node, principal())
    assert release.steps[0].step == "assessment"
    assert release.steps[0].due_date == TODAY + timedelta(days=100)


def test_undone_steps_become_overdue_and_done_steps_do_not(node: Node, clock: FrozenClock) -> None:
    detainee = _detainee(node)
    _release(node, detainee, 200)
    clock.advance(timedelta(days=25))
    with node.session() as session:
        (release,) = detainees.calendar(session, node, principal())
    assert [s.step for s in release.steps if s.overdue] == ["assessment"]
    with node.session() as session:
        detainees.assess(
            session,
            node,
            principal(),
            detainee,
            AssessmentIn(risk="high", summary="Synthetic assessment"),
        )
        (release,) = detainees.calendar(session, node, principal())
    assert not any(s.overdue for s in release.steps)


@pytest.mark.parametrize(
    ("release", "message"),
    [
        ({"kind": "end_of_sentence", "release_date": TODAY - timedelta(days=1)}, "in the past"),
        ({"kind": "escape", "release_date": TODAY + timedelta(days=9)}, "unknown release kind"),
    ],
)
def test_bad_releases_are_refused_and_nothing_is_written(
    node: Node, release: dict[str, Any], message: str
) -> None:
    detainee = _detainee(node)
    with pytest.raises(ValidationFailed, match=message), node.session() as session:
        detainees.add_release(session, node, principal(), detainee, ReleaseIn(**release))
    with node.session() as session:
        assert session.scalar(select(func.count()).select_from(Release)) == 0
        assert session.scalar(select(func.count()).select_from(ReleaseStep)) == 0


def test_a_detainee_needs_a_known_scope_and_minimum_identity(node: Node) -> None:
    with pytest.raises(ValidationFailed, match="unknown scope"):
        _detainee(node, scope="suspicious")
    with pytest.raises(ValidationFailed, match="family_name"):
        _detainee(node, family_name=None)


def test_a_proposal_records_the_catalogue_version_and_the_facts_that_fired(node: Node) -> None:
    detainee = _detainee(node)
    with node.session() as session:
        detainees.assess(
            session,
            node,
            principal(),
            detainee,
            AssessmentIn(risk="high", summary="Synthetic assessment"),
        )
        proposal = detainees.propose(session, node, principal(), detainee)
    assert (proposal.catalogue_publisher, proposal.catalogue_version) == ("FR", 1)
    assert proposal.category == "art36_specific"
    assert proposal.fired[0]["criterion"] == "C1"
    assert proposal.fired[0]["facts"] == ["terrorist_offence", "high_risk_assessment"]
    assert proposal.fired[0]["source"].endswith("art. 36(3)(c) and 37(5)")
    # No release planned: art. 36(3)(b) (executing a sentence) does not apply, C2 stays silent.
    assert [f["criterion"] for f in proposal.fired] == ["C1"]


@pytest.mark.parametrize(
    ("kind", "fires"),
    [("conditional_release", True), ("leave", True), ("end_of_sentence", False)],
)
def test_c2_applies_only_while_the_sentence_is_executed(node: Node, kind: str, fires: bool) -> None:
    detainee = _detainee(node)
    _release(node, detainee, 120, kind=kind)
    with node.session() as session:
        proposal = detainees.propose(session, node, principal(), detainee)
    assert ("C2" in [f["criterion"] for f in proposal.fired]) is fires
    if fires:
        assert proposal.category == "art36_inquiry"


@pytest.mark.parametrize(
    ("source", "facts", "needs"),
    [
        ("art. 36(3)(a)", ["terrorist_offence"], "offence_planned"),
        ("art. 36(3)(b)", ["terrorist_offence"], "sentence_execution"),
    ],
)
def test_a_criterion_citing_36_3_a_or_b_needs_the_facts_of_that_ground(
    source: str, facts: list[str], needs: str
) -> None:
    bad = CriterionIn(
        code="X9", title="t", facts=facts, category="art36_inquiry", action="a", source=source
    )
    with pytest.raises(ValidationFailed, match=needs):
        criteria.check_criterion(bad)
    criteria.check_criterion(bad.model_copy(update={"facts": [*facts, needs]}))


def _catalogue(*facts: str) -> CatalogueIn:
    return CatalogueIn(
        effective_from=TODAY,
        criteria=[
            CriterionIn(
                code="X1",
                title="Synthetic criterion",
                facts=list(facts),
                category="art36_inquiry",
                action="Inquiry check",
                source="Regulation (EU) 2018/1862 art. 36",
            )
        ],
    )


@pytest.mark.parametrize(
    ("fact", "attribute"),
    [
        ("religious_practice", "religion"),
        ("ethnic_origin", "ethnic origin"),
        ("race", "race"),
        ("political_opinion", "political opinion"),
        ("mental_health", "health"),
        ("sexual_orientation", "sexual orientation"),
    ],
)
def test_the_catalogue_refuses_forbidden_attributes(node: Node, fact: str, attribute: str) -> None:
    expected = pytest.raises(ValidationFailed, match=f"uses {attribute}.*2016/680 art. 10")
    with expected, node.session() as session:
        criteria.publish(session, node, principal(), _catalogue("terrorist_offence", fact))
    with node.session() as session:
        assert session.scalar(select(func.count()).select_from(CatalogueVersion)) == 0


def test_a_new_version_replaces_the_applied_one_and_its_differences_show(node: Node) -> None:
    with node.session() as session:
        first = criteria.ensure_default(session, node)
        second = criteria.publish(session, node, principal(), _catalogue("links_abroad"))
        assert criteria.current(session, TODAY) is second
        assert second.version == 2
        assert criteria.diff(first.criteria, second.criteria) == {
            "added": ["X1"],
            "removed": ["C1", "C1a", "C2", "C3", "C4"],
            "changed": [],
        }
    with pytest.raises(ValidationFailed, match="unknown fact"), node.session() as session:
        criteria.publish(session, node, principal(), _catalogue("owns_a_red_car"))


def test_a_version_applies_from_its_effective_date(node: Node, clock: FrozenClock) -> None:
    later = _catalogue("terrorist_offence").model_copy(
        update={"effective_from": TODAY + timedelta(days=30)}
    )
    detainee = _detainee(node)
    _release(node, detainee, 120, kind="conditional_release")
    with node.session() as session:
        criteria.publish(session, node, principal(), later)
        before = detainees.propose(session, node, principal(), detainee)
    assert (before.catalogue_version, before.category) == (1, "art36_inquiry")
    clock.advance(timedelta(days=30))
    with node.session() as session:
        after = detainees.propose(session, node, principal(), detainee)
    assert (after.catalogue_version, after.fired[0]["criterion"]) == (2, "X1")
