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
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.identity import node_watchlists
from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.ingest import ParseResult, parse_file
from passerelle.pnr.model import Booking, BookingVersion, PushMessage, QuarantineItem
from passerelle.pnr.normalised import ParsedBooking as Parsed
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
        result = self.result
        return {
            **result.summary(),
            "quarantined_total": max(result.quarantined_total, len(result.quarantined)),
            "duplicate": self.duplicate,
            "stored": self.stored,
            "refused_out_of_scope": self.refused_out_of_scope,
            "hits": self.hits,
            "suppressed": self.suppressed,
        }


@dataclass
class _Prepared:
    """One booking ready to store: computed outside the write transaction."""

    parsed: Parsed
    key: str
    core: dict[str, Any]
    personal: dict[str, Any]
    core_text: str
    personal_text: str
    sealed: str


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
    """Parse, screen, then store every file in one transaction; returns one outcome each.

    Parsing, splitting, encryption and screening run before the write transaction so that
    several ingesting processes overlap their work and queue only on the database writes.
    """
    cap = node.settings.pnr_quarantine_rows
    outcomes = [FileOutcome(parse_file(data, name, max_quarantined=cap)) for data, name in files]
    now = node.clock.now()
    with node.read_session() as session:  # reads only: no write lock while parsing and screening
        scope = active_scope(session, now)
        screener = Screener(
            demo_watch.ensure_published(node, node_watchlists(node.state)),
            active_criteria(session, now),
        )
    prepared: list[list[_Prepared]] = []
    for outcome in outcomes:
        kept: list[_Prepared] = []
        for parsed in (*outcome.result.pnrs, *outcome.result.api):
            if not scope.allows(parsed):
                outcome.refused_out_of_scope += 1
                continue
            item = _prepare(node, parsed)
            screener.screen(item.key, parsed, item.personal["passengers"])
            kept.append(item)
        prepared.append(kept)
    try:
        _store(node, outcomes, prepared, screener, sender)
    except IntegrityError:  # another process stored one of these digests meanwhile
        for outcome in outcomes:
            outcome.duplicate, outcome.stored, outcome.message_id = False, 0, None
        _store(node, outcomes, prepared, screener, sender)
    return outcomes


def _prepare(node: Node, parsed: Parsed) -> _Prepared:
    key = booking_key(parsed)
    core, personal = split(parsed)
    personal_text = json.dumps(personal, ensure_ascii=False, separators=(",", ":"))
    return _Prepared(
        parsed,
        key,
        core,
        personal,
        json.dumps(core, ensure_ascii=False, separators=(",", ":")),
        personal_text,
        node.cipher.encrypt(personal_text, f"pnr_booking:{key}"),
    )


def _store(
    node: Node,
    outcomes: list[FileOutcome],
    prepared: list[list[_Prepared]],
    screener: Screener,
    sender: audit.Actor,
) -> None:
    now = node.clock.now()
    with node.session() as session:
        digests = {o.result.digest for o in outcomes}
        known = set(
            session.scalars(select(PushMessage.digest).where(PushMessage.digest.in_(digests)))
        )
        batch = _Batch(node, session, sender, screener)
        fresh: list[tuple[FileOutcome, list[_Prepared]]] = []
        rows: list[dict[str, Any]] = []
        for outcome, kept in zip(outcomes, prepared, strict=True):
            result = outcome.result
            if result.digest in known:
                outcome.duplicate = True
                continue
            known.add(result.digest)
            rows.append(
                {
                    "digest": result.digest,
                    "filename": result.file[:300],
                    "format": result.format,
                    "sender": sender.name,
                    "received_at": now,
                    "bookings": len(kept),
                    "passengers": sum(len(b.parsed.passengers) for b in kept),
                    "quarantined": max(result.quarantined_total, len(result.quarantined)),
                    "refused_out_of_scope": outcome.refused_out_of_scope,
                    "sensitive_deleted": sum(result.dropped.sensitive.values()),
                    "summary": json.dumps(result.summary(), ensure_ascii=False),
                }
            )
            fresh.append((outcome, kept))
            batch.sensitive.update(result.dropped.sensitive)
            batch.outside.update(result.dropped.outside_annex)
            batch.refused += outcome.refused_out_of_scope
        if not fresh:
            return
        ids = session.execute(
            insert(PushMessage).returning(PushMessage.id, sort_by_parameter_order=True), rows
        ).scalars()
        for (outcome, _), message_id in zip(fresh, ids, strict=True):
            outcome.message_id = message_id
        booking_ids = _upsert(batch, fresh)
        quarantined = [
            {
                "message_id": outcome.message_id,
                "filename": q.file[:300],
                "segment": q.segment,
                "reason": q.reason,
                "raw": q.raw,
                "received_at": now,
            }
            for outcome, _ in fresh
            for q in outcome.result.quarantined
        ]
        if quarantined:
            session.execute(insert(QuarantineItem), quarantined)
        counts = screener.store(session, booking_ids, node.cipher, now)
        for outcome, kept in fresh:
            for item in kept:
                created, suppressed = counts.pop(item.key, (0, 0))
                outcome.hits += created
                outcome.suppressed += suppressed
        _audit(batch, fresh)


