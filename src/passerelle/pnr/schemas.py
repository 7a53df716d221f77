"""API input and output shapes of the passenger-data domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BookingOut",
    "CaseIn",
    "CaseOut",
    "CriterionIn",
    "CriterionOut",
    "DecisionIn",
    "DecisionOut",
    "HitOut",
    "IngestOut",
    "JourneyOut",
    "QuarantineOut",
    "ReasonedRequestIn",
    "ReceivedResultOut",
    "RepersonalisationDecisionIn",
    "RepersonalisationIn",
    "RepersonalisationOut",
    "ScopeIn",
    "ScopeOut",
    "StatisticsOut",
]


class IngestOut(BaseModel):
    """The ``pnr ingest --json`` line of the file plus what the node did with it."""

    file: str
    messages: int
    pnrs: int
    passengers: int
    record_locators: list[str]
    quarantined: list[dict[str, Any]] = Field(
        description="[{segment, reason}], at most PASSERELLE_PNR_QUARANTINE_ROWS items"
    )
    quarantined_total: int = Field(
        0, description="Every quarantined item, also those beyond the per-push cap (counted only)"
    )
    duplicate: bool = Field(description="True when this exact push was already processed")
    stored: int = Field(description="Bookings created or updated")
    refused_out_of_scope: int = Field(description="Intra-EU rail bookings outside the scope")
    hits: int
    suppressed: int = Field(description="Matches suppressed by an earlier dismissal")


class JourneyOut(BaseModel):
    key: str
    mode: str
    carrier: str
    service: str
    origin: str
    destination: str
    day: str
    bookings: int
    passengers: int
    hits: int
    pending: int


class DecisionIn(BaseModel):
    decision: Literal["confirm", "dismiss"]
    reason: str = Field(min_length=3, max_length=2000)


class CaseIn(BaseModel):
    """The objective ground that keeps a booking past six months (CJEU C-817/19)."""

    case_ref: str = Field(min_length=1, max_length=100)
    ground: Literal["confirmed_hit", "judicial_case", "investigation"] | None = Field(
        default=None, description="required: a case reference alone keeps nothing"
    )
    review_on: date | None = Field(default=None, description="review date (≤ 366 days ahead)")
    hit_id: int | None = Field(default=None, description="confirmed_hit: the confirmed hit")
    judicial_reference: str | None = Field(default=None, max_length=200)
    investigation_number: str | None = Field(default=None, max_length=200)
    approver: str | None = Field(default=None, max_length=200)
    approver_agency: str | None = Field(default=None, max_length=60)


class CriterionIn(BaseModel):
    code: str = Field(min_length=2, max_length=60)
    title: str = Field(min_length=3, max_length=200)
    expression: str = Field(min_length=3, max_length=2000)
    justification: str = Field(min_length=10, max_length=4000)
    review_by: datetime
    active: bool = True


class CriterionOut(BaseModel):
    code: str
    version: int
    title: str
    expression: str
    justification: str
    review_by: datetime
    active: bool
    created_by: str
    created_at: datetime


class ScopeIn(BaseModel):
    kind: Literal["routes", "stations", "threat"]
    targets: list[str] = Field(
        default_factory=list,
        description="Routes 8727100-8814001 or stations 8727100 (UIC codes); none for threat",
    )
    justification: str = Field(min_length=10, max_length=4000)
    authority: str = Field(min_length=3, max_length=200)
    starts_at: datetime
    ends_at: datetime


class ScopeOut(BaseModel):
    id: int
    kind: str
    targets: list[str]
    justification: str
    authority: str
    starts_at: datetime
    ends_at: datetime
    created_by: str
    active: bool


class RepersonalisationIn(BaseModel):
    booking_id: int
    case_ref: str = Field(min_length=1, max_length=100)
    grounds: str = Field(min_length=10, max_length=4000)


class RepersonalisationDecisionIn(BaseModel):
    decision: Literal["approve", "refuse"]
    reason: str = Field(min_length=3, max_length=2000)
    basis: Literal["judicial", "competent_authority"] = Field(
        default="judicial",
        description="art. 12(3)(b)(i) judicial authority, or (ii) another competent authority "
        "(the DPO is informed)",
    )


class RepersonalisationOut(BaseModel):
    id: int
    booking_id: int
    case_ref: str
    grounds: str
    requested_by: str
    requester_agency: str
    status: str
    decided_by: str | None
    decider_agency: str | None
    valid_until: datetime | None
    approval_basis: str | None = None


class QuarantineOut(BaseModel):
    id: int
    filename: str
    segment: int
    reason: str
    raw: str = Field(description="The raw input, cut to its first 4,000 characters")
    raw_length: int = Field(description="Characters of raw input kept in quarantine")
    received_at: datetime


class ReasonedRequestIn(BaseModel):
    peers: list[str] = Field(default_factory=list, description="Peer codes; empty = all peers")
    query: dict[str, str] = Field(
        description="record_locator, or family_name and date_of_birth (YYYY-MM-DD)"
    )
    case_ref: str = Field(min_length=1, max_length=100)
    grounds: str = Field(min_length=10, max_length=180)
    emergency: bool = Field(default=False, description="Art. 9(3) emergency request")


class BookingOut(BaseModel):
    """A stored booking as its reader may see it: the normalised message (clear before six
    months; art. 12(2) fields masked after). Its fields follow the message's source format."""

    model_config = ConfigDict(extra="allow")


class CaseOut(BaseModel):
    booking_id: int
    case_ref: str
    ground: str | None = Field(description="The objective ground that keeps the booking")


class HitOut(BaseModel):
    """A screening hit in the review queue, with its explanation."""

    id: int
    booking_id: int
    record_locator: str
    journey: str
    passenger: int
    passenger_name: str
    kind: str = Field(description="watchlist or criterion")
    source: str = Field(description="list / entry, or criterion code and version")
    score: float
    explanation: dict[str, Any] | None
    status: str = Field(description="pending, confirmed or dismissed")
    reviewer: str | None
    reason: str | None
    passed_to: str | None


class DecisionOut(HitOut):
    pushed: dict[str, Any] | None = Field(
        description="Delivery of the result to the PIU owning the alert, when one was sent"
    )


class StatisticsOut(BaseModel):
    messages: int
    quarantined_items: int
    refused_out_of_scope: int
    sensitive_deleted: int
    by_mode: dict[str, dict[str, int]]
    hits: dict[str, int]
    masked_bookings: int
    retention_policy: str


class ReceivedResultOut(BaseModel):
    """A confirmed hit another PIU pushed to this node."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    received_at: datetime
    hit: str
    list: str
    entry_id: str
    record_locator: str
    journey: str
    passenger: str | None
    score: float | None
    reviewed_by: str | None
    reason: str | None
    masked: bool
    mask_on: datetime
    delete_on: datetime
