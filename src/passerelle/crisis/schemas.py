"""Input and output shapes of the crisis API, console and CLI.

Inputs use CAP's own vocabulary (``msg_type`` for ``msgType`` …). Enumerations are checked here
so the API, the console and the CLI refuse a bad value with the field named; the resulting CAP
document is then validated against the official XSD before it is stored or sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from passerelle.crisis import rules

Language = Literal["fr", "nl", "en"]
Category = Literal[
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
]


def _safety() -> list[Category]:
    return ["Safety"]


class CircleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0, le=rules.CIRCLE_MAX_RADIUS_KM)


class AreaIn(BaseModel):
    """A CAP area: its description and any number of polygons ((lat, lon) pairs) and circles."""

    model_config = ConfigDict(extra="forbid")

    desc: str = Field(min_length=1, max_length=500)
    polygons: list[list[tuple[float, float]]] = Field(default_factory=list, max_length=20)
    circles: list[CircleIn] = Field(default_factory=list, max_length=20)

    @field_validator("polygons")
    @classmethod
    def _closed(cls, polygons: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
        closed = []
        for points in polygons:
            for lat, lon in points:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError(f"({lat}, {lon}) is outside WGS 84 latitude/longitude")
            if points and points[0] != points[-1]:
                points = [*points, points[0]]  # close it, as CAP requires
            if len(points) < rules.POLYGON_MIN_POINTS:
                raise ValueError("a polygon needs at least three distinct corners")
            closed.append(points)
        return closed


class InfoText(BaseModel):
    """The words of one language's info block."""

    model_config = ConfigDict(extra="forbid")

    language: Language
    headline: str = Field(min_length=1, max_length=160)
    description: str = Field(default="", max_length=5000)
    instruction: str = Field(default="", max_length=5000)
    event: str = Field(default="", max_length=200)


class CapIn(BaseModel):
    """A CAP message composed on this node: one info block per language, shared areas."""

    model_config = ConfigDict(extra="forbid")

    msg_type: Literal["Alert", "Update", "Cancel"] = "Alert"
    status: Literal["Actual", "Exercise", "System", "Test", "Draft"] = "Actual"
    scope: Literal["Public", "Restricted", "Private"] = "Restricted"  # rules.INTER_SERVICE_SCOPE
    restriction: str = Field(default=rules.DEFAULT_RESTRICTION, max_length=500)
    addresses: str = Field(default="", max_length=500)
    #: Message ids (on this node) of the earlier messages an Update or a Cancel refers to.
    references: list[str] = Field(default_factory=list, max_length=20)
    incidents: str = Field(default="", max_length=200)
    category: list[Category] = Field(default_factory=_safety, min_length=1)
    event: str = Field(min_length=1, max_length=200)
    urgency: Literal["Immediate", "Expected", "Future", "Past", "Unknown"] = "Unknown"
    severity: Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"] = "Unknown"
    certainty: Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"] = "Unknown"
    onset: datetime | None = None
    expires: datetime | None = None
    infos: list[InfoText] = Field(min_length=1, max_length=3)
    areas: list[AreaIn] = Field(default_factory=list, max_length=50)
    #: Whether the message names people (victims, missing persons …): then it carries personal
    #: data, is kept for the shorter period and its reads are audited as such.
    names_people: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> CapIn:
        languages = [i.language for i in self.infos]
        if len(set(languages)) != len(languages):
            raise ValueError("one info block per language")
        if self.msg_type != "Alert" and not self.references:
            raise ValueError(f"an {self.msg_type} must refer to the message it updates or cancels")
        if self.scope == "Restricted" and not self.restriction.strip():
            raise ValueError("a Restricted message must state its restriction")
        for when in (self.onset, self.expires):
            if when is not None and when.tzinfo is None:
                raise ValueError("dates need a time zone offset")
        if self.onset and self.expires and self.expires <= self.onset:
            raise ValueError("expires must come after onset")
        return self


class SendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peers: list[str] = Field(min_length=1, max_length=20)


class RecipientOut(BaseModel):
    peer: str
    status: str
    sent_at: datetime
    ack_due_at: datetime
    acked_at: datetime | None
    escalated_at: datetime | None
    escalation_level: int
    detail: str


class MessageOut(BaseModel):
    id: str
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    thread: str
    origin: str
    headline: str
    event: str
    severity: str
    languages: list[str]
    names_people: bool
    recipients: list[RecipientOut] = Field(default_factory=list)
    xml: str | None = None


class QuarantineOut(BaseModel):
    id: str
    source: str
    received_at: datetime
    reason: str
    line: int | None


class ValidationOut(BaseModel):
    valid: bool
    reason: str = ""
    line: int | None = None
