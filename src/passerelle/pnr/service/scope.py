"""Scope (CJEU C-817/19): intra-EU flight and rail data only on selected routes, airports or
stations, or during a declared threat period, each a recorded decision with justification,
authority and end date. Without one, intra-EU data is refused on receipt, counted and audited.

Traffic with one end outside the EU (Paris–London, Paris–Casablanca) is not intra-EU and needs
no decision. An airport or UIC country code the tables do not know counts as intra-EU.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import ValidationFailed
from passerelle.pnr import rules
from passerelle.pnr.model import ScopeDecision
from passerelle.pnr.normalised import ParsedBooking
from passerelle.pnr.service.records import short_station

__all__ = ["ActiveScope", "active_scope", "decide_scope", "decisions", "is_intra_eu"]

KINDS = ("routes", "stations", "threat")


def is_intra_eu(booking: ParsedBooking) -> bool:
    """True for a flight or rail booking whose every airport or station is in an EU member
    state (or unknown: fail closed)."""
    if not booking.legs:
        return False
    return all(
        rules.intra_eu_place(place, leg.mode)
        for leg in booking.legs
        for place in (leg.origin, leg.destination)
    )


@dataclass(frozen=True)
class ActiveScope:
    """What the decisions in force at one moment allow."""

    threat: bool
    routes: frozenset[tuple[str, str]]
    stations: frozenset[str]

    def allows(self, booking: ParsedBooking) -> bool:
        """Whether the data of ``booking`` may be collected now (always when not intra-EU)."""
        if self.threat or not is_intra_eu(booking):
            return True
        for leg in booking.legs:
            a, b = short_station(leg.origin), short_station(leg.destination)
            if (a, b) in self.routes or a in self.stations or b in self.stations:
                return True
        journey = booking.journey
        if journey:
            a, b = short_station(journey.origin), short_station(journey.destination)
            return (a, b) in self.routes
        return False


def active_scope(session: Session, now: datetime) -> ActiveScope:
    rows = session.scalars(
        select(ScopeDecision).where(ScopeDecision.starts_at <= now, ScopeDecision.ends_at > now)
    )
    threat = False
    routes: set[tuple[str, str]] = set()
    stations: set[str] = set()
    for row in rows:
        targets = json.loads(row.targets)
        if row.kind == "threat":
            threat = True
        elif row.kind == "stations":
            stations.update(targets)
        else:
            for route in targets:
                a, b = route.split("-", 1)
                routes.update({(a, b), (b, a)})
    return ActiveScope(threat, frozenset(routes), frozenset(stations))


def _targets(kind: str, targets: list[str]) -> list[str]:
    clean = [short_station(t.strip()) for t in targets if t.strip()]
    if kind == "threat":
        return []
    if not clean:
        raise ValidationFailed(f"a {kind} decision names at least one target")
    clean = [t.upper() for t in clean]
    for target in clean:
        parts = target.split("-") if kind == "routes" else [target]
        if len(parts) != (2 if kind == "routes" else 1) or not all(_place(p) for p in parts):
            raise ValidationFailed(
                f"{target!r} is not a {'route A-B' if kind == 'routes' else 'station or airport'}"
                " of UIC station codes or IATA airport codes (e.g. 8727100-8814001, CDG-BRU)"
            )
    return clean


def _place(code: str) -> bool:
    return rules.uic_station(code) or rules.airport_country(code) is not None


def decide_scope(
    session: Session,
    *,
    kind: str,
    targets: list[str],
    justification: str,
    authority: str,
    starts_at: datetime,
    ends_at: datetime,
    author: str,
    now: datetime,
) -> ScopeDecision:
    """Record a scope decision; it must be limited in time (CJEU C-817/19 para. 171)."""
    if kind not in KINDS:
        raise ValidationFailed(f"scope kind is one of {', '.join(KINDS)}")
    if ends_at <= starts_at:
        raise ValidationFailed("a scope decision ends after it starts")
    if len(justification.strip()) < 10 or len(authority.strip()) < 3:
        raise ValidationFailed("a scope decision states its justification and its authority")
    row = ScopeDecision(
        kind=kind,
        targets=json.dumps(_targets(kind, targets)),
        justification=justification.strip(),
        authority=authority.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=author,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def decisions(session: Session) -> list[ScopeDecision]:
    """Every decision, those ending last first."""
    return list(session.scalars(select(ScopeDecision).order_by(ScopeDecision.ends_at.desc())))
