"""The JIT package's pending work on the console home page (counts only, no personal data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.domains import WorkItem
from passerelle.jit.model import Member, Statement, Team
from passerelle.jit.service import statements, teams
from passerelle.kit.i18n import N_
from passerelle.privacy import Principal

USERS = ("analyst", "supervisor")


def _awaiting(session: Session, principal: Principal) -> int:
    """Statements of open JITs whose latest version waits for this leader's country."""
    count = 0
    led = session.execute(
        select(Member.team_id, Member.country).where(
            Member.role == "leader", Member.login == principal.name
        )
    ).all()
    for team_id, country in led:
        team = session.get(Team, team_id)
        if team is None or team.status != "open":
            continue
        for row in session.scalars(select(Statement).where(Statement.team_id == team_id)):
            state = statements.state(session, team, row)
            if not state.publishable and country not in state.approved_by:
                count += 1
    return count


def work(session: Session, principal: Principal, now: datetime) -> list[WorkItem]:
    if not principal.has_any(USERS):
        return []
    items = []
    awaiting = _awaiting(session, principal)
    if awaiting:
        items.append(WorkItem(N_("Press statements awaiting your approval"), awaiting, "/jit"))
    overdue = teams.overdue_actions(session, now)
    if overdue:
        items.append(WorkItem(N_("JIT actions past their deadline"), overdue, "/jit", True))
    return items
