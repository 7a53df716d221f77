"""Ingestion: parse pushed files, refuse out-of-scope rail data, store, screen — one
transaction per batch of files.

A file is identified by the SHA-256 of its bytes: the same push twice is processed once, also
when two processes receive it at the same time. A batch commits its messages, bookings,
versions, hits, quarantine items and audit entries together, so a node killed during ingestion
keeps every batch it reported as accepted and nothing of the others.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.identity.watchlists import node_watchlists
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.ingest import ParseResult, parse_file
from passerelle.pnr.model import Booking, BookingVersion, PushMessage, QuarantineItem
from passerelle.pnr.normalised import Booking as Parsed
from passerelle.pnr.service import demo_watch
from passerelle.pnr.service.criteria import active_criteria
from passerelle.pnr.service.records import booking_key, journey_key, short_station, split
from passerelle.pnr.service.scope import active_scope
from passerelle.pnr.service.screening import Screener
from passerelle.privacy import audit

__all__ = ["FileOutcome", "ingest_bytes", "ingest_files"]


@dataclass
class FileOutcome:
    """What became of one pushed file."""

    result: ParseResult
    duplicate: bool = False
    message_id: int | None = None
    stored: int = 0
    refused_out_of_scope: int = 0
    hits: int = 0
    suppressed: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` line plus what the node did with the file."""
        return {
            **self.result.summary(),
            "duplicate": self.duplicate,
            "stored": self.stored,
            "refused_out_of_scope": self.refused_out_of_scope,
            "hits": self.hits,
            "suppressed": self.suppressed,
        }


@dataclass
class _Batch:
    node: Node
    session: Session
    sender: audit.Actor
    screener: Screener
    sensitive: Counter[str] = field(default_factory=Counter)
    outside: Counter[str] = field(default_factory=Counter)
    refused: int = 0


def ingest_bytes(node: Node, data: bytes, filename: str, sender: audit.Actor) -> FileOutcome:
    """Ingest one pushed file (the carrier API)."""
    return ingest_files(node, [(data, filename)], sender)[0]


def ingest_files(
    node: Node, files: Sequence[tuple[bytes, str]], sender: audit.Actor
) -> list[FileOutcome]:
    """Parse, then store and screen every file in one transaction; returns one outcome each."""
    outcomes = [FileOutcome(parse_file(data, name)) for data, name in files]
    try:
        _store(node, outcomes, sender)
    except IntegrityError:  # another process stored one of these digests meanwhile
        outcomes = [FileOutcome(o.result) for o in outcomes]
        _store(node, outcomes, sender)
    return outcomes


def _store(node: Node, outcomes: list[FileOutcome], sender: audit.Actor) -> None:
    now = node.clock.now()
    with node.session() as session:
        digests = {o.result.digest for o in outcomes}
        known = set(
            session.scalars(select(PushMessage.digest).where(PushMessage.digest.in_(digests)))
        )
        watchlists = demo_watch.ensure_published(node, node_watchlists(node.state))
        batch = _Batch(node, session, sender, Screener(watchlists, active_criteria(session, now)))
        scope = active_scope(session, now)
        fresh: list[tuple[FileOutcome, PushMessage, list[Parsed]]] = []
        for outcome in outcomes:
            result = outcome.result
            if result.digest in known:
                outcome.duplicate = True
                continue
            known.add(result.digest)
            kept = []
            for parsed in (*result.pnrs, *result.api):
                if scope.allows(parsed):
                    kept.append(parsed)
                else:
                    outcome.refused_out_of_scope += 1
            message = PushMessage(
                digest=result.digest,
                filename=result.file[:300],
                format=result.format,
                sender=sender.name,
                received_at=now,
                bookings=len(kept),
                passengers=sum(len(b.passengers) for b in kept),
                quarantined=len(result.quarantined),
                refused_out_of_scope=outcome.refused_out_of_scope,
                sensitive_deleted=sum(result.dropped.sensitive.values()),
                summary=json.dumps(result.summary(), ensure_ascii=False),
            )
            session.add(message)
            fresh.append((outcome, message, kept))
            batch.sensitive.update(result.dropped.sensitive)
            batch.outside.update(result.dropped.outside_annex)
            batch.refused += outcome.refused_out_of_scope
        if not fresh:
            return
        session.flush()
        ids = _upsert(batch, fresh)
        for outcome, message, _ in fresh:
            outcome.message_id = message.id
            session.add_all(
                QuarantineItem(
                    message_id=message.id,
                    filename=q.file[:300],
                    segment=q.segment,
                    reason=q.reason,
                    raw=q.raw,
                    received_at=now,
                )
                for q in outcome.result.quarantined
            )
        before = batch.screener.created, batch.screener.suppressed
        batch.screener.store(session, ids, node.cipher, now)
        if len(fresh) == 1:
            fresh[0][0].hits = batch.screener.created - before[0]
            fresh[0][0].suppressed = batch.screener.suppressed - before[1]
        _audit(batch, fresh)


