"""Tables of the DNA domain: the node's stored profiles, the matches found, and the link
between a cross-border search and the profile it was made for."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class StoredProfile(Base):
    """An STR profile held by this node, keyed by its national reference.

    ``loci`` maps each canonical locus name to its allele values as harmonised on import
    (a homozygous locus holds its allele twice). ``flags`` lists why the profile may not be
    exchanged (mixture, too few designated loci); ``exchangeable`` is True when there is none.
    """

    __tablename__ = "dna_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    national_reference: Mapped[str] = mapped_column(String(100), unique=True)
    sample_type: Mapped[str] = mapped_column(String(30), index=True)
    kit: Mapped[str] = mapped_column(String(100), default="")
    laboratory: Mapped[str] = mapped_column(String(200), default="")
    single_source: Mapped[bool] = mapped_column(Boolean, default=True)
    loci: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    exchangeable: Mapped[bool] = mapped_column(Boolean, default=True)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    #: Retention facts (``rules.RetentionTerms``): the count starts at ``registered_at`` (set
    #: once, never moved by a re-import) or, for a convicted person, at ``final_decision_on``.
    person_status: Mapped[str | None] = mapped_column(String(12), default=None)
    minor: Mapped[bool] = mapped_column(Boolean, default=False)
    listed_offence: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    final_decision_on: Mapped[date | None] = mapped_column(Date, default=None)


class MatchRecord(Base):
    """A pair found by a search: national, cross-border sent (``out``) or received (``in``).

    ``query_ref`` is the searched profile's national reference (``in``: the requesting node);
    ``matched_ref`` the matching profile's national reference, or for ``out`` the peer's
    opaque reference. ``quality`` is the Prüm class (None for a CODIS-stringency match).
    """

    __tablename__ = "dna_match"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(12), index=True)  # national, out, in
    rule: Mapped[str] = mapped_column(String(20), default="prum")  # prum, codis-high, …
    query_ref: Mapped[str] = mapped_column(String(100), index=True, default="")
    matched_ref: Mapped[str] = mapped_column(String(100), default="")
    peer: Mapped[str | None] = mapped_column(String(32), default=None)
    query_id: Mapped[str | None] = mapped_column(String(36), index=True, default=None)
    matching_loci: Mapped[int | None] = mapped_column(Integer, default=None)
    mismatched_alleles: Mapped[int | None] = mapped_column(Integer, default=None)
    quality: Mapped[int | None] = mapped_column(Integer, default=None)
    rmp: Mapped[float | None] = mapped_column(Float, default=None)
    needs_lab_confirmation: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="candidate")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class CrossBorderSearch(Base):
    """Which stored profile a federation query of kind ``dna`` was sent for."""

    __tablename__ = "dna_cross_border"

    query_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    profile_ref: Mapped[str] = mapped_column(String(100), index=True)
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


__all__ = ["CrossBorderSearch", "MatchRecord", "StoredProfile"]
