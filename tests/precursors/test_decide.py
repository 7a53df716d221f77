"""The decision table, fact by fact, with the article each reason names."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from passerelle.precursors import rules
from passerelle.precursors.service.decide import Facts, decide

H2O2 = rules.SUBSTANCES["7722-84-1"]
#: A country that runs the art. 5(3) licensing regime (neither FR nor BE does).
LICENSING = replace(rules.REGIMES["BE"], kind="licence")


def facts(**changes: Any) -> Facts:
    base: dict[str, Any] = {
        "substance": H2O2,
        "concentration": 30.0,
        "particle_um": None,
        "customer_type": "public",
        "regime": LICENSING,
        "id_checked": True,
        "professional_checked": False,
        "statement": False,
        "licence_number": "",
        "licence_problem": None,
    }
    base.update(changes)
    return Facts(**base)


@pytest.mark.parametrize(
    ("changes", "decision", "article"),
    [
        ({"concentration": 9.0}, "allowed", "art. 5(1)"),
        ({}, "licence_required", "art. 5(3)"),
        ({"licence_number": "L1", "licence_problem": ""}, "allowed", "art. 8(1)"),
        ({"licence_number": "L1", "licence_problem": "revoked"}, "licence_required", "5(3)"),
        ({"licence_number": "L1", "licence_problem": "", "id_checked": False}, "refused", "8(1)"),
        ({"regime": rules.REGIMES["FR"]}, "refused", "art. 5(1)"),
        ({"regime": rules.REGIMES["BE"]}, "refused", "15 juillet 2016"),
        ({"concentration": 40.0}, "refused", "art. 5(1)"),
        ({"customer_type": "professional"}, "refused", "art. 8(2)"),
        (
            {"customer_type": "professional", "professional_checked": True, "statement": True},
            "allowed",
            "art. 8(2)",
        ),
        ({"indicators": ("unclear_use",)}, "report", "art. 9"),
        ({"concentration": 9.0, "findings": (("art. 9", "x"),)}, "report", "art. 9"),
    ],
)
def test_decision_and_article(changes: dict[str, Any], decision: str, article: str) -> None:
    result = decide(facts(**changes))
    assert result.decision == decision
    assert article in result.reasons[0]["article"]


def test_a_chlorate_above_the_limit_is_never_sold_to_the_public() -> None:
    chlorate = rules.SUBSTANCES["3811-04-9"]
    result = decide(
        facts(substance=chlorate, concentration=50.0, licence_number="L1", licence_problem="")
    )
    assert result.decision == "refused"
    assert "no licence is possible" in result.reasons[0]["text"]


def test_coarse_aluminium_powder_is_not_regulated() -> None:
    al = rules.SUBSTANCES["7429-90-5"]
    assert (
        decide(
            facts(substance=al, concentration=99.0, particle_um=500.0, indicators=("unclear_use",))
        ).decision
        == "allowed"
    )
    fine = decide(
        facts(substance=al, concentration=99.0, particle_um=50.0, indicators=("unclear_use",))
    )
    assert fine.decision == "report"


def test_an_unregulated_product_is_allowed() -> None:
    assert decide(facts(substance=None, concentration=50.0)).decision == "allowed"
