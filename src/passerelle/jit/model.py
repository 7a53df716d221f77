"""Tables of the JIT domain. Every row but the local ones (uploads, the presence of evidence
content) is part of the workspace replicated on each member node, keyed by a global id."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.storage import Base, UtcDateTime


class Team(Base):
    """A JIT: its current agreement terms and state."""

    __tablename__ = "jit_team"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The node that opened it; countries are the parties (node codes), origin first.
    origin: Mapped[str] = mapped_column(String(8))
    countries: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None, index=True)
    #: The evaluation at closure: {"results": …, "difficulties": …, "lessons": …}.
    evaluation: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class Member(Base):
    __tablename__ = "jit_member"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("jit_team.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    #: Account name on the member's own node (leaders approve statements with it).
    login: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")


class AgreementVersion(Base):
    """The original agreement, then each extension or amendment (model agreement, point 3)."""

    __tablename__ = "jit_agreement"
    __table_args__ = (UniqueConstraint("team_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("jit_team.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    #: Every term of the agreement as it stood with this version.
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(120))


class Upload(Base):
    """A tus upload in progress (local to this node). The bytes are in ``path``."""

    __tablename__ = "jit_upload"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("jit_team.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    length: Mapped[int] = mapped_column(BigInteger)
    handling: Mapped[str] = mapped_column(String(4))
    path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    evidence_id: Mapped[str | None] = mapped_column(String(36), default=None)


class Evidence(Base):
    """An evidence item: replicated metadata; the content is on a node while ``path`` is set."""

    __tablename__ = "jit_evidence"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("jit_team.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    handling: Mapped[str] = mapped_column(String(4))
    origin: Mapped[str] = mapped_column(String(8))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    #: Countries whose download empties the store (every party but the origin).
    recipients: Mapped[list[str]] = mapped_column(JSON)
    #: Local: the content file on this node, None when absent (not fetched, or deleted).
    path: Mapped[str | None] = mapped_column(String(500), default=None)
    content_deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class Custody(Base):
    """One signed entry of an item's chain of custody (uploaded, received, downloaded)."""

    __tablename__ = "jit_custody"
    __table_args__ = (UniqueConstraint("evidence_id", "node", "seq"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    evidence_id: Mapped[str] = mapped_column(
        ForeignKey("jit_evidence.id", ondelete="CASCADE"), index=True
    )
    #: Entries are numbered per signing node: (node, seq) orders each node's own chain.
    seq: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(12))
    node: Mapped[str] = mapped_column(String(8))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    #: The canonical JSON that was signed, the Ed25519 signature and public key (base64).
    signed: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(100))
    public_key: Mapped[str] = mapped_column(String(60))


class Statement(Base):
    __tablename__ = "jit_statement"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("jit_team.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(120))


class StatementVersion(Base):
    __tablename__ = "jit_statement_version"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    statement_id: Mapped[str] = mapped_column(
        ForeignKey("jit_statement.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(120))
    node: Mapped[str] = mapped_column(String(8))


class Approval(Base):
    """A leader's approval of one version of a statement, for their country."""

    __tablename__ = "jit_approval"
    __table_args__ = (UniqueConstraint("statement_id", "number", "country"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    statement_id: Mapped[str] = mapped_column(
        ForeignKey("jit_statement.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    country: Mapped[str] = mapped_column(String(8))
    leader: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Action(Base):
    """A planned action with its owner and deadline."""

    __tablename__ = "jit_action"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("jit_team.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(8))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
