"""Request and response bodies of the precursors API (and the lines of `precursors check`)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from passerelle.errors import MalformedInput
from passerelle.identity import parse_date
from passerelle.precursors import rules

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
CAS_PATTERN = r"^\d{2,7}-\d{2}-\d$"


def check_date_of_birth(value: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a day that exists."""
    if value:
        try:
            parse_date(value)
            if len(value) == 10:
                date.fromisoformat(value)
        except MalformedInput as exc:
            raise ValueError(exc.message) from None
        except ValueError:
            raise ValueError(f"{value!r} is not a date that exists") from None
    return value


class Professional(BaseModel):
    model_config = _STRICT

    company: str = Field(min_length=1, max_length=200)
    registration: str = Field(default="", max_length=60)
    trade: str = Field(default="", max_length=200)


class Customer(BaseModel):
    model_config = _STRICT

    type: Literal["public", "professional"]
    family_name: str = Field(min_length=1, max_length=100)
    given_names: str = Field(default="", max_length=100)
    date_of_birth: str = Field(default="", max_length=10)
    document_type: str = Field(default="", max_length=20)
    document_number: str = Field(default="", max_length=40)
    document_country: str = Field(default="", max_length=3)
    account: str = Field(default="", max_length=120)
    professional: Professional | None = None

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value: str) -> str:
        return check_date_of_birth(value)

    @model_validator(mode="after")
    def _professional(self) -> Customer:
        if self.type == "professional" and self.professional is None:
            raise ValueError("a professional customer needs the 'professional' object")
        return self


class ProductIn(BaseModel):
    """Either a catalogue ``sku`` or ``name`` of the seller, or ``cas`` with ``concentration``."""

    model_config = _STRICT

    sku: str = Field(default="", max_length=80)
    name: str = Field(default="", max_length=200)
    cas: str = Field(default="", max_length=12)
    concentration: float | None = Field(default=None, ge=0, le=100)
    particle_um: float | None = Field(default=None, gt=0, le=100_000)
    quantity_kg: float = Field(gt=0, le=100_000)

    @field_validator("cas")
    @classmethod
    def _cas(cls, value: str) -> str:
        if value and not re.fullmatch(CAS_PATTERN, value):
            raise ValueError("not a CAS number (e.g. 7722-84-1)")
        return value

    @model_validator(mode="after")
    def _named(self) -> ProductIn:
        if not (self.sku or self.name or self.cas):
            raise ValueError("give the product's sku, name or cas")
        if self.cas and self.concentration is None:
            raise ValueError("a product given by cas needs its concentration")
        return self


class Payment(BaseModel):
    model_config = _STRICT

    method: Literal["card", "transfer", "cash", "voucher", "crypto", "other"]
    amount: float = Field(default=0.0, ge=0, le=10_000_000)


class Delivery(BaseModel):
    model_config = _STRICT

    method: Literal["pickup", "address", "locker"]
    address: str = Field(default="", max_length=300)
    country: str = Field(default="", max_length=2)

    @model_validator(mode="after")
    def _address(self) -> Delivery:
        if self.method != "pickup" and not self.address:
            raise ValueError("a delivery to an address or a locker needs the address")
        return self


class Verification(BaseModel):
    """What the seller verified (art. 8): ID document, licence, professional status, Annex IV."""

    model_config = _STRICT

    id_document_checked: bool = False
    licence_number: str = Field(default="", max_length=40)
    professional_status_checked: bool = False
    intended_use: str = Field(default="", max_length=500)
    statement_signed: bool = False


class TransactionIn(BaseModel):
    model_config = _STRICT

    reference: str = Field(default="", max_length=80)
    occurred_at: AwareDatetime | None = None
    channel: Literal["online", "offline"] | None = None
    customer: Customer
    product: ProductIn
    payment: Payment
    delivery: Delivery
    verification: Verification = Field(default_factory=Verification)
    indicators: list[str] = Field(default_factory=list, max_length=len(rules.INDICATORS))

    @field_validator("indicators")
    @classmethod
    def _indicators(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in rules.INDICATORS]
        if unknown:
            raise ValueError(
                f"unknown art. 9 indicators {unknown}; known: {list(rules.INDICATORS)}"
            )
        return sorted(set(value))


