"""Tables of the precursors domain: sellers (each with its API token), product catalogues,
the national licence register, watched persons, checked transactions with their art. 8
verification record, suspicious-transaction reports, detected patterns, purchase notices
received from peers and quarantined input."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class Seller(Base):
    """An economic operator or online marketplace; it calls the check API with its token."""

    __tablename__ = "precursors_seller"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(100), default="")
    #: Name of the API token (role ``marketplace``) this seller calls with.
    token_name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Product(Base):
    """A seller's product mapped to its substance (CAS) and concentration."""

    __tablename__ = "precursors_product"
    __table_args__ = (UniqueConstraint("seller", "sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seller: Mapped[str] = mapped_column(String(40), index=True)
    sku: Mapped[str] = mapped_column(String(80))
    trade_name: Mapped[str] = mapped_column(String(200))
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    cas: Mapped[str] = mapped_column(String(12))
    concentration: Mapped[float] = mapped_column(Float)
    particle_um: Mapped[float | None] = mapped_column(Float, default=None)


class Licence(Base):
    """A licence of the national register (art. 5(3)): holder, substances, upper limit."""

    __tablename__ = "precursors_licence"
    __table_args__ = (UniqueConstraint("country", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    number: Mapped[str] = mapped_column(String(40))
    family_name: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[str] = mapped_column(String(10), default="")
    document_number: Mapped[str] = mapped_column(String(40), default="", index=True)
    substances: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_concentration: Mapped[float] = mapped_column(Float)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime())
    valid_until: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class Watched(Base):
    """A person the contact point watches: a check naming them is reported."""

    __tablename__ = "precursors_watched"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family_name: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[str] = mapped_column(String(10), default="")
    document_number: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(300))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(120))


class WatchVersion(Base):
    """One row counting changes of the watched persons: a node's in-memory screening index
    compares it (a primary-key read) instead of counting the whole table."""

    __tablename__ = "precursors_watch_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Transaction(Base):
    """One checked sale with its decision and the art. 8 verification record."""

    __tablename__ = "precursors_transaction"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    seller: Mapped[str] = mapped_column(String(40), index=True)
    seller_ref: Mapped[str] = mapped_column(String(80), default="")
    channel: Mapped[str] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(100), default="")
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    customer_type: Mapped[str] = mapped_column(String(12))
    family_name: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[str] = mapped_column(String(10), default="")
    document_type: Mapped[str] = mapped_column(String(20), default="")
    document_number: Mapped[str] = mapped_column(String(40), default="")
    document_country: Mapped[str] = mapped_column(String(3), default="")
    account: Mapped[str] = mapped_column(String(120), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    #: Blocking key of the customer for pattern detection (birth date + folded family name).
    identity_key: Mapped[str] = mapped_column(String(40), index=True)
    product: Mapped[str] = mapped_column(String(200))
    cas: Mapped[str] = mapped_column(String(12), default="", index=True)
    annex: Mapped[str] = mapped_column(String(4), default="")
    concentration: Mapped[float] = mapped_column(Float)
    quantity_kg: Mapped[float] = mapped_column(Float)
    payment_method: Mapped[str] = mapped_column(String(12))
    payment_amount: Mapped[float] = mapped_column(Float, default=0.0)
    delivery_method: Mapped[str] = mapped_column(String(12))
    delivery_address: Mapped[str] = mapped_column(String(300), default="")
    delivery_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    #: Art. 8 verification record.
    id_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    licence_number: Mapped[str] = mapped_column(String(40), default="")
    licence_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    professional_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    intended_use: Mapped[str] = mapped_column(String(500), default="")
    statement_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    decision: Mapped[str] = mapped_column(String(20), index=True)
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class Report(Base):
    """A suspicious transaction, disappearance or theft reported to the national contact point."""

    __tablename__ = "precursors_report"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8))
    seller: Mapped[str] = mapped_column(String(40), default="")
    transaction_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    pattern_id: Mapped[str | None] = mapped_column(String(36), default=None)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    #: 24 hours after the event (art. 9(1)); a report filed later is late.
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    contact_point: Mapped[str] = mapped_column(String(200))
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    acknowledged_by: Mapped[str] = mapped_column(String(120), default="")


class Pattern(Base):
    """A pattern across sellers or across the border, found by the detector."""

    __tablename__ = "precursors_pattern"
    __table_args__ = (UniqueConstraint("kind", "signature"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    #: Sorted member references: the same pattern is recorded once.
    signature: Mapped[str] = mapped_column(String(400))
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)


class Notice(Base):
    """A purchase notice received from a peer's contact point (kept for the pattern window)."""

    __tablename__ = "precursors_notice"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(String(8))
    reference: Mapped[str] = mapped_column(String(24))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    family_name: Mapped[str] = mapped_column(String(100))
    given_names: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[str] = mapped_column(String(10), default="")
    document_number: Mapped[str] = mapped_column(String(40), default="")
    identity_key: Mapped[str] = mapped_column(String(40), index=True)
    cas: Mapped[str] = mapped_column(String(12))
    quantity_kg: Mapped[float] = mapped_column(Float)
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2))
    seller_name: Mapped[str] = mapped_column(String(200), default="")


class Quarantine(Base):
    """A transaction line or catalogue row that could not be read, kept raw with the reason."""

    __tablename__ = "precursors_quarantine"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(300))
    line: Mapped[int | None] = mapped_column(Integer, default=None)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
