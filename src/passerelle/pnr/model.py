"""Tables of the passenger-data domain.

A booking row holds its depersonalised part in clear (``core``), the art. 12(2) fields in clear
until masking (``personal``, destroyed at six months) and, from receipt, the same fields
encrypted with the node's field key (``sealed``), which only an approved re-personalisation
opens. Versions keep the history of repeated pushes without personal data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime

__all__ = [
    "Booking",
    "BookingVersion",
    "Criterion",
    "Hit",
    "PushMessage",
    "QuarantineItem",
    "Repersonalisation",
    "ScopeDecision",
]


class PushMessage(Base):
    """One pushed file, by digest: the same push twice is processed once."""

    __tablename__ = "pnr_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(10))
    sender: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    bookings: Mapped[int] = mapped_column(Integer, default=0)
    passengers: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    refused_out_of_scope: Mapped[int] = mapped_column(Integer, default=0)
    sensitive_deleted: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="{}")  # the --json line


class Booking(Base):
    """A PNR (air), an OSDM booking (rail) or an API passenger list, as last pushed."""

    __tablename__ = "pnr_booking"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    mode: Mapped[str] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(8))
    record_locator: Mapped[str] = mapped_column(String(60), index=True)
    carrier: Mapped[str] = mapped_column(String(60), default="")
    service_number: Mapped[str] = mapped_column(String(20), default="")
    origin: Mapped[str] = mapped_column(String(40), default="")
    destination: Mapped[str] = mapped_column(String(40), default="")
    departure: Mapped[str] = mapped_column(String(40), default="")
    journey_key: Mapped[str] = mapped_column(String(140), index=True)
    passenger_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    core: Mapped[str] = mapped_column(Text)
    personal: Mapped[str | None] = mapped_column(Text, default=None)
    sealed: Mapped[str] = mapped_column(Text)
    masked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    case_ref: Mapped[str] = mapped_column(String(100), default="")
    #: The objective ground that keeps the booking past six months (``grounds.link_case``):
    #: kind, references, approver, who recorded it; kept while ``ground_review_on`` is ahead.
    retention_ground: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ground_review_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)


class BookingVersion(Base):
    """One push of a booking (item 19): when, from which message, what changed (no data)."""

    __tablename__ = "pnr_booking_version"
    __table_args__ = (UniqueConstraint("booking_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("pnr_booking.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    changed: Mapped[str] = mapped_column(Text, default="[]")  # names of the changed parts


class Hit(Base):
    """An automated match (watchlist or criterion): a candidate until a person reviews it."""

    __tablename__ = "pnr_hit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("pnr_booking.id", ondelete="CASCADE"), index=True
    )
    passenger: Mapped[int] = mapped_column(Integer)  # index in the booking
    kind: Mapped[str] = mapped_column(String(10))  # watchlist | criterion
    list_name: Mapped[str] = mapped_column(String(100), default="")
    entry_id: Mapped[str] = mapped_column(String(200))  # watchlist entry or criterion code
    #: The node owning the matched watchlist entry, as the match gave it (None: not recorded).
    entry_owner: Mapped[str | None] = mapped_column(String(32), default=None)
    criterion_version: Mapped[int | None] = mapped_column(Integer, default=None)
    score: Mapped[float] = mapped_column(default=1.0)
    explanation: Mapped[str | None] = mapped_column(Text, default=None)  # clear until masking
    sealed_explanation: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending|confirmed|dismissed
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reviewer: Mapped[str | None] = mapped_column(String(120), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    passed_to: Mapped[str | None] = mapped_column(String(200), default=None)


class QuarantineItem(Base):
    """What could not be read, raw, with file, segment number and reason."""

    __tablename__ = "pnr_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(Integer, index=True)
    filename: Mapped[str] = mapped_column(String(300))
    segment: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Criterion(Base):
    """One version of a pre-determined criterion (art. 6(3)(b)); a new edit is a new row."""

    __tablename__ = "pnr_criterion"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    expression: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text)
    review_by: Mapped[datetime] = mapped_column(UtcDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ScopeDecision(Base):
    """A recorded decision selecting intra-EU rail routes or stations, or a threat period."""

    __tablename__ = "pnr_scope_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # routes | stations | threat
    targets: Mapped[str] = mapped_column(Text, default="[]")  # ["8727100-8814001", …]
    justification: Mapped[str] = mapped_column(Text)
    authority: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Repersonalisation(Base):
    """A request to see masked data (art. 12(3)), approved by a judicial authority."""

    __tablename__ = "pnr_repersonalisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("pnr_booking.id", ondelete="CASCADE"), index=True
    )
    case_ref: Mapped[str] = mapped_column(String(100))
    grounds: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(120))
    requester_agency: Mapped[str] = mapped_column(String(60))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(10))  # pending | approved | refused
    decided_by: Mapped[str | None] = mapped_column(String(120), default=None)
    decider_agency: Mapped[str | None] = mapped_column(String(60), default=None)
    decision_reason: Mapped[str | None] = mapped_column(Text, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    #: Who approved: ``judicial`` (art. 12(3)(b)(i)) or ``competent_authority`` ((ii): the DPO
    #: is informed).
    approval_basis: Mapped[str | None] = mapped_column(String(24), default=None)


class ReceivedResult(Base):
    """A confirmed hit another PIU pushed to this node (art. 9(1)): masked and erased on the
    dates of the booking it reports on, which the sending PIU states."""

    __tablename__ = "pnr_received_result"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)  # the sender's hit id
    sender: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    list_name: Mapped[str] = mapped_column(String(100), default="")
    entry_id: Mapped[str] = mapped_column(String(200), default="")
    record_locator: Mapped[str] = mapped_column(String(60), default="")
    journey: Mapped[str] = mapped_column(String(200), default="")
    passenger: Mapped[str | None] = mapped_column(String(300), default=None)  # None once masked
    score: Mapped[float | None] = mapped_column(default=None)
    reviewed_by: Mapped[str | None] = mapped_column(String(120), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    mask_on: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    delete_on: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    masked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
