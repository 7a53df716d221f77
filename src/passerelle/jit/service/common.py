"""Shared helpers: finding a team, membership checks, the access trace of reads."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.errors import NotFound, PermissionDenied
from passerelle.jit import rules
from passerelle.jit.model import Member, Team
from passerelle.kit.trace import Tracer
from passerelle.node import Node
from passerelle.privacy import Principal


def new_reference(node: Node) -> str:
    return f"JIT-{node.code}-{secrets.token_hex(4).upper()}"


def get_team(session: Session, team: str) -> Team:
    """A team by id or reference; NotFound otherwise."""
    row = session.get(Team, team) or session.scalar(select(Team).where(Team.reference == team))
    if row is None:
        raise NotFound(f"no joint investigation team {team!r} on this node")
    return row


def members(session: Session, team_id: str) -> list[Member]:
    return list(
        session.scalars(
            select(Member).where(Member.team_id == team_id).order_by(Member.country, Member.name)
        )
    )


def leader_of(session: Session, team: Team, node: Node, principal: Principal) -> Member:
    """The principal as a leader of this node's country in the team, or PermissionDenied."""
    for m in members(session, team.id):
        if m.role == "leader" and m.country == node.code and m.login == principal.name:
            return m
    raise PermissionDenied(
        f"only a leader of {node.code} in {team.reference} may do this "
        f"({principal.name} is not one)"
    )


def require_open(team: Team) -> None:
    from passerelle.errors import Conflict

    if team.status != "open":
        raise Conflict(f"{team.reference} is closed")


#: Audits one access to personal data, in the caller's transaction.
trace = Tracer(rules.PURPOSE, rules.LEGAL_BASIS)
