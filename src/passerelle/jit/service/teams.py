"""Opening a JIT, its members, versioned extensions and amendments, planning, closure."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from passerelle.jit.model import Action, AgreementVersion, Member, Team
from passerelle.jit.schemas import ActionIn, AmendIn, EvaluationIn, MemberIn, TeamIn
from passerelle.jit.service import replicate
from passerelle.jit.service.common import get_team, members, new_reference, require_open, trace
from passerelle.node import Node
from passerelle.privacy import Principal


def _terms(team: Team, session: Session, extra: dict[str, Any]) -> dict[str, Any]:
    """Every term of the agreement as it stands now (members included)."""
    base: dict[str, Any] = {
        "name": team.name,
        "countries": list(team.countries),
        "purpose": team.purpose,
        "legal_basis": team.legal_basis,
        "starts_on": team.starts_on.isoformat(),
        "ends_on": team.ends_on.isoformat(),
        "members": [
            {"country": m.country, "name": m.name, "role": m.role, "organisation": m.organisation}
            for m in members(session, team.id)
        ],
    }
    return {**base, **extra}


def _version(
    session: Session, team: Team, principal: Principal, kind: str, note: str, terms: dict[str, Any]
) -> AgreementVersion:
    number = (
        session.scalar(
            select(func.max(AgreementVersion.number)).where(AgreementVersion.team_id == team.id)
        )
        or 0
    ) + 1
    row = AgreementVersion(
        id=str(uuid.uuid4()),
        team_id=team.id,
        number=number,
        kind=kind,
        note=note,
        terms=terms,
        created_at=team.updated_at,
        created_by=principal.name,
    )
    session.add(row)
    return row


def open_team(session: Session, node: Node, principal: Principal, data: TeamIn) -> Team:
    """Open a JIT from this node (a party), with its agreement as version 1."""
    if node.code not in data.countries:
        raise ValidationFailed("countries: this node's country must be a party", field="countries")
    now = node.clock.now()
    countries = [node.code, *[c for c in data.countries if c != node.code]]
    team = Team(
        id=str(uuid.uuid4()),
        reference=new_reference(node),
        name=data.name,
        origin=node.code,
        countries=countries,
        purpose=data.terms.purpose,
        legal_basis=data.terms.legal_basis,
        starts_on=data.terms.starts_on,
        ends_on=data.terms.ends_on,
        created_at=now,
        updated_at=now,
        evaluation={},
    )
    session.add(team)
    session.flush()
    for m in data.members:
        _add_member(session, team, m)
    session.flush()
    terms = data.terms.model_dump(mode="json", exclude={"purpose", "legal_basis"})
    _version(session, team, principal, "original", "", _terms(team, session, terms))
    trace(session, node, principal, "write", "jit.team", team.id, details={"op": "open"})
    replicate.share(session, node, principal, team)
    return team


def _add_member(session: Session, team: Team, data: MemberIn) -> Member:
    row = Member(id=str(uuid.uuid4()), team_id=team.id, **data.model_dump())
    session.add(row)
    return row


def add_member(
    session: Session, node: Node, principal: Principal, team_ref: str, data: MemberIn
) -> Member:
    team = get_team(session, team_ref)
    require_open(team)
    if data.role in ("leader", "member", "seconded") and data.country not in team.countries:
        raise ValidationFailed(
            f"{data.country} is not a party to {team.reference}", field="country"
        )
    if data.country != node.code and data.role in ("leader", "member", "seconded"):
        raise PermissionDenied(f"members of {data.country} are added on the {data.country} node")
    row = _add_member(session, team, data)
    team.updated_at = node.clock.now()
    trace(session, node, principal, "write", "jit.member", row.id, details={"team": team.id})
    replicate.share(session, node, principal, team)
    return row


def amend(
    session: Session, node: Node, principal: Principal, team_ref: str, data: AmendIn
) -> AgreementVersion:
    """Record an extension or an amendment as a new version of the agreement."""
    team = get_team(session, team_ref)
    require_open(team)
    if data.ends_on is not None:
        if data.ends_on <= team.starts_on:
            raise ValidationFailed("ends_on must be after the start of the JIT", field="ends_on")
        if data.kind == "extension" and data.ends_on <= team.ends_on:
            raise ValidationFailed("an extension ends later than the agreement", field="ends_on")
        team.ends_on = data.ends_on
    if data.purpose:
        team.purpose = data.purpose
    team.updated_at = node.clock.now()
    latest = versions(session, team.id)[-1].terms
    extra = {
        k: v
        for k, v in latest.items()
        if k in ("evidence_rules", "confidentiality", "communication")
    }
    for key in ("evidence_rules", "confidentiality", "communication"):
        value = getattr(data, key)
        if value is not None:
            extra[key] = value
    row = _version(session, team, principal, data.kind, data.note, _terms(team, session, extra))
    trace(session, node, principal, "write", "jit.agreement", row.id, details={"kind": data.kind})
    replicate.share(session, node, principal, team)
    return row


def versions(session: Session, team_id: str) -> list[AgreementVersion]:
    return list(
        session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.team_id == team_id)
            .order_by(AgreementVersion.number)
        )
    )


def add_action(
    session: Session, node: Node, principal: Principal, team_ref: str, data: ActionIn
) -> Action:
    team = get_team(session, team_ref)
    require_open(team)
    if data.country not in team.countries:
        raise ValidationFailed(
            f"{data.country} is not a party to {team.reference}", field="country"
        )
    now = node.clock.now()
    row = Action(id=str(uuid.uuid4()), team_id=team.id, created_at=now, **data.model_dump())
    session.add(row)
    team.updated_at = now
    trace(session, node, principal, "write", "jit.action", row.id, details={"team": team.id})
    replicate.share(session, node, principal, team)
    return row


def complete_action(session: Session, node: Node, principal: Principal, action_id: str) -> Action:
    row = session.get(Action, action_id)
    if row is None:
        raise NotFound(f"no action {action_id!r}")
    if row.done_at is not None:
        raise Conflict("this action is already done")
    team = get_team(session, row.team_id)
    row.done_at = team.updated_at = node.clock.now()
    trace(session, node, principal, "write", "jit.action", row.id, details={"op": "done"})
    replicate.share(session, node, principal, team)
    return row


def actions(session: Session, team_id: str) -> list[Action]:
    return list(
        session.scalars(select(Action).where(Action.team_id == team_id).order_by(Action.due_on))
    )


def close(
    session: Session, node: Node, principal: Principal, team_ref: str, data: EvaluationIn
) -> Team:
    """Close the JIT with its evaluation (Reg. 2023/969: evaluation of the JIT)."""
    team = get_team(session, team_ref)
    require_open(team)
    now = node.clock.now()
    team.status = "closed"
    team.closed_at = team.updated_at = now
    team.evaluation = {**data.model_dump(), "by": principal.name, "node": node.code}
    trace(session, node, principal, "write", "jit.team", team.id, details={"op": "close"})
    replicate.share(session, node, principal, team)
    return team


def listing(session: Session, *, status: str | None = None) -> list[Team]:
    query = select(Team).order_by(Team.updated_at.desc())
    if status:
        query = query.where(Team.status == status)
    return list(session.scalars(query))


def overdue_actions(session: Session, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Action)
            .where(Action.done_at.is_(None), Action.due_on < now.date())
        )
        or 0
    )
