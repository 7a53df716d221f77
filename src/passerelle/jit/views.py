"""Shaping workspace rows into the API's response models (shared by the API and console)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.jit import rules
from passerelle.jit.model import Evidence, Team
from passerelle.jit.schemas import (
    ActionOut,
    CustodyOut,
    EvidenceOut,
    MemberOut,
    StatementOut,
    TeamOut,
    VersionOut,
    WorkspaceOut,
)
from passerelle.jit.service import evidence, statements, teams
from passerelle.jit.service.common import members


def team_out(team: Team) -> TeamOut:
    return TeamOut(
        id=team.id,
        reference=team.reference,
        name=team.name,
        origin=team.origin,
        countries=list(team.countries),
        purpose=team.purpose,
        legal_basis=team.legal_basis,
        starts_on=team.starts_on,
        ends_on=team.ends_on,
        status=team.status,
        closed_at=team.closed_at,
        evaluation=dict(team.evaluation),
    )


def evidence_out(session: Session, item: Evidence) -> EvidenceOut:
    return EvidenceOut(
        id=item.id,
        filename=item.filename,
        size=item.size,
        sha256=item.sha256,
        handling=item.handling,
        origin=item.origin,
        uploaded_at=item.uploaded_at,
        uploaded_by=item.uploaded_by,
        recipients=list(item.recipients),
        present=item.path is not None,
        delete_by=item.uploaded_at + rules.EVIDENCE_MAX_STORAGE,
        custody=[
            CustodyOut(
                seq=c.seq,
                event=c.event,
                node=c.node,
                actor=c.actor,
                at=c.at,
                sha256=c.sha256,
                signature=c.signature,
            )
            for c in evidence.entries(session, item.id)
        ],
    )


def workspace_out(session: Session, team: Team) -> WorkspaceOut:
    items = session.scalars(
        select(Evidence).where(Evidence.team_id == team.id).order_by(Evidence.uploaded_at)
    )
    return WorkspaceOut(
        **team_out(team).model_dump(),
        members=[
            MemberOut(
                id=m.id,
                country=m.country,
                name=m.name,
                role=m.role,
                login=m.login,
                organisation=m.organisation,
            )
            for m in members(session, team.id)
        ],
        agreement=[
            VersionOut(
                number=v.number,
                kind=v.kind,
                note=v.note,
                created_at=v.created_at,
                created_by=v.created_by,
                ends_on=str(v.terms.get("ends_on", "")),
            )
            for v in teams.versions(session, team.id)
        ],
        evidence=[evidence_out(session, i) for i in items],
        statements=[
            StatementOut(
                id=s.statement.id,
                title=s.statement.title,
                version=s.version.number,
                text=s.version.text,
                approvals=s.approved_by,
                publishable=s.publishable,
            )
            for s in statements.of_team(session, team)
        ],
        actions=[
            ActionOut(
                id=a.id,
                title=a.title,
                owner=a.owner,
                country=a.country,
                due_on=a.due_on,
                done_at=a.done_at,
            )
            for a in teams.actions(session, team.id)
        ],
    )
