"""Input and output shapes of the alerts API, console and CLI.

Inputs are deliberately permissive (optional fields, plain strings): the rules of the register
(minimum data, categories, dates, forbidden criteria) are checked in the services so that the
API, the console and the CLI refuse bad input with the same typed, explained error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(default="passport", max_length=30)
    country: str = Field(default="", max_length=3)
    number: str = Field(min_length=1, max_length=40)
    issued_on: str | None = Field(default=None, max_length=10)


class AlertIn(BaseModel):
    """A person alert (art. 20(3) fields; art. 22 minimum data enforced by the service)."""

    model_config = ConfigDict(extra="forbid")

    category: str = Field(default="", max_length=20)
    family_name: str | None = Field(default=None, max_length=200)
    given_names: str | None = Field(default=None, max_length=200)
    date_of_birth: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    gender: str | None = Field(default=None, max_length=1)
    place_of_birth: str | None = Field(default=None, max_length=200)
    nationalities: list[str] = Field(default_factory=list, max_length=5)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    names_at_birth: str | None = Field(default=None, max_length=200)
    physical_characteristics: str | None = Field(default=None, max_length=500)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)
    warnings: list[str] = Field(default_factory=list, max_length=10)
    reason: str | None = Field(default=None, max_length=2000)
    action: str | None = Field(default=None, max_length=2000)
    offence_type: str | None = Field(default=None, max_length=200)
    issuing_authority: str | None = Field(default=None, max_length=200)
    decision_reference: str | None = Field(default=None, max_length=100)
    questions: list[str] = Field(default_factory=list, max_length=20)
    linked_alerts: list[str] = Field(default_factory=list, max_length=20)
    valid_until: date | None = Field(
        default=None, description="Earlier end of validity; default: the category's review period"
    )


class AlertOut(BaseModel):
    id: str
    reference: str
    issuing_node: str
    category: str
    category_label: str
    status: str
    family_name: str
    given_names: str | None
    date_of_birth: str
    gender: str | None
    place_of_birth: str | None
    nationalities: list[str]
    aliases: list[str]
    names_at_birth: str | None
    physical_characteristics: str | None
    documents: list[dict[str, Any]]
    warnings: list[str]
    reason: str
    action: str
    offence_type: str | None
    issuing_authority: str | None
    decision_reference: str | None
    questions: list[str]
    linked_alerts: list[str]
    created_at: datetime
    created_by: str
    reviewed_at: datetime
    valid_until: datetime
    extensions: list[dict[str, Any]] = Field(default_factory=list)
    expiry_warned_at: datetime | None = None


class ExtensionIn(BaseModel):
    """The recorded individual assessment that extends an alert (art. 53(6)); who assessed is
    the signed-in user, recorded with the agency."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000, description="why the alert is kept")
    assessment: str = Field(
        default="", max_length=4000, description="what was assessed (facts, sources, findings)"
    )
    valid_until: date | None = Field(
        default=None, description="Earlier end of the new period; default: the full period"
    )


class PersonCheckIn(BaseModel):
    """A person checked at a border, by the police or from a PNR screening."""

    model_config = ConfigDict(extra="forbid")

    family_name: str = Field(min_length=1, max_length=200)
    given_names: str | None = Field(default=None, max_length=200)
    date_of_birth: str | None = Field(default=None, max_length=10)
    nationality: str | None = Field(default=None, max_length=3)
    document_number: str | None = Field(default=None, max_length=40)
    threshold: float = Field(default=0.8, ge=0.0, le=1.0)


class CandidateOut(BaseModel):
    alert: AlertOut
    score: float
    explanation: dict[str, Any]


class HitReportIn(BaseModel):
    """A confirmed hit and the art. 37(1) content collected during the check."""

    model_config = ConfigDict(extra="forbid")

    alert_id: str = Field(min_length=1, max_length=36)
    source: str = Field(default="police", pattern="^(pnr|border|police|api)$")
    score: float | None = None
    place: str = Field(min_length=1, max_length=300)
    checked_at: datetime
    reason_of_check: str = Field(min_length=1, max_length=500)
    route: str = Field(default="", max_length=500)
    destination: str = Field(default="", max_length=300)
    companions: str = Field(default="", max_length=1000)
    document_user: str = Field(
        default="",
        max_length=1000,
        description="identity and description of the person using the alerted document "
        "(art. 37(1)(e))",
    )
    vehicle: str = Field(default="", max_length=300)
    objects: str = Field(default="", max_length=1000)
    circumstances: str = Field(default="", max_length=2000)
    answers: dict[str, str] = Field(default_factory=dict)


