"""Validated shapes of reports, parties and transfers, shared by the importers, the API and
the console; each error names the field and the reason."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from passerelle.errors import MalformedInput, ValidationFailed
from passerelle.financing.service import crypto
from passerelle.identity import parse_date

PartyKind = Literal["person", "company", "account", "crypto"]


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: PartyKind
    name: str = Field(default="", max_length=200)
    given_names: str = Field(default="", max_length=200)
    date_of_birth: str = Field(default="", max_length=10)
    nationality: str = Field(default="", max_length=3)
    address: str = Field(default="", max_length=300)
    device: str = Field(default="", max_length=120)
    account: str = Field(default="", max_length=120)
    institution: str = Field(default="", max_length=200)
    chain: str = Field(default="", max_length=8)

    @field_validator("date_of_birth")
    @classmethod
    def _date(cls, value: str) -> str:
        if value:
            try:
                parse_date(value)
            except MalformedInput as exc:
                raise ValueError(exc.message) from None
        return value

    @model_validator(mode="after")
    def _complete(self) -> PartyIn:
        if self.kind in ("person", "company") and not self.name:
            raise ValueError(f"a {self.kind} needs a name")
        if self.kind in ("account", "crypto") and not self.account:
            raise ValueError(f"an {self.kind} party needs its account or address")
        if self.kind == "crypto":
            try:
                found = crypto.validate(self.account, "account")
            except ValidationFailed as exc:
                raise ValueError(exc.message) from None
            self.account, self.chain = found.canonical, found.chain
        return self


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: str = Field(min_length=1, max_length=80)
    occurred_at: datetime
    amount: float = Field(gt=0, lt=1e12)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    from_account: str = Field(min_length=1, max_length=120)
    to_account: str = Field(min_length=1, max_length=120)
    mode: str = Field(default="", max_length=20)

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reference: str = Field(min_length=1, max_length=80)
    reporting_entity: str = Field(min_length=1, max_length=80)
    submitted_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    reason: str = Field(default="", max_length=4000)
    indicators: list[str] = Field(default_factory=list, max_length=50)
    parties: list[PartyIn] = Field(default_factory=list, max_length=500)
    transfers: list[TransferIn] = Field(default_factory=list, max_length=5000)

    @model_validator(mode="after")
    def _something(self) -> ReportIn:
        if not self.parties and not self.transfers:
            raise ValueError("a report names at least one party or transaction")
        return self


class ReportOut(BaseModel):
    id: str
    reference: str
    reporting_entity: str
    source: str
    submitted_on: str
    reason: str
    indicators: list[str]
    parties: list[PartyIn]
    transfers: list[TransferIn]


class FindingOut(BaseModel):
    id: str
    rule: str
    label: str
    source: str
    explanation: str
    edges: list[dict[str, object]]
    status: str
    decided_by: str


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirmed", "dismissed"]
