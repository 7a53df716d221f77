"""Provenance chains: events in order and the gaps between them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from passerelle.heritage import rules


@dataclass(frozen=True)
class Link:
    kind: str
    country: str
    start: date
    end: date | None


@dataclass(frozen=True)
class Gap:
    start: date | None
    end: date | None
    reason: str

    @property
    def years(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return round((self.end - self.start).days / 365.25, 1)


def gaps(links: Sequence[Link], *, until: date, origin: str = "") -> list[Gap]:
    """Silences longer than a year between events, a chain that does not start at the origin,
    a change of country without an export document, and a chain that stops before ``until``."""
    found: list[Gap] = []
    chain = sorted(links, key=lambda e: (e.start, e.end or e.start))
    if not chain:
        return [Gap(None, until, "no provenance recorded")]
    first = chain[0]
    if first.kind != "discovery" and origin and first.country and first.country != origin:
        found.append(Gap(None, first.start, f"the chain starts outside {origin}"))
    covered = first.end or first.start
    country = first.country
    exported = first.kind == "export"
    for event in chain[1:]:
        if event.start - covered > rules.GAP_TOLERANCE:
            found.append(Gap(covered, event.start, "no recorded owner or transaction"))
        if event.country and country and event.country != country:
            if not exported and event.kind not in ("export", "import"):
                found.append(
                    Gap(covered, event.start, f"moved {country} → {event.country} without export")
                )
            country = event.country
        exported = event.kind == "export"
        covered = max(covered, event.end or event.start)
    if until - covered > rules.GAP_TOLERANCE:
        found.append(Gap(covered, until, "no record since the last event"))
    return found


def left_origin(links: Sequence[Link], origin: str) -> date | None:
    """When the object left its country of origin: its first export, or the first event
    recorded elsewhere; None when the chain does not say."""
    for event in sorted(links, key=lambda e: e.start):
        if event.kind == "export" and (not event.country or event.country == origin):
            return event.start
        if event.country and event.country != origin:
            return event.start
    return None
