"""Retention of every cultural-goods record class, registered with the privacy framework.
Registered and stolen objects stay while they are registered or sought; a recovered object,
with its photographs and the owners of its provenance chain, leaves ten years after recovery."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from passerelle.heritage import rules
from passerelle.heritage.model import (
    Check,
    CulturalObject,
    Exchange,
    Photo,
    ProvenanceEvent,
    Quarantine,
)
from passerelle.privacy import RetentionRule


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _checks(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Check).where(Check.checked_at < cutoff)))


def _exchanges(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Exchange).where(Exchange.at < cutoff)))


def _recovered(session: Session, cutoff: datetime) -> int:
    gone = select(CulturalObject.id).where(
        CulturalObject.status == "recovered", CulturalObject.recovered_at < cutoff
    )
    ids = list(session.scalars(gone))
    if not ids:
        return 0
    session.execute(delete(Photo).where(Photo.object_id.in_(ids)))
    session.execute(delete(ProvenanceEvent).where(ProvenanceEvent.object_id.in_(ids)))
    return _count(session.execute(delete(CulturalObject).where(CulturalObject.id.in_(ids))))


def _quarantine(session: Session, cutoff: datetime) -> int:
    return _count(session.execute(delete(Quarantine).where(Quarantine.received_at < cutoff)))


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "heritage.check",
            "Checks of objects offered for sale (they name the seller) are deleted five years "
            "after the check.",
            rules.RETENTION_SOURCE,
            delete_after=rules.CHECK_RETENTION,
            delete=_checks,
        ),
        RetentionRule(
            "heritage.exchange",
            "Screening requests to and from peers and their hit/no-hit answers are deleted one "
            "year after they were sent or received.",
            rules.RETENTION_SOURCE,
            delete_after=rules.EXCHANGE_RETENTION,
            delete=_exchanges,
        ),
        RetentionRule(
            "heritage.recovered",
            "A recovered object, its photographs and its provenance chain (owners) are "
            "deleted ten years after recovery.",
            rules.RETENTION_SOURCE,
            delete_after=rules.RECOVERED_RETENTION,
            delete=_recovered,
        ),
        RetentionRule(
            "heritage.quarantine",
            "Refused object JSON and photographs are deleted 30 days after they were quarantined.",
            rules.QUARANTINE_SOURCE,
            delete_after=rules.QUARANTINE_RETENTION,
            delete=_quarantine,
        ),
    ]
