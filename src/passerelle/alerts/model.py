"""Tables of the alerts domain: alerts, hit reports, criteria catalogue versions, detainees,
releases and their steps, alert proposals, returnees and calendar feed tokens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class Alert(Base):
    """A person alert: issued here (``origin`` = this node) or received from a peer."""

    __tablename__ = "alerts_alert"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    issuing_node: Mapped[str] = mapped_column(String(32), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active, withdrawn
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200), default=None)
    date_of_birth: Mapped[str] = mapped_column(String(10))
    gender: Mapped[str | None] = mapped_column(String(1), default=None)
    place_of_birth: Mapped[str | None] = mapped_column(String(200), default=None)
    nationalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    names_at_birth: Mapped[str | None] = mapped_column(String(200), default=None)
    physical_characteristics: Mapped[str | None] = mapped_column(String(500), default=None)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    offence_type: Mapped[str | None] = mapped_column(String(200), default=None)
    issuing_authority: Mapped[str | None] = mapped_column(String(200), default=None)
    decision_reference: Mapped[str | None] = mapped_column(String(100), default=None)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    linked_alerts: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    #: Start of the current review period: entry, or the last recorded review (extension).
    reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    valid_until: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    #: Recorded individual assessments that extended the alert (art. 53(6)): each with when,
    #: who (name, agency), why the alert is kept, what was assessed and the periods.
    extensions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: When the issuer was warned of the automatic deletion at the end of the period (53(7)).
    expiry_warned_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class HitReport(Base):
    """An art. 37(1) report: sent (``out``) after a hit here, or received (``in``) by the issuer."""

    __tablename__ = "alerts_hit_report"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    alert_id: Mapped[str] = mapped_column(String(36), index=True)
    alert_reference: Mapped[str] = mapped_column(String(40))
    issuing_node: Mapped[str] = mapped_column(String(32))
    executing_node: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(20))  # pnr, border, police, api
    score: Mapped[float | None] = mapped_column(default=None)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    answer_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    delivery: Mapped[str] = mapped_column(String(12), default="pending")
    #: Where the report's federation message stands (``exchange.outcome``), refreshed from
    #: federation's outbox (``hits.refresh``).
    delivery_detail: Mapped[str] = mapped_column(String(300), default="")
    #: When the related alert left this node's table: the report goes one year later (64(2)).
    alert_deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class CatalogueVersion(Base):
    """One version of the harmonised criteria catalogue, published here or by a peer."""

    __tablename__ = "alerts_catalogue_version"
    __table_args__ = (UniqueConstraint("publisher", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publisher: Mapped[str] = mapped_column(String(32))
    version: Mapped[int]
    effective_from: Mapped[date] = mapped_column(Date)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(12))  # published, received, adopted
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    adopted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    adopted_by: Mapped[str | None] = mapped_column(String(100), default=None)


class Detainee(Base):
    """A detainee in scope of the release follow-up (penitentiary intelligence)."""

    __tablename__ = "alerts_detainee"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200), default=None)
    date_of_birth: Mapped[str] = mapped_column(String(10))
    nationality: Mapped[str | None] = mapped_column(String(3), default=None)
    scope: Mapped[str] = mapped_column(String(24))
    institution: Mapped[str] = mapped_column(String(200))
    offences: Mapped[list[str]] = mapped_column(JSON, default=list)
    facts: Mapped[list[str]] = mapped_column(JSON, default=list)
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    assessments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(32))  # node that follows the detainee
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(100))


class Release(Base):
    __tablename__ = "alerts_release"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    detainee_id: Mapped[str] = mapped_column(
        ForeignKey("alerts_detainee.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    release_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    notified: Mapped[list[str]] = mapped_column(JSON, default=list)


class ReleaseStep(Base):
    __tablename__ = "alerts_release_step"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    release_id: Mapped[str] = mapped_column(
        ForeignKey("alerts_release.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(String(24))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    done_by: Mapped[str | None] = mapped_column(String(100), default=None)
    note: Mapped[str] = mapped_column(String(500), default="")


class Proposal(Base):
    """The alert category and action the harmonised criteria propose for a detainee."""

    __tablename__ = "alerts_proposal"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    detainee_id: Mapped[str] = mapped_column(
        ForeignKey("alerts_detainee.id", ondelete="CASCADE"), index=True
    )
    catalogue_publisher: Mapped[str] = mapped_column(String(32))
    catalogue_version: Mapped[int]
    category: Mapped[str | None] = mapped_column(String(20), default=None)
    action: Mapped[str | None] = mapped_column(Text, default=None)
    fired: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    alert_id: Mapped[str | None] = mapped_column(String(36), default=None)


class Returnee(Base):
    """A returning foreign terrorist fighter or a returning minor."""

    __tablename__ = "alerts_returnee"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), index=True)
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200), default=None)
    date_of_birth: Mapped[str] = mapped_column(String(10))
    nationality: Mapped[str | None] = mapped_column(String(3), default=None)
    returned_on: Mapped[date] = mapped_column(Date)
    returned_from: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(200), default="")
    protection_measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    responsible_authority: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(100))


class FeedToken(Base):
    """A calendar feed token (only its hash is stored), owned by a user or an API token.

    ``owner_kind`` ("user" or "token") and ``user_id`` (the owner's id in its own table) name
    the owner together: a token's id says nothing about the user with the same number.
    """

    __tablename__ = "alerts_feed_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    owner_kind: Mapped[str] = mapped_column(String(8), default="user", server_default="user")
    user_id: Mapped[int]
    agency: Mapped[str] = mapped_column(String(32))
    roles: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
