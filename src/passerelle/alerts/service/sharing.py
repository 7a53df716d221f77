"""Alerts shared with the peers, as SIS shares them with every member: each node screens against
the alerts it received, and a hit is reported to the issuing node.

An alert (or its update, or its review) goes to each peer as an ``alerts.alert`` message under
the sharing policy of that peer: by default a supervisor approves each one and may withhold the
optional details (aliases, documents …). A withdrawal (``alerts.withdrawal``) carries no
personal data. Only the peers known when the act happens are told: a peer added later receives
nothing of earlier alerts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.alerts import rules
from passerelle.alerts.model import Alert
from passerelle.alerts.service import exchange, register
from passerelle.errors import ValidationFailed
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal

PURPOSE = "sharing of SIS-style alerts"
SHARE = "alerts.alert"
WITHDRAWAL = "alerts.withdrawal"
#: Details of an alert a supervisor may withhold when approving its sharing.
OPTIONAL = (
    "aliases",
    "names_at_birth",
    "place_of_birth",
    "physical_characteristics",
    "documents",
    "linked_alerts",
)


class SharedAlert(BaseModel):
    """An alert as replicated to a peer (the optional details may have been withheld)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=36)
    reference: str = Field(max_length=40)
    issuing_node: str = Field(max_length=32)
    category: str = Field(max_length=20)
    status: str = Field(max_length=12)
    family_name: str = Field(max_length=200)
    given_names: str | None = None
    date_of_birth: str = Field(max_length=10)
    gender: str | None = None
    nationalities: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    reason: str
    action: str
    offence_type: str | None = None
    issuing_authority: str | None = None
    decision_reference: str | None = None
    questions: list[str] = Field(default_factory=list)
    created_at: datetime
    created_by: str
    reviewed_at: datetime
    valid_until: datetime
    aliases: list[str] = Field(default_factory=list)
    names_at_birth: str | None = None
    place_of_birth: str | None = None
    physical_characteristics: str | None = None
    documents: list[dict[str, Any]] = Field(default_factory=list)
    linked_alerts: list[str] = Field(default_factory=list)


class AlertMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    alert: SharedAlert


class WithdrawalMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    alert_id: str = Field(max_length=36)
    reference: str = Field(max_length=40)
    withdrawn_at: datetime


def share(
    session: Session, node: Node, principal: Principal, alert: Alert
) -> list[federation.DeliveryState]:
    """In the act's transaction: send the alert's state (or its withdrawal) to every peer."""
    case = alert.reference
    peers = exchange.peer_codes(session)
    if alert.status != "active":
        withdrawal = WithdrawalMessage(
            alert_id=alert.id,
            reference=alert.reference,
            withdrawn_at=alert.withdrawn_at or node.clock.now(),
        )
        return exchange.send(
            session,
            node,
            principal,
            WITHDRAWAL,
            peers=peers,
            payload=withdrawal,
            case_ref=case,
            purpose=PURPOSE,
        )
    message = AlertMessage(alert=SharedAlert.model_validate(register.payload_of(alert)))
    return exchange.send(
        session,
        node,
        principal,
        SHARE,
        peers=peers,
        payload=message,
        case_ref=case,
        purpose=PURPOSE,
    )


def _check_issuer(sender: str, node: Node, alert: SharedAlert) -> None:
    if alert.issuing_node.upper() != sender or sender == node.code:
        raise ValidationFailed("a node shares only the alerts it issued")
    if not alert.reference.startswith(f"{sender}-"):
        raise ValidationFailed("an alert's reference starts with its issuing node's code")


def _receive(session: Session, node: Node, received: federation.Received) -> None:
    message = received.payload
    assert isinstance(message, AlertMessage)
    data, sender = message.alert, received.sender
    _check_issuer(sender, node, data)
    if data.category not in rules.CATEGORIES:
        raise ValidationFailed(f"unknown alert category {data.category!r}")
    if data.status != "active":
        raise ValidationFailed("a withdrawal is an alerts.withdrawal message")
    existing = session.get(Alert, data.id)
    if existing is not None and existing.issuing_node != sender:
        raise ValidationFailed("an alert issued by another node cannot be changed")
    register.ensure_loaded(session, node)
    row = session.merge(register.from_payload(data.model_dump(mode="json")))
    session.flush()
    register.publish_after_commit(session, node, row)


def _receive_withdrawal(session: Session, node: Node, received: federation.Received) -> None:
    message = received.payload
    assert isinstance(message, WithdrawalMessage)
    row = session.get(Alert, message.alert_id)
    if row is None:
        return  # never shared with this node (policy, or added later): nothing to withdraw
    if row.issuing_node != received.sender:
        raise ValidationFailed("only the issuing node withdraws an alert")
    register.ensure_loaded(session, node)
    row.status, row.withdrawn_at, row.updated_at = (
        "withdrawn",
        message.withdrawn_at,
        node.clock.now(),
    )
    register.withdraw_after_commit(session, node.state, row.id)


#: An alert body lives as long as the alert (never longer than the longest review period).
_KEEP = max(c.review_within for c in rules.CATEGORIES.values())

exchange.register(
    SHARE,
    AlertMessage,
    _receive,
    description="A person alert issued by the sending node (or its update, or its review).",
    personal=True,
    received=N_("alert received"),
    reference=lambda m: m.alert.id,
    retention=federation.BodyRetention(
        keep_for=_KEEP,
        source=f"{rules.SIS} art. 53 (the body lives as long as the alert)",
        description="Bodies of shared alerts are erased when the alert leaves this node.",
        held=register.held,
    ),
    default_policy="approval",
    optional_fields=[f"alert.{name}" for name in OPTIONAL],
)
exchange.register(
    WITHDRAWAL,
    WithdrawalMessage,
    _receive_withdrawal,
    description="The withdrawal of an alert issued by the sending node (no personal data).",
    personal=False,
    received=N_("alert withdrawal received"),
    reference=lambda m: m.alert_id,
    retention=federation.BodyRetention(
        keep_for=_KEEP + timedelta(days=1),
        source=f"{rules.SIS} art. 53",
        description="Bodies of withdrawals are erased when the alert leaves this node.",
        held=register.held,
    ),
    default_policy="automatic",
)
