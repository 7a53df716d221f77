"""Checks against the alerts, hit reports (art. 37(1)) and their 12-hour answers.

A check screens a person against the node's ``alerts`` watchlist; matches are candidates for a
human. A confirmed hit becomes a hit report sent to the issuing node, which has
``rules.SIRENE_ANSWER_WITHIN`` to answer; both sides track that deadline.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.alerts import rules
from passerelle.alerts.model import Alert, HitReport
from passerelle.alerts.schemas import (
    CandidateOut,
    HitReportIn,
    HitReportOut,
    PersonCheckIn,
)
from passerelle.alerts.service import checks, exchange, register
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.identity import node_watchlists
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal

PURPOSE = "hit on a SIS-style alert"


def check(
    session: Session, node: Node, principal: Principal, data: PersonCheckIn
) -> list[CandidateOut]:
    """Screen a checked person against the alerts; candidates only, for a human to confirm."""
    register.ensure_loaded(session, node)
    record = register.person_record(
        data.family_name,
        data.given_names,
        data.date_of_birth,
        data.nationality,
        data.document_number,
    )
    best: dict[str, CandidateOut] = {}
    now = node.clock.now()
    for listed in node_watchlists(node.state).screen(record, data.threshold):
        if listed.list_name != register.LIST_NAME:
            continue
        alert_id = register.alert_of_entry(listed.match.entry_id)
        if alert_id in best and best[alert_id].score >= listed.match.score:
            continue
        alert = session.get(Alert, alert_id)
        if alert is None or alert.status != "active" or alert.valid_until <= now:
            continue  # expired since the last retention run: no longer an alert
        best[alert_id] = CandidateOut(
            alert=register.to_out(alert),
            score=round(listed.match.score, 4),
            explanation=listed.match.to_dict(),
        )
    register.access(principal, node).trace(
        session,
        "read",
        "alert",
        "*",
        now=node.clock.now(),
        details=_check_details(node, data, sorted(best)),
    )
    return sorted(best.values(), key=lambda c: -c.score)


def _check_details(node: Node, data: PersonCheckIn, candidates: list[str]) -> dict[str, Any]:
    """What the audit keeps of a check: keyed hashes of the query (``checks.lookup``), and the
    name only when the check found candidates."""
    details: dict[str, Any] = {
        "checked": checks.hashes(node, data.family_name, data.given_names, data.date_of_birth),
        "candidates": candidates,
    }
    if candidates:
        details["check"] = data.family_name
    return details


def _content(data: HitReportIn, category: str) -> dict[str, Any]:
    """The report's content: the art. 37(1) list, or the 37b(1) list for a 37a alert."""
    fields, source = rules.hit_report_fields(category)
    given = data.model_dump(mode="json", exclude={"alert_id", "source", "score"})
    extra = sorted(k for k, v in given.items() if k not in fields and v not in ("", {}, None))
    if extra:
        raise ValidationFailed(
            f"a hit report on a {category} alert carries only the {source} list; "
            f"remove: {', '.join(extra)}",
            fields=extra,
        )
    content = {k: v for k, v in given.items() if k in fields}
    content["located"] = True
    return content


def report(session: Session, node: Node, principal: Principal, data: HitReportIn) -> HitReport:
    """Record a confirmed hit and its art. 37(1) content; sending is :func:`send_report`."""
    alert = session.get(Alert, data.alert_id)
    if alert is None or alert.status != "active":
        raise NotFound(f"no active alert {data.alert_id}")
    if alert.category == rules.QUESTIONS_CATEGORY:
        unanswered = [q for q in alert.questions if not data.answers.get(q, "").strip()]
        if unanswered:
            raise ValidationFailed(
                "an inquiry check answers every question of the issuing country "
                f"({rules.HIT_REPORT_SOURCE}{rules.ANSWERS_POINT}); unanswered: "
                + "; ".join(unanswered)
            )
    now = node.clock.now()
    local = alert.issuing_node == node.code
    row = HitReport(
        id=str(uuid.uuid4()),
        direction="in" if local else "out",
        alert_id=alert.id,
        alert_reference=alert.reference,
        issuing_node=alert.issuing_node,
        executing_node=node.code,
        source=data.source,
        score=data.score,
        content=_content(data, alert.category),
        created_at=now,
        created_by=principal.name,
        answer_due_at=now + rules.SIRENE_ANSWER_WITHIN,
        delivery="local" if local else "pending",
    )
    session.add(row)
    session.flush()
    register.access(principal, node).trace(
        session,
        "write",
        "alert.hit_report",
        row.id,
        now=now,
        details={"alert": alert.reference, "issuer": alert.issuing_node},
    )
    return row


