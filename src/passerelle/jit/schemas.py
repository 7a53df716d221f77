"""Request and response models of the JIT API (and of the replicated workspace)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from passerelle.jit import rules

Country = Field(pattern=r"^[A-Z]{2}$")


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1, max_length=200)
    role: Literal["leader", "member", "seconded", "eurojust", "europol"]
    login: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)


class TermsIn(BaseModel):
    """The terms of the model agreement (2017/C 18/01) a JIT is opened or amended with."""

    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(min_length=1, max_length=4000)
    legal_basis: str = Field(default=rules.LEGAL_BASIS, min_length=1, max_length=300)
    starts_on: date
    ends_on: date
    evidence_rules: str = Field(default="", max_length=4000)
    confidentiality: str = Field(default="", max_length=4000)
    communication: str = Field(default="", max_length=4000)

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.ends_on <= self.starts_on:
            raise ValueError("ends_on must be after starts_on")
        return self


class TeamIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    countries: list[str] = Field(min_length=2, max_length=8)
    terms: TermsIn
    members: list[MemberIn] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _parties(self) -> Self:
        for code in self.countries:
            if len(code) != 2 or not code.isupper() or not code.isalpha():
                raise ValueError(f"countries: {code!r} is not a two-letter country code")
        if len(set(self.countries)) != len(self.countries):
            raise ValueError("countries: a country is listed twice")
        for m in self.members:
            if m.role in ("leader", "member", "seconded") and m.country not in self.countries:
                raise ValueError(f"members: {m.name} belongs to {m.country}, not a party")
        return self


class AmendIn(BaseModel):
    """An extension (new end date) or an amendment (other terms), versioned."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["extension", "amendment"]
    note: str = Field(min_length=1, max_length=2000)
    ends_on: date | None = None
    purpose: str | None = Field(default=None, max_length=4000)
    evidence_rules: str | None = Field(default=None, max_length=4000)
    confidentiality: str | None = Field(default=None, max_length=4000)
    communication: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _what(self) -> Self:
        if self.kind == "extension" and self.ends_on is None:
            raise ValueError("ends_on: an extension gives the new end date")
        return self


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=1, max_length=200)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    due_on: date


class StatementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20000)


class RedraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20000)


class EvaluationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    results: str = Field(min_length=1, max_length=8000)
    difficulties: str = Field(default="", max_length=8000)
    lessons: str = Field(default="", max_length=8000)


class MemberOut(BaseModel):
    id: str
    country: str
    name: str
    role: str
    login: str
    organisation: str


class CustodyOut(BaseModel):
    seq: int
    event: str
    node: str
    actor: str
    at: datetime
    sha256: str
    signature: str


class EvidenceOut(BaseModel):
    id: str
    filename: str
    size: int
    sha256: str
    handling: str
    origin: str
    uploaded_at: datetime
    uploaded_by: str
    recipients: list[str]
    present: bool
    delete_by: datetime
    custody: list[CustodyOut]


class ActionOut(BaseModel):
    id: str
    title: str
    owner: str
    country: str
    due_on: date
    done_at: datetime | None


class StatementOut(BaseModel):
    id: str
    title: str
    version: int
    text: str
    approvals: list[str]
    publishable: bool


class VersionOut(BaseModel):
    number: int
    kind: str
    note: str
    created_at: datetime
    created_by: str
    ends_on: str


class TeamOut(BaseModel):
    id: str
    reference: str
    name: str
    origin: str
    countries: list[str]
    purpose: str
    legal_basis: str
    starts_on: date
    ends_on: date
    status: str
    closed_at: datetime | None
    evaluation: dict[str, str]


class WorkspaceOut(TeamOut):
    members: list[MemberOut]
    agreement: list[VersionOut]
    evidence: list[EvidenceOut]
    statements: list[StatementOut]
    actions: list[ActionOut]
