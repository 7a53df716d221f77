"""API input and output shapes of the DNA domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from passerelle.dna.rules import SampleType, Stringency
from passerelle.dna.stats import Method


class ProfileIn(BaseModel):
    """One profile in JSON: locus name → allele values (one value = homozygous)."""

    model_config = ConfigDict(extra="forbid")

    profile_id: str = Field(min_length=1, max_length=100)
    loci: dict[str, list[str]] = Field(min_length=1)
    sample_type: SampleType | None = None
    kit: str | None = Field(default=None, max_length=100)
    laboratory: str | None = Field(default=None, max_length=200)
    single_source: bool = True
    person_status: str | None = Field(default=None, pattern="^(suspect|convicted)$")
    minor: bool = False
    listed_offence: bool = False
    registered_on: date | None = Field(
        default=None, description="registration in the national database (default: today)"
    )
    final_decision_on: date | None = Field(
        default=None, description="convicted: date the decision became final"
    )


class ImportIn(BaseModel):
    """Profiles to import; ``sample_type``, ``laboratory`` and ``kit`` apply to the profiles
    that do not give their own."""

    model_config = ConfigDict(extra="forbid")

    profiles: list[ProfileIn] = Field(min_length=1, max_length=10_000)
    sample_type: SampleType | None = None
    laboratory: str | None = Field(default=None, max_length=200)
    kit: str | None = Field(default=None, max_length=100)


class RowErrorOut(BaseModel):
    line: int
    profile_id: str
    message: str


class ImportReportOut(BaseModel):
    """The validation report: ``line`` is the CSV line (JSON: the profile's position + 1)."""

    accepted: list[str]
    created: list[str]
    updated: list[str]
    rejected: list[str]
    errors: list[RowErrorOut]
    warnings: list[RowErrorOut]
    flagged: dict[str, list[str]]


class ProfileOut(BaseModel):
    profile_id: str
    sample_type: str
    kit: str
    laboratory: str
    single_source: bool
    exchangeable: bool
    flags: list[str]
    loci: dict[str, list[str]]
    created_at: datetime
    updated_at: datetime


class SearchIn(BaseModel):
    """A national search: a stored profile (``profile_id``) or an inline one (``loci``)."""

    model_config = ConfigDict(extra="forbid")

    profile_id: str | None = Field(default=None, max_length=100)
    loci: dict[str, list[str]] | None = None
    population: str = "europe"
    theta: float = Field(default=0.01, ge=0, lt=1)
    method: Method = Method.NRC2_41
    stringency: Stringency | None = None


class HitOut(BaseModel):
    match_id: int
    matched_profile: str
    rule: str
    matching_loci: int | None
    mismatched_alleles: int | None
    quality: int | None
    quality_name: str | None
    rmp: float | None
    needs_lab_confirmation: bool


class SearchOut(BaseModel):
    profile_id: str
    hits: list[HitOut]


class MatchOut(BaseModel):
    id: int
    scope: str
    rule: str
    query_profile: str
    matched: str
    peer: str | None
    query_id: str | None
    matching_loci: int | None
    mismatched_alleles: int | None
    quality: int | None
    quality_name: str | None
    rmp: float | None
    needs_lab_confirmation: bool
    status: str
    created_at: datetime


class ReviewIn(BaseModel):
    """A person's decision on a candidate match; for quality 3 and 4 the note cites the
    laboratory's confirmation."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirmed", "rejected"]
    note: str = Field(default="", max_length=500)


class CrossBorderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: str = Field(min_length=1, max_length=100)
    peers: list[str] | None = Field(default=None, description="Peer codes; omitted = all peers")
    case_ref: str = Field(min_length=1, max_length=100)
    purpose: str = Field(default="DNA identification (criminal investigation)", max_length=200)


class PeerAnswerOut(BaseModel):
    peer: str
    status: str
    reference: str | None
    detail: str
    quality: int | None
    quality_name: str | None
    needs_lab_confirmation: bool


class CrossBorderOut(BaseModel):
    query_id: str
    profile_id: str
    complete: bool
    answers: list[PeerAnswerOut]
