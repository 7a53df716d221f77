"""Review periods of alerts (art. 53): extension after a recorded individual assessment (53(6)),
the warning to the issuer before the automatic deletion (53(7)) and the deletion of withdrawn
alerts once their purpose is achieved (art. 55) — the latter two run with the retention rules.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Alert
from passerelle.alerts.schemas import ExtensionIn
from passerelle.alerts.service import register
from passerelle.errors import ValidationFailed
from passerelle.node import Node
from passerelle.privacy import Principal, audit, retention


def review(
    session: Session, node: Node, principal: Principal, alert_id: str, data: ExtensionIn
) -> Alert:
    """Extend an alert after a recorded individual assessment (art. 53(6)): who (the signed-in
    user and agency), why it is kept and what was assessed; a new review period starts."""
    register.ensure_loaded(session, node)
    alert = register.own(session, node, alert_id)
    reason, assessment = data.reason.strip(), data.assessment.strip()
    short = [
        name
        for name, text in (("reason", reason), ("assessment", assessment))
        if len(text) < rules.EXTENSION_MIN_TEXT
    ]
    if short:
        raise ValidationFailed(
            "an extension needs a recorded individual assessment "
            f"({rules.EXTENSION_SOURCE}): state why the alert is kept (reason) and what was "
            f"assessed (assessment), each at least {rules.EXTENSION_MIN_TEXT} characters",
            missing=short,
        )
    now = node.clock.now()
    longest = now + rules.CATEGORIES[alert.category].review_within
    until = longest
    if data.valid_until is not None:
        until = datetime.combine(data.valid_until, time(23, 59, 59), tzinfo=UTC)
        if until <= now or until > longest:
            raise ValidationFailed(
                "the new end of validity is in the past or beyond the category's review period "
                f"({rules.CATEGORIES[alert.category].review_source})",
                field="valid_until",
            )
    record = {
        "at": now.isoformat(),
        "by": principal.name,
        "agency": principal.agency,
        "reason": reason,
        "assessment": assessment,
        "previous_until": alert.valid_until.isoformat(),
        "until": until.isoformat(),
        "source": rules.EXTENSION_SOURCE,
    }
    alert.extensions = [*alert.extensions, record]
    alert.reviewed_at, alert.valid_until, alert.updated_at = now, until, now
    alert.expiry_warned_at = None
    register.access(principal, node).trace(
        session,
        "write",
        "alert",
        alert.id,
        now=now,
        details={"review": "extended", "until": record["until"], "reason": reason[:200]},
    )
    register.publish_after_commit(session, node, alert)
    return alert


def expiring(session: Session, node: Node) -> list[Alert]:
    """Active alerts issued here whose automatic deletion (art. 53(7)) falls within the warning
    period, soonest first."""
    now = node.clock.now()
    return list(
        session.scalars(
            select(Alert)
            .where(
                Alert.issuing_node == node.code,
                Alert.status == "active",
                Alert.valid_until <= now + rules.EXPIRY_WARNING_BEFORE,
            )
            .order_by(Alert.valid_until)
        )
    )


def warn_expiring(session: Session, now: datetime) -> int:
    """Warn the issuer once of each own alert whose automatic deletion falls within
    ``rules.EXPIRY_WARNING_BEFORE``: the alert is stamped and the warning audited (the console
    and ``GET /api/v1/alerts/expiring`` list them). Returns the number of new warnings."""
    node_code = str(session.info.get(retention.NODE_KEY, ""))
    rows = list(
        session.scalars(
            select(Alert).where(
                Alert.issuing_node == node_code,
                Alert.status == "active",
                Alert.expiry_warned_at.is_(None),
                Alert.valid_until <= now + rules.EXPIRY_WARNING_BEFORE,
            )
        )
    )
    for alert in rows:
        alert.expiry_warned_at = now
        audit.record(
            session,
            node=node_code,
            actor=audit.SYSTEM,
            action="write",
            object_type="alert",
            object_id=alert.id,
            purpose="warning before automatic deletion",
            legal_basis=rules.EXPIRY_SOURCE,
            details={
                "expiry_warning": alert.reference,
                "deleted_on": alert.valid_until.isoformat(),
                "issuer": alert.created_by,
            },
            now=now,
        )
    return len(rows)
