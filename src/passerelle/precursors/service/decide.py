"""The decision on one transaction, from facts already resolved (no database): the substance,
the regime of the seller's country, the licence found, what the seller verified and what makes
the sale suspicious. Each reason names its article."""

from __future__ import annotations

from dataclasses import dataclass, field

from passerelle.precursors import rules
from passerelle.precursors.rules import Substance

A5_1 = f"{rules.REG} art. 5(1)"
A5_3 = f"{rules.REG} art. 5(3)"
A8_1 = f"{rules.REG} art. 8(1)"
A8_2 = f"{rules.REG} art. 8(2), Annex IV"
A9 = f"{rules.REG} art. 9(1)-(2)"


@dataclass(frozen=True)
class Facts:
    substance: Substance | None
    concentration: float
    particle_um: float | None
    customer_type: str
    regime: rules.Regime
    id_checked: bool
    professional_checked: bool
    statement: bool
    licence_number: str
    #: Problem with the licence given ("" when valid, None when no licence was looked up).
    licence_problem: str | None
    indicators: tuple[str, ...] = ()
    #: Suspicions found by screening and patterns: (article, text).
    findings: tuple[tuple[str, str], ...] = ()


@dataclass
class Decision:
    decision: str
    reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def suspicious(self) -> bool:
        return self.decision == "report"


def covered(substance: Substance | None, concentration: float, particle_um: float | None) -> bool:
    """Whether the regulation covers the product at all (Annex II powders: fine and rich)."""
    if substance is None:
        return False
    if substance.cas in rules.POWDER_CAS:
        return (
            particle_um is not None
            and particle_um < rules.POWDER_MAX_PARTICLE_UM
            and concentration >= rules.POWDER_MIN_METAL
        )
    return True


def _restricted(f: Facts, s: Substance, out: list[dict[str, str]]) -> str:
    """Annex I above the limit value: who may buy it, and with what."""
    if f.customer_type == "professional":
        missing = [
            label
            for ok, label in (
                (f.id_checked, "identity document"),
                (f.professional_checked, "professional status and need"),
                (f.statement, "signed customer statement with the intended use"),
            )
            if not ok
        ]
        if missing:
            out.append({"article": A8_2, "text": "not verified: " + ", ".join(missing)})
            return "refused"
        out.append({"article": A8_2, "text": "professional user verified"})
        return "allowed"
    limit = f"{s.name} above {s.limit:g} % w/w is restricted to the general public"
    if s.licence_upper is None or f.concentration > s.licence_upper:
        upper = (
            "no licence is possible"
            if s.licence_upper is None
            else (f"no licence above {s.licence_upper:g} %")
        )
        out.append({"article": A5_1, "text": f"{limit}; {upper}"})
        return "refused"
    if f.regime.kind != "licence":
        out.append(
            {"article": f.regime.source, "text": f"{limit}; {f.regime.country} issues no licence"}
        )
        return "refused"
    if not f.licence_number:
        out.append({"article": A5_3, "text": f"{limit}: a {f.regime.country} licence is required"})
        return "licence_required"
    if f.licence_problem:
        out.append({"article": A5_3, "text": f"licence {f.licence_number}: {f.licence_problem}"})
        return "licence_required"
    if not f.id_checked:
        out.append({"article": A8_1, "text": "the identity document was not verified"})
        return "refused"
    out.append({"article": A8_1, "text": f"licence {f.licence_number} and identity verified"})
    return "allowed"


def decide(f: Facts) -> Decision:
    s = f.substance
    reasons: list[dict[str, str]] = []
    if not covered(s, f.concentration, f.particle_um) or s is None:
        reasons.append(
            {"article": f"{rules.REG} art. 3, Annex I-II", "text": "not a regulated precursor"}
        )
        return Decision("allowed", reasons)
    if s.annex == "I" and s.limit is not None and f.concentration > s.limit:
        decision = _restricted(f, s, reasons)
    elif s.annex == "I":
        reasons.append(
            {
                "article": A5_1,
                "text": f"{s.name} at {f.concentration:g} % is at or below the limit value "
                f"({s.limit:g} %)",
            }
        )
        decision = "allowed"
    else:
        reasons.append(
            {"article": f"{rules.REG} art. 9, Annex II", "text": f"{s.name}: reportable substance"}
        )
        decision = "allowed"
    suspicions = [{"article": A9, "text": rules.INDICATORS[i]} for i in f.indicators]
    suspicions += [{"article": a, "text": t} for a, t in f.findings]
    if suspicions:
        return Decision("report", suspicions + reasons)
    return Decision(decision, reasons)
