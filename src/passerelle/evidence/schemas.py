"""Request and response bodies of the evidence API (and of the CLI's JSON files)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from passerelle.evidence import rules

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
Country = Field(pattern=r"^[A-Z]{2}$")


class ProviderIn(BaseModel):
    model_config = _STRICT

    #: Also the code of the provider's agency, to which its console users belong (32 at most).
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["establishment", "legal_representative"]
    country: str = Country
    address: str = Field(default="", max_length=300)
    email: str = Field(default="", max_length=200)
    services: list[str] = Field(default_factory=list, max_length=20)


class ProviderOut(BaseModel):
    code: str
    name: str
    kind: str
    country: str
    address: str
    email: str
    services: list[str]


class Target(BaseModel):
    """One identifier of the data sought: an account, a phone number, or an IP address with
    source port and time (identification data)."""

    model_config = _STRICT

    kind: Literal["account", "email", "phone", "ip"]
    value: str = Field(min_length=1, max_length=200)
    port: int | None = Field(default=None, ge=0, le=65535)
    at: AwareDatetime | None = None


class OrderIn(BaseModel):
    """The fields of Annex I (EPOC) or Annex II (EPOC-PR) this node records."""

    model_config = _STRICT

    form: Literal["EPOC", "EPOC-PR"]
    authority_type: Literal["judge", "court", "investigating_judge", "prosecutor", "other"]
    authority_name: str = Field(min_length=1, max_length=200)
    validator_type: Literal["", "judge", "court", "investigating_judge", "prosecutor"] = ""
    validator_name: str = Field(default="", max_length=200)
    provider: str = Field(min_length=1, max_length=40)
    category: Literal["subscriber", "identification", "traffic", "content"]
    offence: str = Field(min_length=1, max_length=300)
    max_sentence_years: int = Field(default=0, ge=0, le=99)
    listed_offence: str = Field(default="", max_length=40)
    emergency: bool = False
    #: Art. 8(2): offence committed in the issuing state and the person lives there.
    domestic_exception: bool = False
    targets: list[Target] = Field(min_length=1, max_length=50)
    period_from: AwareDatetime | None = None
    period_to: AwareDatetime | None = None
    grounds: str = Field(min_length=1, max_length=4000)

    @field_validator("listed_offence")
    @classmethod
    def _listed(cls, value: str) -> str:
        if value and value not in rules.LISTED_OFFENCES:
            raise ValueError(f"not a listed offence: {', '.join(rules.LISTED_OFFENCES)}")
        return value


class FileIn(BaseModel):
    model_config = _STRICT

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^/\\\x00-\x1f]+$")
    media_type: str = Field(default="application/octet-stream", max_length=100)
    content_base64: str = Field(min_length=0)


class DataAnswerIn(BaseModel):
    model_config = _STRICT

    files: list[FileIn] = Field(min_length=1, max_length=20)
    note: str = Field(default="", max_length=4000)


class ImpossibilityIn(BaseModel):
    """Annex III: why the provider cannot execute the order."""

    model_config = _STRICT

    reason: Literal[
        "incomplete_or_errors",
        "data_not_held",
        "data_deleted_before_receipt",
        "de_facto_impossibility",
        "conflict_with_third_country_law",
        "not_a_provider_under_regulation",
    ]
    explanation: str = Field(min_length=1, max_length=4000)


class ValidateIn(BaseModel):
    model_config = _STRICT

    validator_type: Literal["judge", "court", "investigating_judge", "prosecutor"]
    validator_name: str = Field(min_length=1, max_length=200)


class NatLookupIn(BaseModel):
    model_config = _STRICT

    ip: str = Field(min_length=1, max_length=45)
    port: str = Field(min_length=1, max_length=5)
    timestamp: str = Field(min_length=1, max_length=40)


class FileOut(BaseModel):
    id: int
    name: str
    media_type: str
    size: int
    sha256: str


class AnswerOut(BaseModel):
    id: str
    kind: str
    reason: str
    note: str
    answered_at: datetime
    answered_by: str
    files: list[FileOut]


class OrderOut(BaseModel):
    id: str
    reference: str
    form: str
    issuing_country: str
    authority_type: str
    authority_name: str
    validator_type: str
    validator_name: str
    validated_at: datetime | None
    validation_due_at: datetime | None
    provider: str
    enforcing_country: str
    category: str
    offence: str
    max_sentence_years: int
    listed_offence: str
    emergency: bool
    notify_enforcing: bool
    targets: list[dict[str, Any]]
    period_from: datetime | None
    period_to: datetime | None
    grounds: str
    status: str
    issued_at: datetime
    issued_by: str
    acknowledged_at: datetime | None
    due_at: datetime | None
    review_until: datetime | None
    preserve_until: datetime | None
    extended: bool
    confirmed_at: datetime | None
    refusal_ground: str
    closed_at: datetime | None
    #: Computed: ``ok``, ``reminder`` (most of the time gone) or ``overdue``.
    urgency: str
    answers: list[AnswerOut] = Field(default_factory=list)


class RefuseIn(BaseModel):
    model_config = _STRICT

    ground: Literal[
        "immunity_or_privilege", "fundamental_rights", "ne_bis_in_idem", "double_criminality"
    ]
    reason: str = Field(default="", max_length=4000)