REPORT = "alerts.hit_report"
ANSWER = "alerts.hit_answer"


class HitReportMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report: HitReportOut


class HitAnswerMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: str = Field(max_length=36)
    answer: str = Field(max_length=4000)
    answered_at: datetime


def send_report(
    session: Session, node: Node, principal: Principal, row: HitReport
) -> list[federation.DeliveryState]:
    """In the report's transaction: send it to the issuing node (its policy decides how)."""
    if row.direction != "out" or row.delivery == "delivered":
        return []
    message = HitReportMessage(report=to_out(row, node.clock.now()))
    states = exchange.send(
        session,
        node,
        principal,
        REPORT,
        peers=[row.issuing_node],
        payload=message,
        case_ref=f"HIT-{row.alert_reference}",
        purpose=PURPOSE,
    )
    if not states:
        row.delivery, row.delivery_detail = "queued", f"{row.issuing_node} is not a registered peer"
    for state in states:
        row.delivery, detail = exchange.outcome(state)
        row.delivery_detail = detail[:300]
    return states


def refresh(session: Session, row: HitReport) -> None:
    """Take in where the report's message stands now (approved, delivered, refused later)."""
    if row.direction != "out" or row.delivery in ("local", "delivered"):
        return
    states = federation.sent_about(session, REPORT, row.id)
    if states:
        label, detail = exchange.outcome(states[-1])
        row.delivery, row.delivery_detail = label[:12], detail[:300]


def answer(
    session: Session, node: Node, principal: Principal, report_id: str, text: str
) -> HitReport:
    """The issuing node's answer to a received hit report (SIRENE, 12 hours)."""
    row = get(session, report_id)
    if row.direction != "in":
        raise Conflict("only the issuing node answers a hit report")
    if row.answered_at is not None:
        raise Conflict("this hit report was already answered")
    row.answered_at, row.answer = node.clock.now(), text
    register.access(principal, node).trace(
        session,
        "write",
        "alert.hit_report",
        row.id,
        now=node.clock.now(),
        details={"answered": True, "overdue": row.answered_at > row.answer_due_at},
    )
    return row


def send_answer(
    session: Session, node: Node, principal: Principal, row: HitReport
) -> list[federation.DeliveryState]:
    """In the answer's transaction: send it back to the node that reported the hit."""
    if row.executing_node == node.code:
        return []
    message = HitAnswerMessage(
        report_id=row.id,
        answer=row.answer or "",
        answered_at=row.answered_at or node.clock.now(),
    )
    return exchange.send(
        session,
        node,
        principal,
        ANSWER,
        peers=[row.executing_node],
        payload=message,
        case_ref=f"HIT-{row.alert_reference}",
        purpose=PURPOSE,
    )


def current(session: Session, report_id: str) -> HitReport:
    """A report with its delivery brought up to date."""
    row = get(session, report_id)
    refresh(session, row)
    return row


def get(session: Session, report_id: str) -> HitReport:
    row = session.get(HitReport, report_id)
    if row is None:
        raise NotFound(f"no hit report {report_id}")
    return row


def read(session: Session, node: Node, principal: Principal, report_id: str) -> HitReport:
    """One hit report with every art. 37(1) field it carries; the read is audited."""
    row = get(session, report_id)
    refresh(session, row)
    register.access(principal, node).trace(
        session, "read", "alert.hit_report", row.id, now=node.clock.now()
    )
    return row


