"""Read models for the console and API: journeys, statistics, quarantine, booking history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from passerelle.node import Node
from passerelle.pnr import rules
from passerelle.pnr.model import Booking, BookingVersion, Hit, PushMessage, QuarantineItem
from passerelle.pnr.schemas import JourneyOut
from passerelle.privacy import Access, Principal

__all__ = ["history", "journeys", "quarantine", "statistics"]


def journeys(session: Session, *, mode: str | None = None, limit: int = 200) -> list[JourneyOut]:
    """Flights and trains with their booking, passenger and hit counts (no personal data)."""
    hits = (
        select(
            Hit.booking_id,
            func.count().label("hits"),
            func.sum(case((Hit.status == "pending", 1), else_=0)).label("pending"),
        )
        .where(Hit.status != "dismissed")
        .group_by(Hit.booking_id)
        .subquery()
    )
    query = (
        select(
            Booking.journey_key,
            func.min(Booking.mode),
            func.min(Booking.carrier),
            func.min(Booking.service_number),
            func.min(Booking.origin),
            func.max(Booking.destination),
            func.min(Booking.departure),
            func.count(Booking.id),
            func.sum(Booking.passenger_count),
            func.coalesce(func.sum(hits.c.hits), 0),
            func.coalesce(func.sum(hits.c.pending), 0),
        )
        .outerjoin(hits, hits.c.booking_id == Booking.id)
        .group_by(Booking.journey_key)
        .order_by(func.min(Booking.departure).desc())
        .limit(limit)
    )
    if mode:
        query = query.where(Booking.mode == mode)
    return [
        JourneyOut(
            key=key,
            mode=m,
            carrier=carrier,
            service=service,
            origin=origin,
            destination=dest,
            day=(dep or "")[:10],
            bookings=int(b),
            passengers=int(p or 0),
            hits=int(h),
            pending=int(pend),
        )
        for key, m, carrier, service, origin, dest, dep, b, p, h, pend in session.execute(query)
    ]


def journey_bookings(session: Session, key: str) -> list[Booking]:
    return list(
        session.scalars(select(Booking).where(Booking.journey_key == key).order_by(Booking.id))
    )


def journey_hits(session: Session, booking_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per booking of a journey: its hits counted by status (no personal data)."""
    out: dict[int, dict[str, int]] = {}
    if not booking_ids:
        return out
    for booking_id, status, n in session.execute(
        select(Hit.booking_id, Hit.status, func.count())
        .where(Hit.booking_id.in_(booking_ids))
        .group_by(Hit.booking_id, Hit.status)
    ):
        out.setdefault(booking_id, {})[status] = int(n)
    return out


def statistics(session: Session) -> dict[str, Any]:
    """Counts a DPO or supervisor reports on (art. 20 statistics)."""
    messages = session.execute(
        select(
            func.count(PushMessage.id),
            func.coalesce(func.sum(PushMessage.quarantined), 0),
            func.coalesce(func.sum(PushMessage.refused_out_of_scope), 0),
            func.coalesce(func.sum(PushMessage.sensitive_deleted), 0),
        )
    ).one()
    by_mode = {
        mode: {"bookings": int(n), "passengers": int(p or 0)}
        for mode, n, p in session.execute(
            select(Booking.mode, func.count(), func.sum(Booking.passenger_count)).group_by(
                Booking.mode
            )
        )
    }
    hits = {
        f"{kind}_{status}": int(n)
        for kind, status, n in session.execute(
            select(Hit.kind, Hit.status, func.count()).group_by(Hit.kind, Hit.status)
        )
    }
    masked = session.scalar(select(func.count()).where(Booking.masked_at.is_not(None)))
    return {
        "messages": int(messages[0]),
        "quarantined_items": int(messages[1]),
        "refused_out_of_scope": int(messages[2]),
        "sensitive_deleted": int(messages[3]),
        "by_mode": by_mode,
        "hits": hits,
        "masked_bookings": int(masked or 0),
        "retention_policy": "cjeu",  # the only policy (CJEU C-817/19), kept for clients
    }


def quarantine(
    session: Session, node: Node, principal: Principal, *, limit: int = 100
) -> list[Any]:
    """Quarantined raw input, newest first (may hold sensitive codes: audited read).

    Rows carry ``raw`` cut to ``rules.QUARANTINE_RAW_SHOWN`` characters (in SQL: a refused push
    is kept whole and may weigh megabytes) and ``raw_length``, the length kept.
    """
    q = QuarantineItem
    rows = list(
        session.execute(
            select(
                q.id, q.message_id, q.filename, q.segment, q.reason,
                func.substr(q.raw, 1, rules.QUARANTINE_RAW_SHOWN).label("raw"),
                func.length(q.raw).label("raw_length"), q.received_at,
            ).order_by(q.id.desc()).limit(limit)
        )
    )  # fmt: skip
    Access(principal, node.code, "quality of pushed data", rules.BASIS_OUTSIDE_ANNEX).trace(
        session, "read", "pnr.quarantine", "list", now=node.clock.now(),
        details={"items": len(rows)},
    )  # fmt: skip
    return rows


def history(session: Session, booking_id: int) -> list[BookingVersion]:
    """Every push of a booking, oldest first (item 19)."""
    return list(
        session.scalars(
            select(BookingVersion)
            .where(BookingVersion.booking_id == booking_id)
            .order_by(BookingVersion.version)
        )
    )
