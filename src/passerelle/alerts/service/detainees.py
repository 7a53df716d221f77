"""Detainee follow-up and the release calendar ("les sortants").

Each release gets the steps due before it (``rules.RELEASE_STEPS``) with their deadlines; a
step not done by its deadline is overdue. When a detainee has links with a peer's country, the
release is notified to that peer, where it appears in its calendar too.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.alerts import rules
from passerelle.alerts.model import Detainee, Proposal, Release, ReleaseStep
from passerelle.alerts.schemas import (
    AssessmentIn,
    DetaineeIn,
    DetaineeOut,
    ProposalOut,
    ReleaseIn,
    ReleaseOut,
    StepOut,
)
from passerelle.alerts.service import criteria
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.privacy import Access, Principal

PURPOSE = "follow-up of detainees before release"
LEGAL_BASIS = "Joint declaration FR-BE 11 June 2018; Directive (EU) 2016/680 art. 8"
#: The federation message type of a release notice (``notices``).
NOTICE = "alerts.release_notice"


def _access(principal: Principal, node: Node) -> Access:
    return Access(principal, node.code, PURPOSE, LEGAL_BASIS)


def create(session: Session, node: Node, principal: Principal, data: DetaineeIn) -> Detainee:
    """Follow a detainee in scope."""
    row = insert(session, node, principal, data)
    _access(principal, node).trace(session, "write", "detainee", row.id, now=row.created_at)
    return row


def insert(session: Session, node: Node, principal: Principal, data: DetaineeIn) -> Detainee:
    """:func:`create` without its audit entry — for synthetic demo data only."""
    missing = [n for n in ("family_name", "date_of_birth") if not (getattr(data, n) or "").strip()]
    if missing:
        raise ValidationFailed(f"a detainee needs {' and '.join(missing)}", missing=missing)
    if data.scope not in rules.DETAINEE_SCOPES:
        raise ValidationFailed(
            f"unknown scope {data.scope!r}; known: {', '.join(rules.DETAINEE_SCOPES)}"
        )
    unknown = sorted(set(data.facts) - set(rules.KNOWN_FACTS))
    if unknown:
        raise ValidationFailed(f"unknown fact(s) {', '.join(unknown)}")
    facts = set(data.facts) | {data.scope}
    if data.links:
        facts.add("links_abroad")
    now = node.clock.now()
    row = Detainee(
        id=str(uuid.uuid4()),
        family_name=data.family_name or "",
        given_names=data.given_names,
        date_of_birth=data.date_of_birth or "",
        nationality=data.nationality,
        scope=data.scope,
        institution=data.institution,
        offences=data.offences,
        facts=sorted(facts),
        links=[link.model_dump() for link in data.links],
        assessments=[],
        measures=data.measures,
        origin=node.code,
        created_at=now,
        created_by=principal.name,
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, detainee_id: str) -> Detainee:
    row = session.get(Detainee, detainee_id)
    if row is None:
        raise NotFound(f"no detainee {detainee_id}")
    return row


def assess(
    session: Session, node: Node, principal: Principal, detainee_id: str, data: AssessmentIn
) -> Detainee:
    row = get(session, detainee_id)
    now = node.clock.now()
    row.assessments = [
        *row.assessments,
        {
            "on": now.date().isoformat(),
            "risk": data.risk,
            "summary": data.summary,
            "by": principal.name,
        },
    ]
    facts = set(row.facts) - {"high_risk_assessment"}
    if data.risk == "high":
        facts.add("high_risk_assessment")
    row.facts = sorted(facts)
    _mark_step(session, row.id, "assessment", principal, now)
    _access(principal, node).trace(
        session, "write", "detainee", row.id, now=now, details={"assessment": data.risk}
    )
    return row


def add_release(
    session: Session, node: Node, principal: Principal, detainee_id: str, data: ReleaseIn
) -> Release:
    """Plan a release and its steps; the release date may not be in the past."""
    release = insert_release(session, node, detainee_id, data)
    _access(principal, node).trace(
        session, "write", "detainee.release", release.id, now=release.created_at
    )
    return release


def insert_release(session: Session, node: Node, detainee_id: str, data: ReleaseIn) -> Release:
    """:func:`add_release` without its audit entry — for synthetic demo data only."""
    detainee = get(session, detainee_id)
    if data.kind not in rules.RELEASE_KINDS:
        raise ValidationFailed(
            f"unknown release kind {data.kind!r}; known: {', '.join(rules.RELEASE_KINDS)}"
        )
    now = node.clock.now()
    if data.release_date < now.date():
        raise ValidationFailed(
            f"the release date {data.release_date.isoformat()} is in the past",
            field="release_date",
        )
    release = Release(
        id=str(uuid.uuid4()),
        detainee_id=detainee.id,
        kind=data.kind,
        release_date=data.release_date,
        created_at=now,
        notified=[],
    )
    session.add(release)
    days = rules.step_days()
    for step in rules.RELEASE_STEPS:
        # A step whose lead time has already passed is due today, never in the past.
        due = max(data.release_date - timedelta(days=days[step]), now.date())
        session.add(
            ReleaseStep(
                id=str(uuid.uuid4()), release_id=release.id, step=step, due_date=due, note=""
            )
        )
    session.flush()
    return release


def complete_step(session: Session, node: Node, principal: Principal, step_id: str) -> ReleaseStep:
    step = session.get(ReleaseStep, step_id)
    if step is None:
        raise NotFound(f"no release step {step_id}")
    if step.done_at is not None:
        raise Conflict("this step is already done")
    step.done_at, step.done_by = node.clock.now(), principal.name
    _access(principal, node).trace(
        session,
        "write",
        "detainee.release",
        step.release_id,
        now=node.clock.now(),
        details={"step": step.step},
    )
    return step


def _mark_step(
    session: Session, detainee_id: str, step: str, principal: Principal, now: Any
) -> None:
    for row in session.scalars(
        select(ReleaseStep)
        .join(Release, Release.id == ReleaseStep.release_id)
        .where(
            Release.detainee_id == detainee_id,
            ReleaseStep.step == step,
            ReleaseStep.done_at.is_(None),
        )
    ):
        row.done_at, row.done_by = now, principal.name


def _facts(session: Session, detainee: Detainee, node: Node) -> set[str]:
    """The detainee's facts, plus ``sentence_execution`` when the next planned release is a
    conditional release or leave (art. 36(3)(b) covers only the execution of a sentence)."""
    facts = set(detainee.facts) - {"sentence_execution"}
    upcoming = session.scalars(
        select(Release.kind)
        .where(Release.detainee_id == detainee.id, Release.release_date >= node.clock.now().date())
        .order_by(Release.release_date)
    ).first()
    if upcoming in rules.SENTENCE_EXECUTION_KINDS:
        facts.add("sentence_execution")
    return facts


def propose(session: Session, node: Node, principal: Principal, detainee_id: str) -> Proposal:
    """Apply the catalogue version in force here to the detainee's facts."""
    detainee = get(session, detainee_id)
    catalogue = criteria.ensure_default(session, node)
    fired = criteria.evaluate(catalogue.criteria, _facts(session, detainee, node))
    first = fired[0] if fired else None
    now = node.clock.now()
    row = Proposal(
        id=str(uuid.uuid4()),
        detainee_id=detainee.id,
        catalogue_publisher=catalogue.publisher,
        catalogue_version=catalogue.version,
        category=first["category"] if first else None,
        action=first["action"] if first else None,
        fired=fired,
        created_at=now,
        created_by=principal.name,
        status="proposed",
    )
    session.add(row)
    _mark_step(session, detainee.id, "alert_proposal", principal, now)
    session.flush()
    _access(principal, node).trace(
        session,
        "write",
        "detainee.proposal",
        row.id,
        now=now,
        details={"catalogue": f"{catalogue.publisher}/{catalogue.version}"},
    )
    return row