class Reason(BaseModel):
    article: str
    text: str


class CheckOut(BaseModel):
    decision: Literal["allowed", "licence_required", "refused", "report"]
    reasons: list[Reason]
    reference: str


class SellerIn(BaseModel):
    model_config = _STRICT

    code: str = Field(pattern=r"^[A-Za-z0-9_.-]{2,40}$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["shop", "marketplace", "distributor"]
    channel: Literal["online", "offline"]
    country: str = Field(pattern=r"^[A-Z]{2}$")
    city: str = Field(default="", max_length=100)


class ProductRow(BaseModel):
    """One row of a catalogue CSV: sku, trade_name, synonyms (| separated), cas, concentration."""

    model_config = _STRICT

    sku: str = Field(min_length=1, max_length=80)
    trade_name: str = Field(min_length=1, max_length=200)
    synonyms: list[str] = Field(default_factory=list, max_length=50)
    cas: str = Field(pattern=CAS_PATTERN)
    concentration: float = Field(ge=0, le=100)
    particle_um: float | None = Field(default=None, gt=0)


class LicenceIn(BaseModel):
    model_config = _STRICT

    country: str = Field(pattern=r"^[A-Z]{2}$")
    number: str = Field(min_length=1, max_length=40)
    family_name: str = Field(min_length=1, max_length=100)
    given_names: str = Field(default="", max_length=100)
    date_of_birth: str = Field(default="", max_length=10)
    document_number: str = Field(default="", max_length=40)
    substances: list[str] = Field(min_length=1, max_length=20)
    max_concentration: float = Field(gt=0, le=100)
    valid_from: AwareDatetime
    valid_until: AwareDatetime

    @model_validator(mode="after")
    def _dates(self) -> LicenceIn:
        if self.valid_until <= self.valid_from:
            raise ValueError("valid_until must come after valid_from")
        unknown = [c for c in self.substances if c not in rules.SUBSTANCES]
        if unknown:
            raise ValueError(f"not Annex I substances: {unknown}")
        return self


class WatchedIn(BaseModel):
    model_config = _STRICT

    family_name: str = Field(min_length=1, max_length=100)
    given_names: str = Field(default="", max_length=100)
    date_of_birth: str = Field(default="", max_length=10)
    document_number: str = Field(default="", max_length=40)
    reason: str = Field(min_length=1, max_length=300)

    @field_validator("date_of_birth")
    @classmethod
    def _dob(cls, value: str) -> str:
        return check_date_of_birth(value)


class ReportIn(BaseModel):
    """A disappearance or theft (or a suspicious attempt not checked here) from a seller."""

    model_config = _STRICT

    kind: Literal["suspicious", "disappearance", "theft"]
    occurred_at: AwareDatetime
    summary: str = Field(min_length=1, max_length=4000)
    indicators: list[str] = Field(default_factory=list)
    transaction: str = Field(default="", max_length=24)


class ReportOut(BaseModel):
    id: str
    reference: str
    kind: str
    channel: str
    seller: str
    occurred_at: datetime
    filed_at: datetime
    due_at: datetime
    on_time: bool
    contact_point: str
    summary: str
    indicators: list[str]
    transaction: str | None
    acknowledged_at: datetime | None


class PatternOut(BaseModel):
    id: str
    kind: str
    detected_at: datetime
    countries: list[str]
    summary: str
    members: list[dict[str, object]]


#: A statistics year (0: the current one); bounded so a huge number is a 400, not a 500.
Year = Annotated[int, Field(ge=0, le=9999)]
#: How many patterns a run found (-1: no run yet), as shown after a detection run.
FoundCount = Annotated[int, Field(ge=-1, le=2**31 - 1)]
