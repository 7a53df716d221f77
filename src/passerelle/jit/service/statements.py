"""Coordinated communication: a press statement is drafted in the workspace, each redraft is a
new version, and it is publishable once a leader of every party approved its latest version
(Declaration FR-BE; model agreement, communication with the media). Versions and approvals
are audited and replicated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound
from passerelle.jit.model import Approval, Statement, StatementVersion, Team
from passerelle.jit.schemas import StatementIn
from passerelle.jit.service import replicate
from passerelle.jit.service.common import get_team, leader_of, require_open, trace
from passerelle.node import Node
from passerelle.privacy import Principal


@dataclass(frozen=True)
class State:
    statement: Statement
    version: StatementVersion
    approvals: list[Approval]
    publishable: bool

    @property
    def approved_by(self) -> list[str]:
        return sorted(a.country for a in self.approvals)


def _new_version(
    session: Session, node: Node, principal: Principal, statement: Statement, text: str, n: int
) -> StatementVersion:
    row = StatementVersion(
        id=str(uuid.uuid4()),
        statement_id=statement.id,
        number=n,
        text=text,
        created_at=node.clock.now(),
        created_by=principal.name,
        node=node.code,
    )
    session.add(row)
    session.flush()
    trace(session, node, principal, "write", "jit.statement", statement.id, details={"version": n})
    return row


def draft(
    session: Session, node: Node, principal: Principal, team_ref: str, data: StatementIn
) -> Statement:
    team = get_team(session, team_ref)
    require_open(team)
    row = Statement(
        id=str(uuid.uuid4()),
        team_id=team.id,
        title=data.title,
        created_at=node.clock.now(),
        created_by=principal.name,
    )
    session.add(row)
    session.flush()
    _new_version(session, node, principal, row, data.text, 1)
    team.updated_at = node.clock.now()
    replicate.share(session, node, principal, team)
    return row


def get(session: Session, statement_id: str) -> Statement:
    row = session.get(Statement, statement_id)
    if row is None:
        raise NotFound(f"no statement {statement_id!r}")
    return row


def state(session: Session, team: Team, statement: Statement) -> State:
    versions = list(
        session.scalars(
            select(StatementVersion)
            .where(StatementVersion.statement_id == statement.id)
            .order_by(StatementVersion.number)
        )
    )
    latest = versions[-1]
    approvals = list(
        session.scalars(
            select(Approval).where(
                Approval.statement_id == statement.id, Approval.number == latest.number
            )
        )
    )
    done = {a.country for a in approvals} >= set(team.countries)
    return State(statement, latest, approvals, done)


def redraft(
    session: Session, node: Node, principal: Principal, statement_id: str, text: str
) -> State:
    """A new version; the approvals of the previous one do not carry over."""
    statement = get(session, statement_id)
    team = get_team(session, statement.team_id)
    require_open(team)
    current = state(session, team, statement)
    if current.version.text == text:
        raise Conflict("the text is the same as the latest version")
    _new_version(session, node, principal, statement, text, current.version.number + 1)
    team.updated_at = node.clock.now()
    replicate.share(session, node, principal, team)
    return state(session, team, statement)


def approve(
    session: Session, node: Node, principal: Principal, statement_id: str, version: int
) -> State:
    """A leader of this node's country approves the given (latest) version."""
    statement = get(session, statement_id)
    team = get_team(session, statement.team_id)
    leader = leader_of(session, team, node, principal)
    current = state(session, team, statement)
    if version != current.version.number:
        raise Conflict(
            f"version {version} is not the latest ({current.version.number}); read it first"
        )
    if node.code in current.approved_by:
        raise Conflict(f"{node.code} already approved version {version}")
    session.add(
        Approval(
            id=str(uuid.uuid4()),
            statement_id=statement.id,
            number=version,
            country=node.code,
            leader=leader.name,
            at=node.clock.now(),
        )
    )
    session.flush()
    trace(
        session,
        node,
        principal,
        "write",
        "jit.statement",
        statement.id,
        details={"op": "approve", "version": version},
    )
    team.updated_at = node.clock.now()
    replicate.share(session, node, principal, team)
    return state(session, team, statement)


def of_team(session: Session, team: Team) -> list[State]:
    rows = session.scalars(
        select(Statement).where(Statement.team_id == team.id).order_by(Statement.created_at)
    )
    return [state(session, team, s) for s in rows]
