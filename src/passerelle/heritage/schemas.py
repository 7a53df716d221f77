"""Input and output models of the cultural-goods domain. An object is described after Object
ID (nine categories, a short description, optional fields), with its provenance chain; a check
adds the offer (channel, seller, value)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Country = Field(default="", pattern=r"^([A-Z]{2})?$")


class Measurements(BaseModel):
    model_config = ConfigDict(extra="forbid")

    height_cm: float | None = Field(default=None, gt=0, le=10_000)
    width_cm: float | None = Field(default=None, gt=0, le=10_000)
    depth_cm: float | None = Field(default=None, gt=0, le=10_000)
    weight_kg: float | None = Field(default=None, gt=0, le=1_000_000)


class EventIn(BaseModel):
    """One link of the provenance chain, with its dates and evidence."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["discovery", "ownership", "transaction", "export", "import"]
    party: str = Field(default="", max_length=200)
    country: str = Country
    date_from: date
    date_to: date | None = None
    document: str = Field(default="", max_length=200)
    evidence: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _order(self) -> EventIn:
        if self.date_to is not None and self.date_to < self.date_from:
            raise ValueError("date_to is before date_from")
        return self


class ObjectIn(BaseModel):
    """An object after Object ID. ``year_made`` (negative before the common era) drives the age
    thresholds; ``country_of_origin`` the embargoes and Red Lists."""

    model_config = ConfigDict(extra="forbid")

    object_type: str = Field(min_length=1, max_length=100)
    materials: list[str] = Field(default_factory=list, max_length=20)
    techniques: list[str] = Field(default_factory=list, max_length=20)
    measurements: Measurements = Field(default_factory=Measurements)
    inscriptions: str = Field(default="", max_length=2000)
    distinguishing_features: str = Field(default="", max_length=2000)
    title: str = Field(min_length=1, max_length=300)
    subject: str = Field(default="", max_length=300)
    date_period: str = Field(default="", max_length=100)
    year_made: int | None = Field(default=None, ge=-12_000, le=2100)
    maker: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=4000)
    country_of_origin: str = Country
    category: Literal["archaeological", "monument_element", "other_listed", "not_listed"] = (
        "not_listed"
    )
    inventory_number: str = Field(default="", max_length=80)
    related_material: str = Field(default="", max_length=2000)
    place_of_origin: str = Field(default="", max_length=200)
    cross_reference: str = Field(default="", max_length=200)
    date_documented: date | None = None
    provenance: list[EventIn] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _strings(self) -> ObjectIn:
        for name in ("materials", "techniques"):
            values = getattr(self, name)
            if any(not v.strip() or len(v) > 100 for v in values):
                raise ValueError(f"{name}: each entry is 1 to 100 characters")
        return self


class OfferIn(BaseModel):
    """Where and how the object is offered: dealer, auction house, customs declaration."""

    model_config = ConfigDict(extra="forbid")

    channel: Literal["dealer", "auction", "customs", "online"] = "dealer"
    seller: str = Field(default="", max_length=200)
    value_eur: float | None = Field(default=None, ge=0, le=1e10)
    offered_on: date | None = None
    #: Country where the object is offered or declared (the importing Member State).
    country: str = Country
    #: The date it left its country of origin, when the seller states it.
    removed_from_origin_on: date | None = None


class CheckIn(ObjectIn):
    """The object JSON of ``heritage check``: an object plus its offer."""

    offer: OfferIn = Field(default_factory=OfferIn)


class RuleOut(BaseModel):
    code: str
    title: str
    applies: bool
    finding: str
    source: str
    verified: bool = True


class MatchOut(BaseModel):
    reference: str
    title: str
    status: str
    source: str
    score: float
    text_score: float | None = None
    image_score: float | None = None
    reasons: list[str]
    #: The registered photograph that matched best (for the side-by-side view).
    photo_id: str | None = None


class GapOut(BaseModel):
    start: date | None
    end: date | None
    years: float | None
    reason: str


class CheckOut(BaseModel):
    reference: str | None = None
    title: str
    risk: Literal["low", "medium", "high"]
    risk_reasons: list[str]
    rules: list[RuleOut]
    red_list: list[dict[str, str]]
    gaps: list[GapOut]
    matches: list[MatchOut]


class ObjectOut(BaseModel):
    reference: str
    status: str
    source: str
    title: str
    object_type: str
    materials: list[str]
    maker: str
    date_period: str
    country_of_origin: str
    category: str
    photos: list[str]
    gaps: list[GapOut]
    provenance: list[dict[str, Any]]


class StolenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(default="local", min_length=1, max_length=40)
