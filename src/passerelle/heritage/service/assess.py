"""The rules that apply to an object offered for sale, its Red List categories and its risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from passerelle.heritage import rules
from passerelle.heritage.rules import RedListCategory
from passerelle.heritage.schemas import CheckIn, MatchOut, RuleOut
from passerelle.heritage.service import provenance
from passerelle.heritage.service.common import fold

#: Matches at or above these scores raise the risk.
HIGH_MATCH = 0.8
MEDIUM_MATCH = 0.6


@dataclass(frozen=True)
class Assessment:
    rules: list[RuleOut]
    red_list: list[RedListCategory]
    gaps: list[provenance.Gap]


def links(obj: CheckIn) -> list[provenance.Link]:
    return [provenance.Link(e.kind, e.country, e.date_from, e.date_to) for e in obj.provenance]


def red_list(obj: CheckIn) -> list[rules.RedListCategory]:
    """Red List categories of the object's country of origin its type or material falls in."""
    kind = f" {fold(obj.object_type)} "
    materials = {fold(m) for m in obj.materials}
    found = []
    for cat in rules.RED_LISTS:
        if cat.country != obj.country_of_origin:
            continue
        typed = any(f" {t} " in kind for t in cat.object_types)
        if typed and (not materials or materials & set(cat.materials)):
            found.append(cat)
    return found


def _embargo(obj: CheckIn, code: str, cutoff: date, source: str, verified: bool) -> RuleOut:
    applies = obj.country_of_origin == code
    left = obj.offer.removed_from_origin_on or provenance.left_origin(links(obj), code)
    when = cutoff.isoformat()
    if not applies:
        finding = f"origin is not {code}"
    elif left is None:
        finding = f"date of removal from {code} unknown: trade banned unless it left before {when}"
    elif left > cutoff:
        finding = f"removed from {code} on {left.isoformat()}, after {when}: trade banned"
    else:
        applies = False
        finding = f"removed from {code} on {left.isoformat()}, before {when}"
    return RuleOut(
        code=f"embargo_{code}",
        title=f"Trade ban for goods removed from {code} after {when}",
        applies=applies,
        finding=finding,
        source=source,
        verified=verified,
    )


def assess(obj: CheckIn, *, today: date, syria_cutoff: date) -> Assessment:
    age = None if obj.year_made is None else today.year - obj.year_made
    listed = obj.category != rules.CATEGORY_NONE
    old_enough = age is not None and age > rules.LICENCE_MIN_AGE_YEARS
    licence = obj.category in (rules.CATEGORY_ARCHAEOLOGICAL, rules.CATEGORY_MONUMENT)
    value = obj.offer.value_eur
    statement = (
        obj.category == rules.CATEGORY_OTHER_LISTED
        and age is not None
        and age > rules.STATEMENT_MIN_AGE_YEARS
    )
    out = [
        RuleOut(
            code="ban_illicit_export",
            title="Import ban on goods illicitly exported from their country of origin",
            applies=listed,
            finding="proof of lawful export from the country of origin is needed"
            if listed
            else "not a listed category",
            source=rules.BAN_SOURCE,
        ),
        RuleOut(
            code="import_licence",
            title=f"Import licence: archaeological objects > {rules.LICENCE_MIN_AGE_YEARS} years",
            applies=licence and (old_enough or age is None),
            finding=(
                "not an archaeological object or monument element"
                if not licence
                else "age not stated: a licence is needed if older than 250 years"
                if age is None
                else f"{age} years old: import licence required (ICG)"
                if old_enough
                else f"{age} years old: under the threshold"
            ),
            source=rules.LICENCE_SOURCE,
        ),
        RuleOut(
            code="importer_statement",
            title=f"Importer statement: > {rules.STATEMENT_MIN_AGE_YEARS} years and "
            f"≥ €{rules.STATEMENT_MIN_VALUE_EUR:,}",
            applies=statement and (value is None or value >= rules.STATEMENT_MIN_VALUE_EUR),
            finding=(
                "not an other listed category older than 200 years"
                if not statement
                else "value not stated: a statement is needed from €18,000"
                if value is None
                else f"value €{value:,.0f}: importer statement required (ICG)"
                if value >= rules.STATEMENT_MIN_VALUE_EUR
                else f"value €{value:,.0f}: under the threshold"
            ),
            source=rules.STATEMENT_SOURCE,
        ),
        _embargo(obj, "IQ", rules.IRAQ_CUTOFF, rules.REG_IRAQ, True),
        _embargo(obj, "SY", syria_cutoff, rules.REG_SYRIA, False),
    ]
    gaps = provenance.gaps(links(obj), until=today, origin=obj.country_of_origin)
    return Assessment(out, red_list(obj), gaps)


def risk(a: Assessment, matches: list[MatchOut]) -> tuple[str, list[str]]:
    """high, medium or low, with the reasons."""
    high: list[str] = []
    medium: list[str] = []
    for m in matches:
        if m.score >= HIGH_MATCH and m.status == "stolen":
            high.append(f"matches stolen object {m.reference} (score {m.score:.2f})")
        elif m.score >= MEDIUM_MATCH and m.status == "stolen":
            medium.append(f"resembles stolen object {m.reference} (score {m.score:.2f})")
    for rule in a.rules:
        if rule.applies and rule.code.startswith("embargo_"):
            high.append(rule.finding)
    for cat in a.red_list:
        (high if a.gaps else medium).append(
            f"ICOM Red List category {cat.code}: {cat.label}"
            + (" with gaps in its provenance" if a.gaps else "")
        )
    if a.gaps and not a.red_list:
        medium.append(f"{len(a.gaps)} gap(s) in the provenance chain")
    for rule in a.rules:
        if rule.applies and rule.code in ("import_licence", "importer_statement"):
            medium.append(rule.finding)
    if high:
        return "high", high + medium
    if medium:
        return "medium", medium
    return "low", ["no rule, Red List category or stolen object flags it"]
