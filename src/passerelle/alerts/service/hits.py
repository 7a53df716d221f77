"""Checks against the alerts, hit reports (art. 37(1)) and their 12-hour answers.

A check screens a person against the node's ``alerts`` watchlist; matches are candidates for a
human. A confirmed hit becomes a hit report sent to the issuing node, which has
``rules.SIRENE_ANSWER_WITHIN`` to answer; both sides track that deadline.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx
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
from passerelle.alerts.service import exchange, register
from passerelle.alerts.service.hooks import run_in_session
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.identity.watchlists import node_watchlists
from passerelle.node import Node
from passerelle.privacy.accounts import Principal

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
        details={"check": data.family_name, "candidates": sorted(best)},
    )
    return sorted(best.values(), key=lambda c: -c.score)


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


async def send_report(
    node: Node, client: httpx.AsyncClient, principal: Principal, report_id: str
) -> HitReport:
    """Send a hit report to the issuing node and record whether it was accepted."""

    def load(session: Session) -> tuple[HitReport, dict[str, Any] | None]:
        row = get(session, report_id)
        if row.direction != "out" or row.delivery == "delivered":
            return row, None
        return row, {"report": to_out(row, node.clock.now()).model_dump(mode="json")}

    row, payload = await run_in_session(node, load)
    if payload is None:
        return row
    peer, case = row.issuing_node, f"HIT-{row.alert_reference}"
    result = await exchange.send(
        node,
        client,
        principal,
        kind="alerts.hit_report",
        payload=payload,
        peers=[peer],
        case_ref=case,
        purpose=PURPOSE,
    )

    def record(session: Session) -> HitReport:
        row = get(session, report_id)
        if result is None:
            row.delivery, row.delivery_detail = "queued", f"{peer} is not a registered peer"
        else:
            row.query_id = result.id
            row.delivery, detail = exchange.outcome(result, peer)
            row.delivery_detail = detail[:300]
        return row

    return await run_in_session(node, record)


def refresh(session: Session, row: HitReport) -> None:
    """Take in an acceptance (or refusal) that came after the report left the outbox late."""
    if row.direction != "out" or row.delivery != "queued" or row.query_id is None:
        return
    try:
        query = federation.get_query(session, row.query_id)
    except NotFound:
        return
    answer = next((a for a in query.answers if a.peer == row.issuing_node), None)
    if answer is not None and answer.status in ("hit", "error", "no_hit"):
        row.delivery = "delivered" if answer.status == "hit" else "refused"
        row.delivery_detail = (
            f"accepted by {answer.peer}" if answer.status == "hit" else answer.detail
        )[:300]


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


async def send_answer(
    node: Node, client: httpx.AsyncClient, principal: Principal, report_id: str
) -> None:

    def load(session: Session) -> tuple[HitReport, dict[str, Any]]:
        row = get(session, report_id)
        payload = {
            "report_id": row.id,
            "answer": row.answer or "",
            "answered_at": (row.answered_at or node.clock.now()).isoformat(),
        }
        return row, payload

    row, payload = await run_in_session(node, load)
    if row.executing_node == node.code:
        return
    peer, case = row.executing_node, f"HIT-{row.alert_reference}"
    await exchange.send(
        node,
        client,
        principal,
        kind="alerts.hit_answer",
        payload=payload,
        peers=[peer],
        case_ref=case,
        purpose=PURPOSE,
    )


def get(session: Session, report_id: str) -> HitReport:
    row = session.get(HitReport, report_id)
    if row is None:
        raise NotFound(f"no hit report {report_id}")
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


@exchange.receiver("alerts.hit_report", "An art. 37(1) hit report on an alert issued here.")
def _receive_report(payload: Mapping[str, Any], node: Node) -> tuple[str, Any]:
    sender = exchange.sender(payload)
    data = payload.get("report")
    if not isinstance(data, dict):
        raise ValidationFailed("the hit report is missing")
    issuer = register.issuer_of(node, str(data.get("alert_id", "")))
    if issuer not in (node.code, "?"):
        raise ValidationFailed(f"no active alert {data.get('alert_reference')} issued here")
    received = node.clock.now()

    def write(session: Session) -> None:
        if session.get(HitReport, data["id"]) is not None:
            return
        alert = session.get(Alert, data["alert_id"])
        if alert is None or alert.issuing_node != node.code:
            return  # only reachable before the watchlist is loaded; nothing to record
        row = HitReport(
            id=data["id"],
            direction="in",
            alert_id=data["alert_id"],
            alert_reference=data["alert_reference"],
            issuing_node=node.code,
            executing_node=sender,
            source=str(data.get("source", "api")),
            score=data.get("score"),
            content=dict(data.get("content") or {}),
            created_at=received,
            created_by=f"peer:{sender}:{data.get('created_by', '')}"[:100],
            answer_due_at=received + rules.SIRENE_ANSWER_WITHIN,
            delivery="received",
        )
        session.add(row)
        node.audit(
            session,
            register.peer_actor(sender),
            action="write",
            object_type="alert.hit_report",
            object_id=row.id,
            purpose=PURPOSE,
            legal_basis=rules.HIT_REPORT_SOURCE,
        )

    return str(data["id"]), write


@exchange.receiver("alerts.hit_answer", "The issuing node's answer to a hit report.")
def _receive_answer(payload: Mapping[str, Any], node: Node) -> tuple[str, Any]:
    sender = exchange.sender(payload)
    report_id = str(payload.get("report_id", ""))

    def write(session: Session) -> None:
        row = session.get(HitReport, report_id)
        if row is None or row.issuing_node != sender or row.answered_at is not None:
            return
        row.answered_at = node.clock.now()
        row.answer = str(payload.get("answer", ""))[:4000]
        node.audit(
            session,
            register.peer_actor(sender),
            action="write",
            object_type="alert.hit_report",
            object_id=row.id,
            purpose=PURPOSE,
            legal_basis=rules.SIRENE_ANSWER_SOURCE,
        )

    return report_id, write