def listing(
    session: Session, node: Node, principal: Principal, *, direction: str = "", limit: int = 200
) -> list[HitReport]:
    conditions = [HitReport.direction == direction] if direction else []
    rows = list(
        session.scalars(
            select(HitReport).where(*conditions).order_by(HitReport.created_at.desc()).limit(limit)
        )
    )
    for row in rows:
        refresh(session, row)
    register.access(principal, node).trace(
        session,
        "read",
        "alert.hit_report",
        "*",
        now=node.clock.now(),
        details={"results": len(rows)},
    )
    return rows


def to_out(row: HitReport, now: datetime) -> HitReportOut:
    return HitReportOut(
        overdue=row.answered_at is None and row.answer_due_at < now,
        **{k: getattr(row, k) for k in HitReportOut.model_fields if k != "overdue"},
    )


# ---- receiving ------------------------------------------------------------------------------


def _receive_report(session: Session, node: Node, received: federation.Received) -> None:
    message = received.payload
    assert isinstance(message, HitReportMessage)
    data, sender = message.report, received.sender
    alert = session.get(Alert, data.alert_id)
    if alert is None or alert.issuing_node != node.code or alert.status != "active":
        raise ValidationFailed(f"no active alert {data.alert_reference} issued here")
    if session.get(HitReport, data.id) is not None:
        raise ValidationFailed(f"hit report {data.id} was already received")
    now = node.clock.now()
    session.add(
        HitReport(
            id=data.id,
            direction="in",
            alert_id=alert.id,
            alert_reference=alert.reference,
            issuing_node=node.code,
            executing_node=sender,
            source=data.source,
            score=data.score,
            content=dict(data.content),
            created_at=now,
            created_by=f"peer:{sender}:{data.created_by}"[:100],
            answer_due_at=now + rules.SIRENE_ANSWER_WITHIN,
            delivery="received",
        )
    )


def _receive_answer(session: Session, node: Node, received: federation.Received) -> None:
    message = received.payload
    assert isinstance(message, HitAnswerMessage)
    row = session.get(HitReport, message.report_id)
    if row is None or row.issuing_node != received.sender or row.direction != "out":
        raise ValidationFailed(f"no hit report {message.report_id} sent to {received.sender}")
    if row.answered_at is None:
        row.answered_at = node.clock.now()
        row.answer = message.answer


def held(session: Session, report_ids: Sequence[str]) -> set[str]:
    """The hit reports among ``report_ids`` this node still holds."""
    return set(session.scalars(select(HitReport.id).where(HitReport.id.in_(list(report_ids)))))


#: A report is kept while its alert exists and one year after (art. 64(2)): its body never
#: outlives the longest alert period plus that year, and goes earlier with the report (``held``).
_REPORT_RETENTION = federation.BodyRetention(
    keep_for=max(c.review_within for c in rules.CATEGORIES.values()) + rules.HIT_REPORT_RETENTION,
    source=rules.HIT_REPORT_RETENTION_SOURCE,
    description="Bodies of hit reports and answers are erased when the report leaves this node.",
    held=held,
)
exchange.register(
    REPORT,
    HitReportMessage,
    _receive_report,
    description="An art. 37(1) hit report on an alert issued by the receiving node.",
    personal=True,
    received=N_("hit report received"),
    reference=lambda m: m.report.id,
    retention=_REPORT_RETENTION,
    default_policy="automatic",
    legal_basis=rules.HIT_REPORT_SOURCE,
    source=rules.HIT_REPORT_SOURCE,
)
exchange.register(
    ANSWER,
    HitAnswerMessage,
    _receive_answer,
    description="The issuing node's answer to a hit report (SIRENE, 12 hours).",
    personal=True,
    received=N_("hit answer received"),
    reference=lambda m: m.report_id,
    retention=_REPORT_RETENTION,
    default_policy="automatic",
    legal_basis=rules.SIRENE_ANSWER_SOURCE,
    source=rules.SIRENE_ANSWER_SOURCE,
)
