"""Tables of the evidence domain: the directory of service providers' designated
establishments and legal representatives, European Production and Preservation Orders with
their deadlines, the providers' answers (data files with their hashes, or the Annex III form)
and each answer's files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class Provider(Base):
    """A service provider's addressee in one member state (Directive (EU) 2023/1544 art. 3)."""

    __tablename__ = "evidence_provider"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: ``establishment`` or ``legal_representative``.
    kind: Mapped[str] = mapped_column(String(24))
    country: Mapped[str] = mapped_column(String(2), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The API token (role ``provider``) the provider receives and answers orders with.
    token_name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Order(Base):
    """An EPOC (Annex I) or EPOC-PR (Annex II) certificate with its workflow state."""

    __tablename__ = "evidence_order"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    #: ``EPOC`` (production) or ``EPOC-PR`` (preservation).
    form: Mapped[str] = mapped_column(String(8))
    issuing_country: Mapped[str] = mapped_column(String(2))
    authority_type: Mapped[str] = mapped_column(String(24))
    authority_name: Mapped[str] = mapped_column(String(200))
    validator_type: Mapped[str] = mapped_column(String(24), default="")
    validator_name: Mapped[str] = mapped_column(String(200), default="")
    validated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    #: Emergency orders issued without prior validation must be validated by this time.
    validation_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    provider: Mapped[str] = mapped_column(String(40), index=True)
    enforcing_country: Mapped[str] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(16))
    offence: Mapped[str] = mapped_column(String(300))
    max_sentence_years: Mapped[int] = mapped_column(Integer, default=0)
    listed_offence: Mapped[str] = mapped_column(String(40), default="")
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Art. 8 notification of the enforcing authority (False when the exception applies).
    notify_enforcing: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Identifiers of the data sought (accounts, IP address + port + time, …): personal data.
    targets: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    period_from: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    period_to: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    grounds: Mapped[str] = mapped_column(Text, default="")
    #: issued, acknowledged, answered, impossible, refused, withdrawn, expired.
    status: Mapped[str] = mapped_column(String(16), index=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    issued_by: Mapped[str] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    #: Production deadline (10 days, 8 hours in an emergency); None for preservation.
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None, index=True)
    #: End of the enforcing authority's review window (10 days / 96 hours) when notified.
    review_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    #: Preservation: 60 days, once 30 more (Annex VI); open while a production request is
    #: confirmed (Annex V).
    preserve_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    refusal_ground: Mapped[str] = mapped_column(String(40), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None, index=True)


class Answer(Base):
    """A provider's answer: data (files) or the Annex III impossibility form."""

    __tablename__ = "evidence_answer"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(36), index=True)
    #: ``data`` or ``impossibility``.
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    answered_by: Mapped[str] = mapped_column(String(120))


class AnswerFile(Base):
    """One file of an answer, with its SHA-256 computed on receipt."""

    __tablename__ = "evidence_answer_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Notification(Base):
    """An art. 8 notification received by this node as the enforcing state's authority: the
    order's certificate, with the review window in which it may raise a ground for refusal."""

    __tablename__ = "evidence_notification"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(String(8))
    reference: Mapped[str] = mapped_column(String(24), index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    review_until: Mapped[datetime] = mapped_column(UtcDateTime())
    certificate: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: A ground of art. 12(1) raised by this authority, and when.
    refusal_ground: Mapped[str] = mapped_column(String(40), default="")
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    refused_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