def _upsert(
    batch: _Batch, fresh: list[tuple[FileOutcome, PushMessage, list[Parsed]]]
) -> dict[str, int]:
    """Create or update one booking row per key; returns key → booking id."""
    session, node = batch.session, batch.node
    now = node.clock.now()
    keyed = [(o, m, booking_key(p), p) for o, m, kept in fresh for p in kept]
    keys = {k for _, _, k, _ in keyed}
    rows = {r.key: r for r in session.scalars(select(Booking).where(Booking.key.in_(keys)))}
    versions: list[tuple[Booking, PushMessage, list[str]]] = []
    for outcome, message, key, parsed in keyed:
        core, personal = split(parsed)
        core_text = json.dumps(core, ensure_ascii=False, separators=(",", ":"))
        personal_text = json.dumps(personal, ensure_ascii=False, separators=(",", ":"))
        journey = parsed.journey
        row = rows.get(key)
        changed = ["created"]
        if row is None:
            row = Booking(key=key, version=1, received_at=now)
            rows[key] = row
            session.add(row)
        else:
            changed = _changed(row, core, personal)
            row.version += 1
            row.masked_at = None
        row.mode, row.source = parsed.mode, parsed.source
        row.record_locator = parsed.record_locator[:60]
        row.carrier = short_station(journey.carrier)[:60] if journey else ""
        row.service_number = journey.number[:20] if journey else ""
        row.origin = short_station(journey.origin)[:40] if journey else ""
        row.destination = short_station(journey.destination)[:40] if journey else ""
        row.departure = (journey.departure or "")[:40] if journey else ""
        row.journey_key = journey_key(parsed)[:140]
        row.passenger_count = len(parsed.passengers)
        row.updated_at = now
        row.core, row.personal = core_text, personal_text
        row.sealed = node.cipher.encrypt(personal_text, f"pnr_booking:{key}")
        versions.append((row, message, changed))
        batch.screener.screen(key, parsed, personal["passengers"])
        outcome.stored += 1
    session.flush()
    session.add_all(
        BookingVersion(
            booking_id=row.id,
            version=row.version,
            message_id=message.id,
            received_at=now,
            changed=json.dumps(changed),
        )
        for row, message, changed in versions
    )
    return {key: row.id for key, row in rows.items()}


def _changed(row: Booking, core: dict[str, Any], personal: dict[str, Any]) -> list[str]:
    """Names of the parts that differ from the stored version (no values: item 19 shape)."""
    old_core = json.loads(row.core)
    old_personal = json.loads(row.personal) if row.personal else {}
    changed = [k for k in core if old_core.get(k) != core[k]]
    changed += [k for k in personal if old_personal.get(k) != personal[k]]
    return sorted(set(changed)) or ["unchanged"]


def _audit(batch: _Batch, fresh: list[tuple[FileOutcome, PushMessage, list[Parsed]]]) -> None:
    node, session, actor = batch.node, batch.session, batch.sender
    first, last = fresh[0][1].id, fresh[-1][1].id
    object_id = str(first) if first == last else f"{first}-{last}"
    node.audit(
        session,
        actor,
        action="write",
        object_type="pnr.message",
        object_id=object_id,
        purpose=rules.PURPOSE_ASSESS,
        legal_basis="Directive (EU) 2016/681 art. 8 (push by carriers)",
        details={
            "files": len(fresh),
            "bookings": sum(o.stored for o, _, _ in fresh),
            "passengers": sum(m.passengers for _, m, _ in fresh),
            "quarantined": sum(m.quarantined for _, m, _ in fresh),
            "hits": batch.screener.created,
            "suppressed": batch.screener.suppressed,
            "outside_annex_deleted": dict(batch.outside),
        },
    )
    if batch.sensitive:
        node.audit(
            session,
            actor,
            action="erase",
            object_type="pnr.sensitive",
            object_id=object_id,
            purpose="deletion of sensitive data on receipt",
            legal_basis=rules.BASIS_SENSITIVE,
            details={"deleted": dict(batch.sensitive), "total": sum(batch.sensitive.values())},
        )
    if batch.refused:
        node.audit(
            session,
            actor,
            action="refuse",
            object_type="pnr.scope",
            object_id=object_id,
            purpose="intra-EU rail data outside the decided scope",
            legal_basis=rules.BASIS_SCOPE,
            details={"refused_bookings": batch.refused},
        )