class HitReportOut(BaseModel):
    id: str
    direction: str
    alert_id: str
    alert_reference: str
    issuing_node: str
    executing_node: str
    source: str
    score: float | None
    content: dict[str, Any]
    created_at: datetime
    created_by: str
    answer_due_at: datetime
    answered_at: datetime | None
    answer: str | None
    overdue: bool
    delivery: str
    delivery_detail: str


class HitAnswerIn(BaseModel):
    answer: str = Field(min_length=3, max_length=4000)


class CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20)
    title: str = Field(min_length=1, max_length=200)
    facts: list[str] = Field(min_length=1, max_length=10)
    category: str = Field(max_length=20)
    action: str = Field(min_length=1, max_length=500)
    source: str = Field(min_length=3, max_length=300)


class CatalogueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: date
    criteria: list[CriterionIn] = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=500)


class CatalogueOut(BaseModel):
    publisher: str
    version: int
    effective_from: date
    status: str = Field(description="published (here), received (from a peer) or adopted")
    in_force: bool = Field(description="The version this node applies today")
    note: str
    criteria: list[dict[str, Any]]
    created_at: datetime
    adopted_at: datetime | None
    adopted_by: str | None


class LinkIn(BaseModel):
    country: str = Field(min_length=2, max_length=32, description="Node or country code")
    kind: str = Field(default="residence", pattern="^(residence|family|travel)$")


class DetaineeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    family_name: str | None = Field(default=None, max_length=200)
    given_names: str | None = Field(default=None, max_length=200)
    date_of_birth: str | None = Field(default=None, max_length=10)
    nationality: str | None = Field(default=None, max_length=3)
    scope: str = Field(max_length=24)
    institution: str = Field(min_length=1, max_length=200)
    offences: list[str] = Field(default_factory=list, max_length=20)
    facts: list[str] = Field(default_factory=list, max_length=20)
    links: list[LinkIn] = Field(default_factory=list, max_length=10)
    measures: list[str] = Field(default_factory=list, max_length=20)


class AssessmentIn(BaseModel):
    risk: str = Field(pattern="^(low|medium|high)$")
    summary: str = Field(min_length=3, max_length=2000)


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=24)
    release_date: date


class StepOut(BaseModel):
    id: str
    step: str
    label: str
    due_date: date
    done_at: datetime | None
    done_by: str | None
    overdue: bool


class ReleaseOut(BaseModel):
    id: str
    detainee_id: str
    detainee_name: str
    origin: str
    scope: str
    institution: str
    kind: str
    release_date: date
    notified: list[str]
    steps: list[StepOut]


class DetaineeOut(BaseModel):
    id: str
    family_name: str
    given_names: str | None
    date_of_birth: str
    nationality: str | None
    scope: str
    institution: str
    offences: list[str]
    facts: list[str]
    links: list[dict[str, str]]
    assessments: list[dict[str, str]]
    measures: list[str]
    origin: str
    releases: list[ReleaseOut]


class ProposalOut(BaseModel):
    id: str
    detainee_id: str
    catalogue_publisher: str
    catalogue_version: int
    category: str | None
    action: str | None
    fired: list[dict[str, Any]]
    created_at: datetime
    status: str
    alert_id: str | None


class ReturneeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(pattern="^(ftf|minor)$")
    family_name: str = Field(min_length=1, max_length=200)
    given_names: str | None = Field(default=None, max_length=200)
    date_of_birth: str = Field(min_length=4, max_length=10)
    nationality: str | None = Field(default=None, max_length=3)
    returned_on: date
    returned_from: str = Field(min_length=2, max_length=100)
    status: str = Field(default="", max_length=200)
    protection_measures: list[str] = Field(default_factory=list, max_length=20)
    responsible_authority: str | None = Field(default=None, max_length=200)


class ReturneeOut(BaseModel):
    id: str
    kind: str
    family_name: str
    given_names: str | None
    date_of_birth: str
    nationality: str | None
    returned_on: date
    returned_from: str
    status: str
    protection_measures: list[str]
    responsible_authority: str | None
