"""Screening every traveller against the node's watchlists and the pre-determined criteria.

Only entries about terrorism and serious crime are used: entries tagged as SIS art. 32 or 34
alerts are left out by rule (``rules.EXCLUDED_LIST_TAGS``, ``rules.EXCLUDED_LISTS_SOURCE``).

Matches are candidates (art. 6(5)): they enter the review queue unless the same match was
dismissed before (its fingerprint), in which case it is counted as suppressed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.identity import NodeWatchlists
from passerelle.pnr import rules
from passerelle.pnr.model import Hit
from passerelle.pnr.normalised import ParsedBooking
from passerelle.pnr.service.criteria import CompiledCriterion, booking_facts
from passerelle.pnr.service.records import person_record
from passerelle.privacy import FieldCipher

__all__ = ["Candidate", "Screener"]


@dataclass
class Candidate:
    passenger: int
    kind: str
    list_name: str
    entry_id: str
    criterion_version: int | None
    score: float
    explanation: dict[str, Any]
    fingerprint: str
    #: The node owning the matched watchlist entry (``ListedMatch.owner``).
    owner: str | None = None


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


@dataclass
class Screener:
    """Screens bookings of one batch; holds the watchlists and compiled criteria."""

    watchlists: NodeWatchlists
    criteria: list[CompiledCriterion]
    threshold: float = rules.SCREEN_THRESHOLD
    suppressed: int = 0
    created: int = 0
    #: Matches left out because their list entry is not about terrorism or serious crime
    #: (``rules.EXCLUDED_LIST_TAGS``: SIS art. 32 and 34 alerts).
    excluded: int = 0
    _pending: list[tuple[str, Candidate]] = field(default_factory=list)

    def screen(self, key: str, booking: ParsedBooking, passengers: list[dict[str, Any]]) -> None:
        """Collect the candidates of one booking (stored by :meth:`store`)."""
        for index, pax in enumerate(passengers):
            record = person_record(f"{key}#{index}", pax)
            if not record.family_name and not record.given_names:
                continue
            identity = (
                (record.family_name or "").upper(),
                (record.given_names or "").upper(),
                record.date_of_birth or "",
                record.document_number or "",
            )
            for listed in self.watchlists.screen(record, self.threshold):
                if listed.tags & rules.EXCLUDED_LIST_TAGS.keys():
                    self.excluded += 1  # rules.EXCLUDED_LISTS_SOURCE: never screened by PNR
                    continue
                match = listed.match
                self._pending.append(
                    (
                        key,
                        Candidate(
                            index,
                            "watchlist",
                            listed.list_name,
                            match.entry_id,
                            None,
                            match.score,
                            match.explanation.to_dict(),
                            _fingerprint("w", listed.list_name, match.entry_id, *identity),
                            listed.owner,
                        ),
                    )
                )
        if not self.criteria:
            return
        facts, per_pax = booking_facts(booking)
        for index, extra in enumerate(per_pax):
            combined = {**facts, **extra}
            for criterion in self.criteria:
                if criterion.matches(combined):
                    self._pending.append(
                        (
                            key,
                            Candidate(
                                index,
                                "criterion",
                                "",
                                criterion.code,
                                criterion.version,
                                1.0,
                                {"summary": criterion.explain(), "facts": _plain(combined)},
                                _fingerprint("c", criterion.code, criterion.version, key, index),
                            ),
                        )
                    )

    def store(
        self, session: Session, ids: dict[str, int], cipher: FieldCipher, now: datetime
    ) -> dict[str, tuple[int, int]]:
        """Write the collected candidates of stored bookings (``ids``: key → booking id) as
        pending hits, suppressing dismissed ones; returns key → (created, suppressed)."""
        counts: dict[str, tuple[int, int]] = {}
        pending = [(key, cand) for key, cand in self._pending if key in ids]
        self._pending.clear()
        if not pending:
            return counts
        prints = {c.fingerprint for _, c in pending}
        known: dict[str, set[tuple[int, str]]] = {}
        for fp, booking_id, status in session.execute(
            select(Hit.fingerprint, Hit.booking_id, Hit.status).where(Hit.fingerprint.in_(prints))
        ):
            known.setdefault(fp, set()).add((booking_id, status))
        for key, cand in pending:
            booking_id = ids[key]
            created, suppressed = counts.get(key, (0, 0))
            seen = known.get(cand.fingerprint, set())
            if any(status == "dismissed" for _, status in seen):
                self.suppressed += 1
                counts[key] = (created, suppressed + 1)
                continue
            if any(b == booking_id for b, _ in seen):
                continue  # the same candidate from an earlier push is already queued
            known.setdefault(cand.fingerprint, set()).add((booking_id, "pending"))
            text = json.dumps(cand.explanation, ensure_ascii=False)
            session.add(
                Hit(
                    booking_id=booking_id,
                    passenger=cand.passenger,
                    kind=cand.kind,
                    list_name=cand.list_name,
                    entry_id=cand.entry_id,
                    entry_owner=cand.owner,
                    criterion_version=cand.criterion_version,
                    score=cand.score,
                    explanation=text,
                    sealed_explanation=cipher.encrypt(text, f"pnr_hit:{cand.fingerprint}"),
                    fingerprint=cand.fingerprint,
                    status="pending",
                    created_at=now,
                )
            )
            self.created += 1
            counts[key] = (created + 1, suppressed)
        return counts


def _plain(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if v is not None}
