"""Tables of the crisis domain: CAP messages (every Alert, Update, Cancel and Ack, sent,
received or imported), their recipients with acknowledgement tracking and escalation,
quarantined documents and configured external feeds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class CapMessage(Base):
    """One CAP 1.2 message, kept as the exact XML validated against the schema.

    ``thread`` is the identifier of the first Alert of the chain an Update, Cancel or Ack
    refers to, so the situation view and the timeline follow one incident.
    """

    __tablename__ = "crisis_message"
    __table_args__ = (UniqueConstraint("sender", "identifier"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(200))
    sender: Mapped[str] = mapped_column(String(200))
    sent: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(12))
    msg_type: Mapped[str] = mapped_column(String(8), index=True)
    scope: Mapped[str] = mapped_column(String(12))
    thread: Mapped[str] = mapped_column(String(200), index=True)
    #: "local" (composed here), "peer:<code>" (federation) or "feed:<source>" (file or URL).
    origin: Mapped[str] = mapped_column(String(300))
    headline: Mapped[str] = mapped_column(String(300), default="")
    #: Headline per language of the info blocks, by language prefix: {"fr": …, "nl": …}.
    headlines: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    event: Mapped[str] = mapped_column(String(200), default="")
    severity: Mapped[str] = mapped_column(String(12), default="")
    urgency: Mapped[str] = mapped_column(String(12), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: GeoJSON-like areas of the first info block: [{desc, polygons, circles}].
    areas: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: CAP references of this message: ["sender,identifier,sent", ...].
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    names_people: Mapped[bool] = mapped_column(Boolean, default=False)
    xml: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    #: Ed25519 signature (base64) of the XML by the sending node, when it came from a node.
    signature: Mapped[str | None] = mapped_column(String(100), default=None)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_by: Mapped[str] = mapped_column(String(120))

    def headline_in(self, locale: str) -> str:
        """The headline in ``locale`` when an info block has it, else the first one."""
        return self.headlines.get(locale) or self.headline or self.identifier


class Recipient(Base):
    """A peer a message was sent to: delivery, acknowledgement deadline, ack, escalations."""

    __tablename__ = "crisis_recipient"
    __table_args__ = (UniqueConstraint("message_id", "peer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(
        ForeignKey("crisis_message.id", ondelete="CASCADE"), index=True
    )
    peer: Mapped[str] = mapped_column(String(32))
    #: The federation message carrying it, to follow its delivery.
    envelope_id: Mapped[str] = mapped_column(String(36), index=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ack_due_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None, index=True)
    #: The CAP Ack message received for it.
    ack_message_id: Mapped[str | None] = mapped_column(String(36), default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), default=None, index=True
    )


class Escalation(Base):
    """One escalation of an unacknowledged message, shown to supervisors until resolved."""

    __tablename__ = "crisis_escalation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("crisis_recipient.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(String(36), index=True)
    peer: Mapped[str] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    fired_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class Quarantine(Base):
    """A document that was not valid CAP 1.2, kept raw with the exact reason."""

    __tablename__ = "crisis_quarantine"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    reason: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer, default=None)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class Feed(Base):
    """An external CAP feed (a URL) polled on demand or by the scheduler."""

    __tablename__ = "crisis_feed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(500), unique=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(120))
    last_fetched_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_result: Mapped[str] = mapped_column(String(300), default="")
