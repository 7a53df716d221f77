"""Pre-determined criteria (art. 6(3)(b)): a small declarative, versioned rule language.

A criterion is conditions joined by ``and``, optionally followed by ``unless`` and conditions
that speak against (CJEU C-817/19: weigh elements for and against)::

    route in [CDG-CMN, BRU-CMN] and hours_before_departure < 24 and payment = CASH
        unless checked_in = true

A condition is ``attribute operator value``; operators ``= != < <= > >= in``; values are
numbers, ``true``/``false``, words (``CASH``, ``CDG-CMN``), quoted strings or ``[a, b]``
lists. Only the attributes of ``rules.CRITERIA_ATTRIBUTES`` exist; those of
``rules.FORBIDDEN_ATTRIBUTES`` are refused by the validator with their legal source. Criteria
are edited by people only: each edit is a new version, nothing learns or changes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Criterion
from passerelle.pnr.normalised import ParsedBooking
from passerelle.pnr.service.records import parse_time, short_station
from passerelle.privacy import Actor, Principal

__all__ = [
    "CompiledCriterion",
    "active_criteria",
    "booking_facts",
    "compile_expression",
    "save_criterion",
]

Value = str | float | bool | list[str | float | bool]
Facts = dict[str, Any]

_NUMERIC = {"legs", "hours_before_departure", "departure_hour", "passengers_on_booking"}
_NUMERIC |= {"changes", "bags"}
_BOOLEAN = {"one_way", "checked_in", "has_document"}
_TOKEN = re.compile(
    r"\s*(?:(?P<op><=|>=|!=|=|<|>)|(?P<punct>[\[\],])|\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'"
    r"|(?P<word>[A-Za-z0-9_.:/+-]+))"
)


@dataclass(frozen=True)
class Condition:
    attribute: str
    op: str
    value: Value

    def test(self, facts: Facts) -> bool:
        actual = facts.get(self.attribute)
        if actual is None:
            return False
        values = actual if isinstance(actual, list) else [actual]
        wanted = self.value if isinstance(self.value, list) else [self.value]
        if self.op in ("=", "in"):
            return any(_eq(v, w) for v in values for w in wanted)
        if self.op == "!=":
            return not any(_eq(v, w) for v in values for w in wanted)
        number = float(actual)
        limit = float(self.value)  # type: ignore[arg-type]
        return {
            "<": number < limit,
            "<=": number <= limit,
            ">": number > limit,
            ">=": number >= limit,
        }[self.op]


def _eq(actual: object, wanted: object) -> bool:
    if isinstance(actual, str) and isinstance(wanted, str):
        return actual.upper() == wanted.upper()
    return actual == wanted


@dataclass(frozen=True)
class CompiledCriterion:
    code: str
    version: int
    title: str
    conditions: tuple[Condition, ...]
    against: tuple[Condition, ...]

    def matches(self, facts: Facts) -> bool:
        """All conditions hold, and not all the conditions against hold."""
        if not all(c.test(facts) for c in self.conditions):
            return False
        return not (self.against and all(c.test(facts) for c in self.against))

    def explain(self) -> str:
        """The conditions that held, for the reviewer."""
        text = " and ".join(f"{c.attribute} {c.op} {c.value}" for c in self.conditions)
        return f"criterion {self.code} v{self.version}: {text}"


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValidationFailed(f"criterion: cannot read {text[pos : pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        value = m.group(kind)
        out.append(("str" if kind in ("dq", "sq") else kind, value))
    return out


def _scalar(kind: str, value: str) -> str | float | bool:
    if kind == "str":
        return value
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    try:
        return float(value)
    except ValueError:
        return value


def _check_attribute(name: str) -> None:
    lowered = name.lower()
    if lowered in rules.FORBIDDEN_ATTRIBUTES:
        raise ValidationFailed(
            f"criterion: the attribute {name!r} may not be used "
            f"({rules.FORBIDDEN_ATTRIBUTES[lowered]}, Directive (EU) 2016/681)"
        )
    if lowered not in rules.CRITERIA_ATTRIBUTES:
        raise ValidationFailed(
            f"criterion: unknown attribute {name!r}; use one of "
            + ", ".join(sorted(rules.CRITERIA_ATTRIBUTES))
        )


def _conditions(tokens: list[tuple[str, str]]) -> tuple[Condition, ...]:
    conditions: list[Condition] = []
    i = 0
    while i < len(tokens):
        if len(tokens) - i < 3:
            raise ValidationFailed("criterion: a condition is `attribute operator value`")
        (kind, attribute), (op_kind, op) = tokens[i], tokens[i + 1]
        if kind != "word":
            raise ValidationFailed(f"criterion: expected an attribute, found {attribute!r}")
        _check_attribute(attribute)
        attribute = attribute.lower()
        if op_kind == "word" and op.lower() == "in":
            op = "in"
        elif op_kind != "op":
            raise ValidationFailed(f"criterion: expected an operator after {attribute}")
        i += 2
        value: Value
        if tokens[i] == ("punct", "["):
            items: list[str | float | bool] = []
            i += 1
            while i < len(tokens) and tokens[i] != ("punct", "]"):
                if tokens[i] != ("punct", ","):
                    items.append(_scalar(*tokens[i]))
                i += 1
            if i >= len(tokens):
                raise ValidationFailed("criterion: a list needs its closing ]")
            value = items
        else:
            value = _scalar(*tokens[i])
        i += 1
        _check_types(attribute, op, value)
        conditions.append(Condition(attribute, op, value))
        if i < len(tokens):
            if tokens[i][1].lower() != "and":
                raise ValidationFailed(f"criterion: expected `and`, found {tokens[i][1]!r}")
            i += 1
    return tuple(conditions)


def _check_types(attribute: str, op: str, value: Value) -> None:
    if op in ("<", "<=", ">", ">=") and (
        attribute not in _NUMERIC or isinstance(value, list | bool | str)
    ):
        raise ValidationFailed(f"criterion: {attribute} {op} needs a numeric attribute")
    if op == "in" and not isinstance(value, list):
        raise ValidationFailed("criterion: `in` needs a list, e.g. [CDG-CMN, BRU-CMN]")
    if attribute in _BOOLEAN and not isinstance(value, bool):
        raise ValidationFailed(f"criterion: {attribute} is true or false")


def compile_expression(code: str, version: int, title: str, text: str) -> CompiledCriterion:
    """Parse and validate a criterion; raises ``ValidationFailed`` saying what is wrong."""
    tokens = _tokens(text)
    against: list[tuple[str, str]] = []
    for index, (kind, value) in enumerate(tokens):
        if kind == "word" and value.lower() == "unless":
            tokens, against = tokens[:index], tokens[index + 1 :]
            break
    if not tokens:
        raise ValidationFailed("criterion: write at least one condition")
    return CompiledCriterion(code, version, title, _conditions(tokens), _conditions(against))


def booking_facts(booking: ParsedBooking) -> tuple[Facts, list[Facts]]:
    """Booking-level facts and, per traveller, the facts that differ by traveller."""
    journey = booking.journey
    legs = booking.legs
    origin = short_station(journey.origin if journey else (legs[0].origin if legs else ""))
    destination = short_station(journey.destination if journey else "")
    departure = parse_time(journey.departure if journey else None)
    created = parse_time(booking.created)
    hours: float | None = None
    if departure and created and (departure.tzinfo is None) == (created.tzinfo is None):
        hours = (departure - created).total_seconds() / 3600
    facts: Facts = {
        "mode": booking.mode,
        "route": f"{origin}-{destination}",
        "origin": origin,
        "destination": destination,
        "carrier": short_station(journey.carrier) if journey else "",
        "service": journey.number if journey else "",
        "legs": len(legs),
        "hours_before_departure": hours,
        "departure_hour": departure.hour if departure else None,
        "passengers_on_booking": len(booking.passengers),
        "payment": [p.method for p in booking.payments],
        "one_way": not legs or short_station(legs[-1].destination) != origin,
        "changes": len(booking.history),
    }
    per_pax = [
        {
            "checked_in": pax.travel_status.upper() in ("CHECKEDIN", "CHECKED_IN", "CK", "DC"),
            "bags": pax.bags,
            "has_document": bool(pax.documents),
        }
        for pax in booking.passengers
    ]
    return facts, per_pax


def active_criteria(session: Session, now: datetime) -> list[CompiledCriterion]:
    """The newest version of each active criterion whose review date has not passed."""
    newest = (
        select(Criterion.code, func.max(Criterion.version).label("v"))
        .group_by(Criterion.code)
        .subquery()
    )
    rows = session.scalars(
        select(Criterion).join(
            newest, (Criterion.code == newest.c.code) & (Criterion.version == newest.c.v)
        )
    )
    return [
        compile_expression(r.code, r.version, r.title, r.expression)
        for r in rows
        if r.active and r.review_by > now
    ]


def save_criterion(
    session: Session,
    *,
    code: str,
    title: str,
    expression: str,
    justification: str,
    review_by: datetime,
    active: bool,
    author: str,
    now: datetime,
) -> Criterion:
    """Validate and store a new version of a criterion (version 1 for a new code)."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]{2,60}", code):
        raise ValidationFailed("criterion code: 2-60 letters, digits, dot, dash or underscore")
    compile_expression(code, 0, title, expression)
    if review_by <= now:
        raise ValidationFailed("criterion: the review date must be in the future")
    if review_by > now + rules.CRITERIA_MAX_REVIEW:
        raise ValidationFailed(
            f"criterion: review it within {rules.CRITERIA_MAX_REVIEW.days} days "
            f"({rules.CRITERIA_SOURCE})"
        )
    if len(justification.strip()) < 10:
        raise ValidationFailed("criterion: state why it is targeted and proportionate")
    last = session.scalar(select(func.max(Criterion.version)).where(Criterion.code == code))
    row = Criterion(
        code=code,
        version=(last or 0) + 1,
        title=title,
        expression=expression.strip(),
        justification=justification.strip(),
        review_by=review_by,
        active=active,
        created_by=author,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def save_audited(
    session: Session,
    node: Node,
    principal: Principal,
    *,
    code: str,
    title: str,
    expression: str,
    justification: str,
    review_by: datetime,
    active: bool,
) -> Criterion:
    """:func:`save_criterion` by ``principal``, with its audit entry (API and console alike)."""
    row = save_criterion(
        session, code=code, title=title, expression=expression, justification=justification,
        review_by=review_by, active=active, author=principal.name, now=node.clock.now(),
    )  # fmt: skip
    node.audit(
        session,
        Actor(principal.name, principal.agency),
        action="write",
        object_type="pnr.criterion",
        object_id=f"{row.code}:v{row.version}",
        purpose="pre-determined criteria",
        legal_basis=rules.CRITERIA_SOURCE,
        details={"expression": row.expression, "review_by": row.review_by.isoformat()},
    )
    return row


def versions(session: Session, code: str) -> list[Criterion]:
    """Every version of one criterion, newest first."""
    rows = list(
        session.scalars(
            select(Criterion).where(Criterion.code == code).order_by(Criterion.version.desc())
        )
    )
    if not rows:
        raise NotFound(f"no criterion {code!r}")
    return rows


def listing(session: Session) -> list[Criterion]:
    """The newest version of every criterion."""
    newest: dict[str, Criterion] = {}
    for row in session.scalars(select(Criterion).order_by(Criterion.code, Criterion.version)):
        newest[row.code] = row
    return list(newest.values())
