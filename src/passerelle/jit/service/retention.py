"""Retention of every JIT record class, registered with the privacy framework.

Evidence content (operational data) goes as soon as every intended recipient has downloaded
it and never later than four weeks after upload (Reg. 2023/969 art. 21); the metadata and the
signed custody trail stay with the workspace, which goes five years after the JIT closed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from passerelle.jit import rules
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
    Upload,
)
from passerelle.privacy import RetentionRule
from passerelle.settings import Settings


def _downloaded(session: Session, item: Evidence) -> set[str]:
    return set(
        session.scalars(
            select(Custody.node).where(
                Custody.evidence_id == item.id, Custody.event == "downloaded"
            )
        )
    )


def _content(settings: Settings, session: Session, cutoff: datetime) -> int:
    now = cutoff + rules.EVIDENCE_MAX_STORAGE
    count = 0
    rows = session.scalars(select(Evidence).where(Evidence.content_deleted_at.is_(None)))
    for item in rows:
        expired = item.uploaded_at < cutoff
        if not expired and not set(item.recipients) <= _downloaded(session, item):
            continue
        if item.path:
            Path(item.path).unlink(missing_ok=True)
        partial = settings.data_dir / "jit" / "incoming" / f"{item.id}.part"
        partial.unlink(missing_ok=True)
        item.path = None
        item.content_deleted_at = now
        count += 1
    return count


def _uploads(session: Session, cutoff: datetime) -> int:
    old = list(session.scalars(select(Upload).where(Upload.created_at < cutoff)))
    for row in old:
        if row.evidence_id is None:
            Path(row.path).unlink(missing_ok=True)
        session.delete(row)
    return len(old)


def _workspaces(session: Session, cutoff: datetime) -> int:
    teams = list(session.scalars(select(Team.id).where(Team.closed_at < cutoff)))
    if not teams:
        return 0
    items = select(Evidence.id).where(Evidence.team_id.in_(teams))
    for path in session.scalars(select(Evidence.path).where(Evidence.team_id.in_(teams))):
        if path:
            Path(path).unlink(missing_ok=True)
    statements = select(Statement.id).where(Statement.team_id.in_(teams))
    session.execute(delete(Custody).where(Custody.evidence_id.in_(items)))
    session.execute(delete(Approval).where(Approval.statement_id.in_(statements)))
    session.execute(delete(StatementVersion).where(StatementVersion.statement_id.in_(statements)))
    for model in (Evidence, Statement, Action, Member, AgreementVersion, Upload):
        session.execute(delete(model).where(model.team_id.in_(teams)))
    session.execute(delete(Team).where(Team.id.in_(teams)))
    return len(teams)


def retention_rules(settings: Settings) -> list[RetentionRule]:
    return [
        RetentionRule(
            "jit.evidence_content",
            "Evidence content is deleted once every intended recipient has downloaded it, and "
            "never later than four weeks after upload; its custody trail stays.",
            rules.EVIDENCE_SOURCE,
            delete_after=rules.EVIDENCE_MAX_STORAGE,
            delete=lambda session, cutoff: _content(settings, session, cutoff),
        ),
        RetentionRule(
            "jit.upload",
            "Upload records (and the bytes of uploads never completed) are deleted seven days "
            "after the upload started.",
            rules.UPLOAD_SOURCE,
            delete_after=rules.UPLOAD_RETENTION,
            delete=_uploads,
        ),
        RetentionRule(
            "jit.workspace",
            "A JIT's workspace (agreement, members, planning, statements, evidence metadata and "
            "custody trail) is deleted five years after the JIT closed.",
            rules.WORKSPACE_SOURCE,
            delete_after=rules.WORKSPACE_RETENTION,
            delete=_workspaces,
        ),
    ]
