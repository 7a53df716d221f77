"""API input and output of the foundation routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from passerelle.errors import ValidationFailed
from passerelle.privacy import accounts


def _username(value: str) -> str:
    """The privacy layer's one username rule, reported as a field problem."""
    try:
        return accounts.check_username(value)
    except ValidationFailed as exc:
        raise ValueError(exc.message) from None


class Me(BaseModel):
    kind: str
    name: str
    agency: str
    roles: list[str]
    locale: str | None


class AuditEntryOut(BaseModel):
    seq: int
    ts: datetime
    node: str
    actor: str
    agency: str
    action: str
    object_type: str
    object_id: str
    purpose: str
    legal_basis: str
    outcome: str
    details: str
    hash: str


class AuditPage(BaseModel):
    total: int
    entries: list[AuditEntryOut]


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    first_broken: int | None
    message: str


class UserIn(BaseModel):
    username: Annotated[
        str,
        Field(max_length=200, description="2 to 64 of a-z, 0-9, '.', '_', '-'"),
        AfterValidator(_username),
    ]
    password: str = Field(min_length=10, max_length=200)
    roles: list[str]
    display_name: str = ""


class UserOut(BaseModel):
    username: str
    display_name: str
    agency: str
    roles: list[str]
    locale: str | None
    disabled: bool


class TokenIn(BaseModel):
    name: str = Field(min_length=2, max_length=120)
    role: str
    days: int | None = Field(default=None, ge=1, le=3650)


class TokenCreated(BaseModel):
    name: str
    role: str
    token: str = Field(description="Shown once; only its hash is stored.")


class RetentionRuleOut(BaseModel):
    data_class: str
    description: str
    source: str
    mask_after_days: float | None
    delete_after_days: float | None


class RetentionRunOut(BaseModel):
    data_class: str
    masked: int
    deleted: int
