"""Issuing European Production (EPOC) and Preservation (EPOC-PR) Orders under the rules of
Regulation (EU) 2023/1543, validating, extending and confirming them, and reading them
(every read audited)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from passerelle.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from passerelle.evidence import rules
from passerelle.evidence.model import Order
from passerelle.evidence.schemas import OrderIn, ValidateIn
from passerelle.evidence.service import deadlines
from passerelle.evidence.service.common import new_reference, trace
from passerelle.evidence.service.directory import get_provider
from passerelle.node import Node
from passerelle.privacy import Principal

#: Message ids the caller may deliver at once (the outbox worker retries the others).
OUTBOX_KEY = "evidence.outbox"


def check_order(data: OrderIn, issuing_country: str, enforcing_country: str) -> None:
    """The regulation's rules on who issues what, for which offence; the first broken rule
    is a typed error naming its field and article."""
    for i, target in enumerate(data.targets):
        if target.kind == "ip" and (target.port is None or target.at is None):
            raise ValidationFailed(
                f"targets[{i}]: an IP address needs its source port and time (RFC 6302)",
                field=f"targets[{i}]",
            )
    if enforcing_country == issuing_country:
        raise ValidationFailed(
            f"provider: its addressee is in {issuing_country}, the issuing state; the "
            f"regulation covers cross-border orders ({rules.REG} art. 2)",
            field="provider",
        )
    allowed = (rules.PRODUCTION_ISSUERS[data.category] if data.form == "EPOC"
               else rules.PRESERVATION_ISSUERS)  # fmt: skip
    emergency_ok = data.emergency and (
        data.form == "EPOC-PR" or data.category in rules.EMERGENCY_CATEGORIES
    )
    if data.authority_type not in allowed:
        if data.authority_type != "other":
            raise ValidationFailed(
                f"authority_type: a {data.authority_type} cannot issue this order for "
                f"{data.category} data ({rules.ISSUER_SOURCE})",
                field="authority_type",
            )
        if data.validator_type not in allowed and not emergency_ok:
            raise ValidationFailed(
                "validator_type: an order of another competent authority needs validation by "
                f"{', '.join(allowed)} ({rules.ISSUER_SOURCE})",
                field="validator_type",
            )
    if data.validator_type and data.validator_type not in allowed:
        raise ValidationFailed(
            f"validator_type: a {data.validator_type} cannot validate an order for "
            f"{data.category} data ({rules.ISSUER_SOURCE})",
            field="validator_type",
        )
    if data.form == "EPOC" and data.category not in (rules.SUBSCRIBER, rules.IDENTIFICATION):
        serious = data.max_sentence_years >= rules.MIN_MAX_SENTENCE_YEARS
        if not serious and not data.listed_offence:
            raise ValidationFailed(
                f"max_sentence_years: {data.category} data only for offences punishable by "
                f"at least {rules.MIN_MAX_SENTENCE_YEARS} years or listed offences "
                f"({rules.OFFENCE_SOURCE})",
                field="max_sentence_years",
            )
    if data.period_from and data.period_to and data.period_to < data.period_from:
        raise ValidationFailed("period_to: before period_from", field="period_to")


def issue(session: Session, node: Node, principal: Principal, data: OrderIn) -> Order:
    """Record an order sent to the provider's addressee; its deadlines run from now (the
    decentralised IT system delivers at once, art. 19)."""
    provider = get_provider(session, data.provider)
    check_order(data, node.code, provider.country)
    now = node.clock.now()
    validated = data.authority_type != "other" or bool(data.validator_type)
    notify = (data.form == "EPOC" and data.category in rules.NOTIFIED_CATEGORIES
              and not data.domestic_exception)  # fmt: skip
    order = Order(
        id=str(uuid.uuid4()),
        reference=new_reference(data.form, node),
        form=data.form,
        issuing_country=node.code,
        authority_type=data.authority_type,
        authority_name=data.authority_name,
        validator_type=data.validator_type,
        validator_name=data.validator_name,
        validated_at=now if validated else None,
        validation_due_at=None if validated else now + rules.EMERGENCY_VALIDATION,
        provider=provider.code,
        enforcing_country=provider.country,
        category=data.category,
        offence=data.offence,
        max_sentence_years=data.max_sentence_years,
        listed_offence=data.listed_offence,
        emergency=data.emergency,
        notify_enforcing=notify,
        targets=[t.model_dump(mode="json", exclude_none=True) for t in data.targets],
        period_from=data.period_from,
        period_to=data.period_to,
        grounds=data.grounds,
        status="issued",
        issued_at=now,
        issued_by=principal.name,
        due_at=deadlines.production_due(now, data.emergency) if data.form == "EPOC" else None,
        review_until=deadlines.review_until(now, data.emergency) if notify else None,
        preserve_until=now + rules.PRESERVATION_PERIOD if data.form == "EPOC-PR" else None,
        extended=False,
        refusal_ground="",
    )
    session.add(order)
    session.flush()
    trace(
        session,
        node,
        principal,
        "write",
        "evidence.order",
        order.id,
        details={"op": "issue", "form": order.form, "category": order.category},
    )
    if order.notify_enforcing:
        from passerelle.evidence.service import answers, exchange

        cert = answers.to_out(session, order, now).model_dump(mode="json")
        sent = exchange.notify(session, node, principal, order, cert)
        session.info.setdefault(OUTBOX_KEY, []).extend(sent)
    return order


def _load(session: Session, order_id: str) -> Order:
    order = session.scalars(
        select(Order).where(or_(Order.id == order_id, Order.reference == order_id))
    ).first()
    if order is None:
        raise NotFound(f"no order {order_id!r}", field="order")
    return order


def get(session: Session, node: Node, principal: Principal, order_id: str) -> Order:
    """One order (audited read)."""
    order = _load(session, order_id)
    trace(session, node, principal, "read", "evidence.order", order.id)
    return order


def search(
    session: Session, node: Node, principal: Principal, *, status: str = "", q: str = "",
    provider: str = "", limit: int = 500,
) -> list[Order]:  # fmt: skip
    """Orders, newest first; the read is audited (one entry for the list)."""
    stmt = select(Order).order_by(Order.issued_at.desc()).limit(limit)
    if status:
        stmt = stmt.where(Order.status == status)
    if provider:
        stmt = stmt.where(Order.provider == provider)
    rows = list(session.scalars(stmt))
    if q:
        needle = q.lower()
        rows = [
            o
            for o in rows
            if needle in f"{o.reference} {o.offence} {o.authority_name} {o.provider}".lower()
        ]
    trace(
        session,
        node,
        principal,
        "read",
        "evidence.order",
        "list",
        details={"count": len(rows), "status": status, "q": q[:60]},
    )
    return rows


def validate(
    session: Session, node: Node, principal: Principal, order_id: str, data: ValidateIn
) -> Order:
    """Validate an order issued without prior validation (emergency, art. 4(5))."""
    order = _load(session, order_id)
    if order.validated_at is not None:
        raise Conflict(f"order {order.reference} is validated already")
    allowed = (rules.PRODUCTION_ISSUERS[order.category] if order.form == "EPOC"
               else rules.PRESERVATION_ISSUERS)  # fmt: skip
    if data.validator_type not in allowed:
        raise ValidationFailed(
            f"validator_type: a {data.validator_type} cannot validate this order "
            f"({rules.ISSUER_SOURCE})", field="validator_type")  # fmt: skip
    now = node.clock.now()
    order.validator_type, order.validator_name = data.validator_type, data.validator_name
    order.validated_at = now
    late = order.validation_due_at is not None and now > order.validation_due_at
    trace(
        session,
        node,
        principal,
        "write",
        "evidence.order",
        order.id,
        details={"op": "validate", "late": late},
    )
    return order


def _own(order: Order, node: Node) -> None:
    if order.issuing_country != node.code:
        raise PermissionDenied("only the issuing authority's node may change this order")


def extend(session: Session, node: Node, principal: Principal, order_id: str) -> Order:
    """Annex VI: extend a preservation once by 30 days."""
    order = _load(session, order_id)
    _own(order, node)
    if order.form != "EPOC-PR" or order.status not in deadlines.OPEN:
        raise Conflict("only an open preservation order can be extended")
    if order.extended:
        raise Conflict(f"order {order.reference} was extended already (once only, "
                       f"{rules.PRESERVATION_SOURCE})")  # fmt: skip
    now = node.clock.now()
    assert order.preserve_until is not None
    if now > order.preserve_until:
        raise Conflict(f"order {order.reference}: the preservation period is over")
    order.preserve_until = order.preserve_until + rules.PRESERVATION_EXTENSION
    order.extended = True
    trace(session, node, principal, "write", "evidence.order", order.id, details={"op": "extend"})
    return order


def confirm(session: Session, node: Node, principal: Principal, order_id: str) -> Order:
    """Annex V: a production request follows; the data stay preserved until it is answered."""
    order = _load(session, order_id)
    _own(order, node)
    if order.form != "EPOC-PR" or order.status not in deadlines.OPEN:
        raise Conflict("only an open preservation order can be confirmed")
    order.confirmed_at = node.clock.now()
    trace(session, node, principal, "write", "evidence.order", order.id, details={"op": "confirm"})
    return order


def withdraw(session: Session, node: Node, principal: Principal, order_id: str) -> Order:
    order = _load(session, order_id)
    _own(order, node)
    if order.status not in deadlines.OPEN:
        raise Conflict(f"order {order.reference} is {order.status}")
    order.status, order.closed_at = "withdrawn", node.clock.now()
    trace(session, node, principal, "write", "evidence.order", order.id, details={"op": "withdraw"})
    return order


def due(session: Session, now: datetime) -> list[tuple[Order, str]]:
    """Open orders with a reminder or overdue, the most urgent first (no personal data)."""
    rows = session.scalars(select(Order).where(Order.status.in_(deadlines.OPEN)))
    flagged = [(o, deadlines.urgency(o, now)) for o in rows]
    flagged = [(o, u) for o, u in flagged if u != "ok"]
    return sorted(flagged, key=lambda pair: (pair[1] != "overdue", pair[0].issued_at))