def proposals(session: Session, detainee_id: str) -> list[Proposal]:
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.detainee_id == detainee_id)
            .order_by(Proposal.created_at.desc())
        )
    )


def calendar(
    session: Session,
    node: Node,
    principal: Principal,
    *,
    start: date | None = None,
    end: date | None = None,
    audit: bool = True,
) -> list[ReleaseOut]:
    """Releases between ``start`` and ``end`` (inclusive) with their steps, soonest first."""
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(Release.release_date >= start)
    if end is not None:
        conditions.append(Release.release_date <= end)
    rows = session.execute(
        select(Release, Detainee)
        .join(Detainee, Detainee.id == Release.detainee_id)
        .where(*conditions)
        .order_by(Release.release_date)
    ).all()
    today = node.clock.now().date()
    out = [_release_out(session, release, detainee, today) for release, detainee in rows]
    if audit:
        _access(principal, node).trace(
            session,
            "read",
            "detainee.release",
            "*",
            now=node.clock.now(),
            details={"results": len(out)},
        )
    return out


def notified(session: Session, release: Release) -> list[str]:
    """The peers that received the notice of ``release`` (from federation's outbox)."""
    sent = federation.sent_about(session, NOTICE, release.id)
    return sorted({s.peer for s in sent if s.status == "delivered"} | set(release.notified))


def _release_out(session: Session, release: Release, detainee: Detainee, today: date) -> ReleaseOut:
    steps = session.scalars(
        select(ReleaseStep)
        .where(ReleaseStep.release_id == release.id)
        .order_by(ReleaseStep.due_date)
    ).all()
    name = " ".join(p for p in (detainee.given_names, detainee.family_name) if p)
    return ReleaseOut(
        id=release.id,
        detainee_id=detainee.id,
        detainee_name=name,
        origin=detainee.origin,
        scope=detainee.scope,
        institution=detainee.institution,
        kind=release.kind,
        release_date=release.release_date,
        notified=notified(session, release),
        steps=[
            StepOut(
                id=s.id,
                step=s.step,
                label=rules.RELEASE_STEPS[s.step][0],
                due_date=s.due_date,
                done_at=s.done_at,
                done_by=s.done_by,
                overdue=s.done_at is None and s.due_date < today,
            )
            for s in steps
        ],
    )


def detail(session: Session, node: Node, principal: Principal, detainee_id: str) -> DetaineeOut:
    row = get(session, detainee_id)
    today = node.clock.now().date()
    releases = session.scalars(
        select(Release).where(Release.detainee_id == row.id).order_by(Release.release_date)
    ).all()
    _access(principal, node).trace(session, "read", "detainee", row.id, now=node.clock.now())
    return DetaineeOut(
        releases=[_release_out(session, r, row, today) for r in releases],
        **{k: getattr(row, k) for k in DetaineeOut.model_fields if k != "releases"},
    )


def proposal_out(row: Proposal) -> ProposalOut:
    return ProposalOut(**{k: getattr(row, k) for k in ProposalOut.model_fields})