def _columns(item: _Prepared, now: datetime) -> dict[str, Any]:
    parsed, journey = item.parsed, item.parsed.journey
    return {
        "mode": parsed.mode,
        "source": parsed.source,
        "record_locator": parsed.record_locator[:60],
        "carrier": short_station(journey.carrier)[:60] if journey else "",
        "service_number": journey.number[:20] if journey else "",
        "origin": short_station(journey.origin)[:40] if journey else "",
        "destination": short_station(journey.destination)[:40] if journey else "",
        "departure": (journey.departure or "")[:40] if journey else "",
        "journey_key": journey_key(parsed)[:140],
        "passenger_count": len(parsed.passengers),
        "updated_at": now,
        "core": item.core_text,
        "personal": item.personal_text,
        "sealed": item.sealed,
        "masked_at": None,
    }


def _upsert(batch: _Batch, fresh: list[tuple[FileOutcome, list[_Prepared]]]) -> dict[str, int]:
    """Create or update one booking row per key with bulk statements; a version row per push.

    Returns key → booking id.
    """
    session, now = batch.session, batch.node.clock.now()
    pushes: dict[str, list[tuple[FileOutcome, _Prepared]]] = {}
    for outcome, kept in fresh:
        for item in kept:
            pushes.setdefault(item.key, []).append((outcome, item))
    if not pushes:
        return {}
    existing = {
        key: (booking_id, version, core, personal)
        for booking_id, key, version, core, personal in session.execute(
            select(Booking.id, Booking.key, Booking.version, Booking.core, Booking.personal).where(
                Booking.key.in_(pushes)
            )
        )
    }
    new_keys = [key for key in pushes if key not in existing]
    ids = {key: row[0] for key, row in existing.items()}
    if new_keys:
        created = session.execute(
            insert(Booking).returning(Booking.id, sort_by_parameter_order=True),
            [
                {
                    **_columns(pushes[key][-1][1], now),
                    "key": key,
                    "version": len(pushes[key]),
                    "received_at": now,
                    "case_ref": "",
                }
                for key in new_keys
            ],
        ).scalars()
        ids.update(zip(new_keys, created, strict=True))
    updates = [
        {
            **_columns(pushes[key][-1][1], now),
            "id": row[0],
            "version": row[1] + len(pushes[key]),
        }
        for key, row in existing.items()
    ]
    if updates:
        session.execute(update(Booking), updates)
    versions: list[dict[str, Any]] = []
    for key, items in pushes.items():
        before = existing.get(key)
        version = before[1] if before else 0
        previous: tuple[str, str | None] | None = (before[2], before[3]) if before else None
        for outcome, item in items:
            version += 1
            changed = (
                _changed(previous[0], previous[1], item.core, item.personal)
                if previous
                else ["created"]
            )
            previous = (item.core_text, item.personal_text)
            versions.append(
                {
                    "booking_id": ids[key],
                    "version": version,
                    "message_id": outcome.message_id,
                    "received_at": now,
                    "changed": json.dumps(changed),
                }
            )
            outcome.stored += 1
    session.execute(insert(BookingVersion), versions)
    return ids


def _changed(
    old_core_text: str,
    old_personal_text: str | None,
    core: dict[str, Any],
    personal: dict[str, Any],
) -> list[str]:
    """Names of the parts that differ from the previous version (no values: item 19 shape)."""
    old_core = json.loads(old_core_text)
    old_personal = json.loads(old_personal_text) if old_personal_text else {}
    changed = [k for k in core if old_core.get(k) != core[k]]
    changed += [k for k in personal if old_personal.get(k) != personal[k]]
    return sorted(set(changed)) or ["unchanged"]


def _audit(batch: _Batch, fresh: list[tuple[FileOutcome, list[_Prepared]]]) -> None:
    node, session, actor = batch.node, batch.session, batch.sender
    first, last = fresh[0][0].message_id, fresh[-1][0].message_id
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
            "bookings": sum(o.stored for o, _ in fresh),
            "passengers": sum(len(i.parsed.passengers) for _, kept in fresh for i in kept),
            "quarantined": sum(o.result.quarantined_total for o, _ in fresh),
            "quarantine_rows_kept": sum(len(o.result.quarantined) for o, _ in fresh),
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
    refused = [o for o, _ in fresh if o.result.refused]
    if refused:
        node.audit(
            session,
            actor,
            action="refuse",
            object_type="pnr.message",
            object_id=",".join(str(o.message_id) for o in refused)[:100],
            purpose=rules.PURPOSE_ASSESS,
            legal_basis="Directive (EU) 2016/681 art. 8 (push by carriers)",
            details={"files": len(refused), "reason": refused[0].result.refused[:300]},
        )
    if batch.refused:
        node.audit(
            session,
            actor,
            action="refuse",
            object_type="pnr.scope",
            object_id=object_id,
            purpose="intra-EU flight or rail data outside the decided scope",
            legal_basis=rules.BASIS_SCOPE,
            details={"refused_bookings": batch.refused},
        )
