"""Tables of the financing domain: suspicious-transaction reports with their parties and
transactions, quarantined input, the lists the node holds (listed persons, cultural-goods
dealers, crypto-asset addresses) and money-flow findings with the analyst's decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class Report(Base):
    """A suspicious-transaction report as the FIU received it."""

    __tablename__ = "financing_report"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: The reporting entity's own reference (goAML ``entity_reference``), unique per entity.
    reference: Mapped[str] = mapped_column(String(80), index=True)
    reporting_entity: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(8))  # goaml, csv, console
    submitted_on: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[list[str]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Party(Base):
    """A person, company, account or crypto-asset address named by a report."""

    __tablename__ = "financing_party"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("financing_report.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # person, company, account, crypto
    #: Person: family name; company: its name; account: the holder's name.
    name: Mapped[str] = mapped_column(String(200), default="")
    given_names: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[str] = mapped_column(String(10), default="")
    nationality: Mapped[str] = mapped_column(String(3), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    device: Mapped[str] = mapped_column(String(120), default="")
    #: Account number (IBAN or the institution's own) or crypto-asset address (canonical form).
    account: Mapped[str] = mapped_column(String(120), default="", index=True)
    institution: Mapped[str] = mapped_column(String(200), default="")
    chain: Mapped[str] = mapped_column(String(8), default="")


class Transfer(Base):
    """One transaction of a report, from one account to another."""

    __tablename__ = "financing_transfer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("financing_report.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(80))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    from_account: Mapped[str] = mapped_column(String(120), index=True)
    to_account: Mapped[str] = mapped_column(String(120), index=True)
    mode: Mapped[str] = mapped_column(String(20), default="")


class Quarantine(Base):
    """Input that could not be read or broke a rule, kept raw with the exact reason."""

    __tablename__ = "financing_quarantine"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class ListEntry(Base):
    """An entry of a list the node holds: a listed person, a dealer or a crypto address."""

    __tablename__ = "financing_list_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_kind: Mapped[str] = mapped_column(String(8), index=True)  # person, dealer, crypto
    name: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[str] = mapped_column(String(10), default="")
    account: Mapped[str] = mapped_column(String(120), default="", index=True)
    origin: Mapped[str] = mapped_column(String(200))  # which list, for the explanation
    added_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Finding(Base):
    """A money-flow pattern found by a rule, with its subgraph, and the analyst's decision."""

    __tablename__ = "financing_finding"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rule: Mapped[str] = mapped_column(String(16), index=True)
    #: The accounts involved, sorted: the same pattern found again is not stored twice.
    signature: Mapped[str] = mapped_column(String(400), unique=True)
    explanation: Mapped[str] = mapped_column(Text)
    #: Edges of the subgraph: [{"from", "to", "amount", "currency", "at"}].
    edges: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class PublishedFilter(Base):
    """A filter this FIU published: which subject each row stands for (never sent)."""

    __tablename__ = "financing_filter"

    #: SHA-256 of the published file: the partner names the filter by it.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16))
    #: Subject (party id) of each row, "" for a dummy row.
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class FollowUp(Base):
    """A follow-up request after an encoded match: sent (``out``) or received (``in``)."""

    __tablename__ = "financing_followup"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    peer: Mapped[str] = mapped_column(String(8))
    filter_id: Mapped[str] = mapped_column(String(64))
    row: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    #: ``out``: the local candidate (party id); ``in``: the local subject the row stands for.
    subject: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10))
    message_id: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
