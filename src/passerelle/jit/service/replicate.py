"""The workspace replicated on each party's node, as the federation message type
``jit.workspace``: after every change, the changing node sends the whole workspace (without
evidence content) to the other parties under their sharing policy; a receiving node merges it.

Merging is by global id: rows a node does not hold are added; the team's terms follow the
latest ``updated_at``; members and actions take the sender's values; statement versions,
approvals and custody entries are only ever added (their union is the history). Custody
entries are checked against the signer's federation key on arrival.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.errors import ValidationFailed
from passerelle.federation import pull
from passerelle.jit import custody, rules
from passerelle.jit.model import (
    Action,
    AgreementVersion,
    Approval,
    Custody,
    Evidence,
    Member,
    Statement,
    StatementVersion,
    Team,
)
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal, audit

WORKSPACE = "jit.workspace"
OUTBOX_KEY = "jit.outbox"
Code = Field(pattern=r"^[A-Z]{2,8}$")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=36)


class TeamSnap(_Row):
    reference: str = Field(max_length=40)
    name: str = Field(max_length=200)
    origin: str = Code
    countries: list[str] = Field(min_length=2, max_length=8)
    purpose: str = Field(max_length=4000)
    legal_basis: str = Field(max_length=300)
    starts_on: date
    ends_on: date
    status: str = Field(pattern=r"^(open|closed)$")
    created_at: AwareDatetime
    updated_at: AwareDatetime
    closed_at: AwareDatetime | None = None
    evaluation: dict[str, str] = Field(default_factory=dict)


class MemberSnap(_Row):
    country: str = Code
    name: str = Field(max_length=200)
    role: str = Field(pattern=r"^(leader|member|seconded|eurojust|europol)$")
    login: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)


class VersionSnap(_Row):
    number: int = Field(ge=1)
    kind: str = Field(pattern=r"^(original|extension|amendment)$")
    note: str = Field(default="", max_length=2000)
    terms: dict[str, Any]
    created_at: AwareDatetime
    created_by: str = Field(max_length=120)


class ActionSnap(_Row):
    title: str = Field(max_length=300)
    owner: str = Field(max_length=200)
    country: str = Code
    due_on: date
    done_at: AwareDatetime | None = None
    created_at: AwareDatetime


class StatementSnap(_Row):
    title: str = Field(max_length=200)
    created_at: AwareDatetime
    created_by: str = Field(max_length=120)


class StatementVersionSnap(_Row):
    statement_id: str = Field(max_length=36)
    number: int = Field(ge=1)
    text: str = Field(max_length=20000)
    created_at: AwareDatetime
    created_by: str = Field(max_length=120)
    node: str = Code


class ApprovalSnap(_Row):
    statement_id: str = Field(max_length=36)
    number: int = Field(ge=1)
    country: str = Code
    leader: str = Field(max_length=200)
    at: AwareDatetime


class EvidenceSnap(_Row):
    filename: str = Field(max_length=255)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    handling: str = Field(pattern=r"^H[0-3]$")
    origin: str = Code
    uploaded_at: AwareDatetime
    uploaded_by: str = Field(max_length=120)
    recipients: list[str] = Field(max_length=8)


class CustodySnap(_Row):
    evidence_id: str = Field(max_length=36)
    seq: int = Field(ge=1)
    event: str = Field(pattern=r"^(uploaded|received|downloaded)$")
    node: str = Code
    actor: str = Field(max_length=120)
    at: AwareDatetime
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    signed: str = Field(max_length=4000)
    signature: str = Field(max_length=100)
    public_key: str = Field(max_length=60)


class Workspace(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team: TeamSnap
    members: list[MemberSnap] = Field(default_factory=list, max_length=500)
    agreement: list[VersionSnap] = Field(default_factory=list, max_length=500)
    actions: list[ActionSnap] = Field(default_factory=list, max_length=2000)
    statements: list[StatementSnap] = Field(default_factory=list, max_length=500)
    versions: list[StatementVersionSnap] = Field(default_factory=list, max_length=2000)
    approvals: list[ApprovalSnap] = Field(default_factory=list, max_length=2000)
    evidence: list[EvidenceSnap] = Field(default_factory=list, max_length=2000)
    custody: list[CustodySnap] = Field(default_factory=list, max_length=20000)


def _cols(row: Any, model: type[BaseModel]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in model.model_fields}


def snapshot(session: Session, team: Team) -> Workspace:
    def rows(model: Any, column: Any, value: Any) -> list[Any]:
        return list(session.scalars(select(model).where(column == value)))

    statements = rows(Statement, Statement.team_id, team.id)
    ids = [s.id for s in statements]
    items = rows(Evidence, Evidence.team_id, team.id)
    item_ids = [e.id for e in items]
    return Workspace(
        team=TeamSnap(**_cols(team, TeamSnap)),
        members=[MemberSnap(**_cols(r, MemberSnap)) for r in rows(Member, Member.team_id, team.id)],
        agreement=[
            VersionSnap(**_cols(r, VersionSnap))
            for r in rows(AgreementVersion, AgreementVersion.team_id, team.id)
        ],
        actions=[ActionSnap(**_cols(r, ActionSnap)) for r in rows(Action, Action.team_id, team.id)],
        statements=[StatementSnap(**_cols(r, StatementSnap)) for r in statements],
        versions=[
            StatementVersionSnap(**_cols(r, StatementVersionSnap))
            for r in session.scalars(
                select(StatementVersion).where(StatementVersion.statement_id.in_(ids))
            )
        ],
        approvals=[
            ApprovalSnap(**_cols(r, ApprovalSnap))
            for r in session.scalars(select(Approval).where(Approval.statement_id.in_(ids)))
        ],
        evidence=[EvidenceSnap(**_cols(r, EvidenceSnap)) for r in items],
        custody=[
            CustodySnap(**_cols(r, CustodySnap))
            for r in session.scalars(select(Custody).where(Custody.evidence_id.in_(item_ids)))
        ],
    )


def share(session: Session, node: Node, who: Principal | audit.Actor, team: Team) -> list[str]:
    """Send the workspace to every other party that is a peer (in this transaction); the ids
    of the queued messages are also kept in ``session.info`` for delivery after the commit."""
    session.flush()
    actor = who.actor if isinstance(who, Principal) else who
    known = {p.code for p in federation.peer_status(session)}
    payload = snapshot(session, team)
    ids: list[str] = session.info.setdefault(OUTBOX_KEY, [])
    queued = []
    for country in team.countries:
        if country == node.code or country not in known:
            continue
        state = federation.send_message(
            session,
            node,
            actor,
            WORKSPACE,
            peer=country,
            payload=payload,
            case_ref=team.reference,
            purpose=rules.PURPOSE,
        )
        if state.status in ("queued", "awaiting"):
            queued.append(state.message_id)
    ids.extend(queued)
    return queued


def _check_custody(session: Session, node: Node, entry: CustodySnap) -> None:
    problem = custody.signature_problem(entry.model_dump())
    if problem:
        raise ValidationFailed(f"custody entry {entry.id}: {problem}")
    known = pull.public_key_text(node, session, entry.node) or entry.public_key
    if known != entry.public_key:
        raise ValidationFailed(f"custody entry {entry.id} is not signed with {entry.node}'s key")


def _upsert(session: Session, model: Any, snap: BaseModel, **extra: Any) -> None:
    row = session.get(model, getattr(snap, "id"))  # noqa: B009
    values = {**snap.model_dump(), **extra}
    if row is None:
        session.add(model(**values))
    else:
        for key, value in values.items():
            setattr(row, key, value)


def _add(session: Session, model: Any, snap: BaseModel, **extra: Any) -> None:
    if session.get(model, getattr(snap, "id")) is None:  # noqa: B009
        session.add(model(**snap.model_dump(), **extra))


def apply(session: Session, node: Node, sender: str, ws: Workspace) -> None:
    """Merge a party's workspace into this node's copy."""
    t = ws.team
    if sender not in t.countries or node.code not in t.countries:
        raise ValidationFailed(f"{sender} sent a workspace of a JIT it and this node are not in")
    team = session.get(Team, t.id)
    if team is None:
        session.add(Team(**t.model_dump()))
    elif t.updated_at > team.updated_at:
        for key, value in t.model_dump().items():
            setattr(team, key, value)
    session.flush()
    for m in ws.members:
        _upsert(session, Member, m, team_id=t.id)
    for v in ws.agreement:
        _add(session, AgreementVersion, v, team_id=t.id)
    for a in ws.actions:
        _upsert(session, Action, a, team_id=t.id)
    for s in ws.statements:
        _add(session, Statement, s, team_id=t.id)
    session.flush()
    for sv in ws.versions:
        _add(session, StatementVersion, sv)
    for ap in ws.approvals:
        exists = session.scalar(
            select(Approval.id).where(
                Approval.statement_id == ap.statement_id,
                Approval.number == ap.number,
                Approval.country == ap.country,
            )
        )
        if exists is None:
            _add(session, Approval, ap)
    for e in ws.evidence:
        _add(session, Evidence, e, team_id=t.id)
    session.flush()
    for c in ws.custody:
        if session.get(Custody, c.id) is None:
            _check_custody(session, node, c)
            session.add(Custody(**c.model_dump()))
    session.flush()


def _receive(session: Session, node: Node, received: federation.Received) -> Mapping[str, Any]:
    ws = received.payload
    assert isinstance(ws, Workspace)
    apply(session, node, received.sender, ws)
    return {"team": ws.team.reference}


def _reference(payload: BaseModel) -> str:
    return payload.team.id if isinstance(payload, Workspace) else ""


def _held(session: Session, references: Sequence[str]) -> Collection[str]:
    if not references:
        return []
    return set(session.scalars(select(Team.id).where(Team.id.in_(references))))


def register_types() -> None:
    """Declare the workspace message type to federation (idempotent)."""
    federation.register_message_type(
        WORKSPACE,
        Workspace,
        _receive,
        description="The workspace of a joint investigation team (agreement, members, planning, "
        "statements, evidence metadata and signed custody), replicated on each party's node.",
        carries_personal_data=True,
        legal_basis=rules.LEGAL_BASIS,
        source=rules.FRAMEWORK,
        retention=federation.BodyRetention(
            keep_for=timedelta(days=28),
            source=rules.WORKSPACE_SOURCE,
            description="A workspace copy in transit is kept four weeks at most, and no longer "
            "than the JIT on this node.",
            held=_held,
        ),
        default_policy="automatic",
        received=N_("jit workspace received"),
        reference=_reference,
        handling="H1",
        replace=True,
    )
