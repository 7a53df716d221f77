"""Deadlines of an order (art. 4(5), 10, 11) and how urgent it is now."""

from __future__ import annotations

from datetime import datetime, timedelta

from passerelle.evidence import rules
from passerelle.evidence.model import Order

OPEN = ("issued", "acknowledged")


def production_due(received: datetime, emergency: bool) -> datetime:
    return received + (rules.EMERGENCY_DEADLINE if emergency else rules.PRODUCTION_DEADLINE)


def review_until(received: datetime, emergency: bool) -> datetime:
    return received + (rules.EMERGENCY_REVIEW_WINDOW if emergency else rules.REVIEW_WINDOW)


def next_deadline(order: Order) -> tuple[str, datetime, timedelta] | None:
    """The deadline that matters now: (name, when, its full span), or None when closed."""
    if order.status not in OPEN:
        return None
    if order.validation_due_at is not None and order.validated_at is None:
        return "validation", order.validation_due_at, rules.EMERGENCY_VALIDATION
    if order.form == "EPOC" and order.due_at is not None:
        span = rules.EMERGENCY_DEADLINE if order.emergency else rules.PRODUCTION_DEADLINE
        return "production", order.due_at, span
    if order.form == "EPOC-PR" and order.preserve_until is not None and order.confirmed_at is None:
        span = rules.PRESERVATION_PERIOD + (rules.PRESERVATION_EXTENSION if order.extended
                                            else timedelta(0))  # fmt: skip
        return "preservation", order.preserve_until, span
    return None


def urgency(order: Order, now: datetime) -> str:
    """``overdue`` past the deadline, ``reminder`` once REMINDER_SHARE of its span is gone."""
    found = next_deadline(order)
    if found is None:
        return "ok"
    _, when, span = found
    if now >= when:
        return "overdue"
    if when - now <= span * (1 - rules.REMINDER_SHARE):
        return "reminder"
    return "ok"
