"""Retention of the DNA domain: profiles by sample type and match records, each rule with its
legal source (:data:`passerelle.dna.rules.RETENTION_REFERENCE`, ``RETENTION_TRACES``,
``MATCH_RETENTION_YEARS``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from passerelle.dna import rules
from passerelle.dna.model import CrossBorderSearch, MatchRecord, StoredProfile
from passerelle.dna.rules import SampleType
from passerelle.privacy.retention import RetentionRule


def _delete_profiles(sample_types: Sequence[SampleType]) -> Callable[[Session, datetime], int]:
    def run(session: Session, cutoff: datetime) -> int:
        result = session.execute(
            delete(StoredProfile).where(
                StoredProfile.sample_type.in_([s.value for s in sample_types]),
                StoredProfile.updated_at < cutoff,
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    return run


def _delete_matches(session: Session, cutoff: datetime) -> int:
    session.execute(delete(CrossBorderSearch).where(CrossBorderSearch.created_at < cutoff))
    result = session.execute(delete(MatchRecord).where(MatchRecord.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _years(n: int) -> timedelta:
    return timedelta(days=round(365.25 * n))


def retention_rules() -> list[RetentionRule]:
    """Profiles by sample type (:data:`rules.RETENTION_REFERENCE`, :data:`rules.RETENTION_TRACES`)
    and match records (:data:`rules.MATCH_RETENTION_YEARS`)."""
    found = [
        RetentionRule(
            data_class=r.data_class,
            description=f"{', '.join(s.value for s in r.sample_types)} profiles are deleted "
            f"{r.years} years after their last update.",
            source=r.source,
            delete_after=_years(r.years),
            delete=_delete_profiles(r.sample_types),
        )
        for r in (rules.RETENTION_REFERENCE, rules.RETENTION_TRACES)
    ]
    found.append(
        RetentionRule(
            data_class="dna_match",
            description="Match records (national and cross-border) are deleted "
            f"{rules.MATCH_RETENTION_YEARS} years after the search.",
            source=rules.MATCH_RETENTION_SOURCE,
            delete_after=_years(rules.MATCH_RETENTION_YEARS),
            delete=_delete_matches,
        )
    )
    return found


__all__ = ["retention_rules"]
