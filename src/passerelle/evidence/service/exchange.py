"""The art. 8 and art. 12 exchanges between issuing and enforcing authorities, as federation
domain message types under sharing policies:

- ``evidence.notification`` (issuing -> enforcing state): the certificate of a production
  order for traffic or content data, sent when the order is issued;
- ``evidence.refusal`` (enforcing -> issuing state): a ground for refusal raised within the
  review window (10 days, 96 hours in an emergency); the issuing node closes the order.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.evidence import rules
from passerelle.evidence.model import Notification, Order
from passerelle.evidence.service.common import PURPOSE, trace
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal

NOTIFICATION = "evidence.notification"
REFUSAL = "evidence.refusal"


class NotificationPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=1, max_length=24)
    review_until: AwareDatetime
    certificate: dict[str, Any]


class RefusalPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field(min_length=1, max_length=24)
    ground: str = Field(min_length=1, max_length=40)
    reason: str = Field(default="", max_length=4000)


def _ref(payload: BaseModel) -> str:
    return str(getattr(payload, "reference", ""))


def _held(session: Session, references: Sequence[str]) -> Collection[str]:
    if not references:
        return []
    mine = session.scalars(select(Order.reference).where(Order.reference.in_(references)))
    theirs = session.scalars(
        select(Notification.reference).where(Notification.reference.in_(references))
    )
    return {*mine, *theirs}


def _on_notification(
    session: Session, node: Node, received: federation.Received
) -> Mapping[str, Any]:
    p = received.payload
    assert isinstance(p, NotificationPayload)
    row = Notification(id=str(uuid.uuid4()), sender=received.sender, reference=p.reference,
                       received_at=node.clock.now(), review_until=p.review_until,
                       certificate=p.certificate, refusal_ground="", refusal_reason="")  # fmt: skip
    session.add(row)
    session.flush()
    return {"notification": row.id}


def _on_refusal(session: Session, node: Node, received: federation.Received) -> Mapping[str, Any]:
    p = received.payload
    assert isinstance(p, RefusalPayload)
    order = session.scalars(select(Order).where(Order.reference == p.reference)).first()
    if order is None or order.enforcing_country != received.sender:
        raise NotFound(f"no order {p.reference} enforced by {received.sender}")
    order.status, order.refusal_ground = "refused", p.ground
    order.closed_at = node.clock.now()
    return {"order": order.reference}


def register_types() -> None:
    """Declare both message types to federation (idempotent)."""
    retention = federation.BodyRetention(
        keep_for=rules.ORDER_RETENTION, source=rules.ORDER_RETENTION_SOURCE,
        description="A notification or refusal lives as long as the order it concerns.",
        held=_held,
    )  # fmt: skip
    federation.register_message_type(
        NOTIFICATION, NotificationPayload, _on_notification,
        description="Art. 8 notification of a production order for traffic or content data "
        "to the enforcing state's authority, with the certificate.",
        carries_personal_data=True, legal_basis=rules.NOTIFICATION_SOURCE[:200],
        source=rules.NOTIFICATION_SOURCE[:200], retention=retention,
        default_policy="automatic", received=N_("e-evidence notification received"),
        reference=_ref, handling="H1", replace=True,
    )  # fmt: skip
    federation.register_message_type(
        REFUSAL, RefusalPayload, _on_refusal,
        description="A ground for refusal (art. 12) raised by the enforcing authority.",
        carries_personal_data=False, legal_basis=rules.REFUSAL_SOURCE,
        source=rules.REFUSAL_SOURCE, retention=retention, default_policy="automatic",
        received=N_("e-evidence refusal received"), reference=_ref, handling="H1",
        replace=True,
    )  # fmt: skip


def notify(session: Session, node: Node, principal: Principal, order: Order, cert: dict[str, Any]
           ) -> list[str]:  # fmt: skip
    """Send the notification to the enforcing state's node, if it is a peer."""
    if not order.notify_enforcing or order.review_until is None:
        return []
    if order.enforcing_country not in {p.code for p in federation.peer_status(session)}:
        return []
    payload = NotificationPayload(reference=order.reference, review_until=order.review_until,
                                  certificate=cert)  # fmt: skip
    state = federation.send_message(session, node, principal.actor, NOTIFICATION,
                                    peer=order.enforcing_country, payload=payload,
                                    case_ref=order.reference, purpose=PURPOSE)  # fmt: skip
    return [state.message_id] if state.status in ("queued", "awaiting") else []


def notifications(session: Session, node: Node, principal: Principal) -> list[Notification]:
    rows = list(session.scalars(select(Notification).order_by(Notification.received_at.desc())))
    trace(session, node, principal, "read", "evidence.notification", "list",
          details={"count": len(rows)})  # fmt: skip
    return rows


def notification(session: Session, node: Node, principal: Principal, reference: str
                 ) -> Notification:  # fmt: skip
    """One notification received, with its certificate (audited read)."""
    row = session.scalars(select(Notification).where(Notification.reference == reference)).first()
    if row is None:
        raise NotFound(f"no notification {reference!r}", field="reference")
    trace(session, node, principal, "read", "evidence.notification", row.id)
    return row


def refuse(
    session: Session, node: Node, principal: Principal, reference: str, ground: str, reason: str
) -> list[str]:
    """Raise a ground for refusal within the review window; the issuing node is told."""
    row = session.scalars(select(Notification).where(Notification.reference == reference)).first()
    if row is None:
        raise NotFound(f"no notification {reference!r}", field="reference")
    if ground not in rules.REFUSAL_GROUNDS:
        raise ValidationFailed(f"ground: one of {', '.join(rules.REFUSAL_GROUNDS)} "
                               f"({rules.REFUSAL_SOURCE})", field="ground")  # fmt: skip
    now: datetime = node.clock.now()
    if now > row.review_until:
        closed = f"{row.review_until:%Y-%m-%d %H:%M}"
        raise Conflict(f"the review window of {reference} closed at {closed} UTC "
                       f"({rules.DEADLINE_SOURCE})")  # fmt: skip
    if row.refused_at is not None:
        raise Conflict(f"a ground was raised for {reference} already")
    row.refusal_ground, row.refusal_reason, row.refused_at = ground, reason, now
    trace(session, node, principal, "write", "evidence.notification", row.id,
          details={"op": "refuse", "ground": ground})  # fmt: skip
    state = federation.send_message(session, node, principal.actor, REFUSAL, peer=row.sender,
                                    payload=RefusalPayload(reference=reference, ground=ground,
                                                           reason=reason),
                                    case_ref=reference, purpose=PURPOSE)  # fmt: skip
    return [state.message_id] if state.status in ("queued", "awaiting") else []
