"""Tables of the cultural-goods domain: objects described after Object ID (registered, stolen
or recovered) with their photographs and provenance events, checks of objects offered for sale,
screening exchanges with peers, and the version row of the in-memory screening index."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class CulturalObject(Base):
    """One object described after Object ID, registered by this node."""

    __tablename__ = "heritage_object"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    #: Where the record comes from: this node's register, a stolen-object list (e.g. INTERPOL).
    source: Mapped[str] = mapped_column(String(40), default="local")
    object_type: Mapped[str] = mapped_column(String(100))
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    height_cm: Mapped[float | None] = mapped_column(Float, default=None)
    width_cm: Mapped[float | None] = mapped_column(Float, default=None)
    depth_cm: Mapped[float | None] = mapped_column(Float, default=None)
    weight_kg: Mapped[float | None] = mapped_column(Float, default=None)
    inscriptions: Mapped[str] = mapped_column(Text, default="")
    distinguishing_features: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300), default="")
    date_period: Mapped[str] = mapped_column(String(100), default="")
    #: Earliest year the object may date from (negative: BCE), for the age thresholds.
    year_made: Mapped[int | None] = mapped_column(Integer, default=None)
    maker: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    country_of_origin: Mapped[str] = mapped_column(String(2), default="")
    category: Mapped[str] = mapped_column(String(20), default="not_listed")
    inventory_number: Mapped[str] = mapped_column(String(80), default="")
    related_material: Mapped[str] = mapped_column(Text, default="")
    place_of_origin: Mapped[str] = mapped_column(String(200), default="")
    cross_reference: Mapped[str] = mapped_column(String(200), default="")
    date_documented: Mapped[str] = mapped_column(String(10), default="")
    reported_stolen_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    recovered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_by: Mapped[str] = mapped_column(String(120))


class Photo(Base):
    """A photograph of an object (a reduced JPEG copy) with its descriptors."""

    __tablename__ = "heritage_photo"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    object_id: Mapped[str] = mapped_column(String(36), index=True)
    media_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    phashes: Mapped[list[str]] = mapped_column(JSON, default=list)
    dhashes: Mapped[list[str]] = mapped_column(JSON, default=list)
    colour: Mapped[list[float]] = mapped_column(JSON, default=list)
    texture: Mapped[list[float]] = mapped_column(JSON, default=list)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProvenanceEvent(Base):
    """One link of an object's provenance chain: discovery, ownership, sale, export, import."""

    __tablename__ = "heritage_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    object_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    #: The owner, buyer or declarant (personal data when a person).
    party: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    date_from: Mapped[str] = mapped_column(String(10))
    date_to: Mapped[str] = mapped_column(String(10), default="")
    document: Mapped[str] = mapped_column(String(200), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")


class Check(Base):
    """An object offered for sale, checked: the rules that apply, the risk, the matches."""

    __tablename__ = "heritage_check"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    channel: Mapped[str] = mapped_column(String(12))
    seller: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(300))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    checked_by: Mapped[str] = mapped_column(String(120))
    risk: Mapped[str] = mapped_column(String(8), index=True)
    submitted: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Exchange(Base):
    """A screening request sent to or received from a peer, and its hit/no-hit answer."""

    __tablename__ = "heritage_exchange"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))
    peer: Mapped[str] = mapped_column(String(8))
    request_ref: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    hit: Mapped[bool | None] = mapped_column(Boolean, default=None)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)


class IndexVersion(Base):
    """Counts changes of the screened objects: a node's in-memory index compares it."""

    __tablename__ = "heritage_index_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Quarantine(Base):
    """An object JSON or a photograph that could not be read or broke a rule, kept raw (cut to
    ``rules.QUARANTINE_RAW_KEPT`` bytes; ``size`` is the length received) with the reason."""

    __tablename__ = "heritage_quarantine"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: Where it came from: ``api:<user>``, ``console:<user>`` or ``cli:<user>``, and what.
    source: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
