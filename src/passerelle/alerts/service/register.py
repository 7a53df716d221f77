"""The alert register: validated alerts, published live as the node's ``alerts`` watchlist."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Alert
from passerelle.alerts.schemas import AlertIn, AlertOut
from passerelle.alerts.service import commit
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.identity import PersonRecord, node_watchlists, parse_date
from passerelle.node import Node
from passerelle.privacy import Access, Principal, audit

LIST_NAME = "alerts"
_ENTRIES = "alerts.entries"  # alert id -> watchlist entry ids (one per name form)
_LOADED = "alerts.loaded"
_COLUMNS = frozenset(c.key for c in Alert.__table__.columns)
PURPOSE = "alert register (SIS-style person alerts)"
LEGAL_BASIS = rules.SIS


def access(principal: Principal, node: Node) -> Access:
    return Access(principal, node.code, PURPOSE, LEGAL_BASIS)


# ---- validation -----------------------------------------------------------------------------


def validate(data: AlertIn, *, now: datetime, period_start: datetime | None = None) -> datetime:
    """Check an alert against the register's rules; returns its end of validity (at most the
    category's review period after ``period_start``: entry, or the last review)."""
    if data.category not in rules.CATEGORIES:
        raise ValidationFailed(
            f"unknown alert category {data.category!r}; known: {', '.join(rules.CATEGORIES)}",
            field="category",
        )
    missing = [
        label
        for name, label in rules.MINIMUM_DATA.items()
        if not str(getattr(data, name) or "").strip()
    ]
    if missing:
        raise ValidationFailed(
            f"the alert lacks its minimum data ({rules.MINIMUM_DATA_SOURCE}): "
            + ", ".join(missing),
            missing=missing,
        )
    assert data.date_of_birth is not None
    try:
        born = date.fromisoformat(data.date_of_birth)
    except ValueError:
        raise ValidationFailed(
            f"date of birth {data.date_of_birth!r} is not a date (YYYY-MM-DD)",
            field="date_of_birth",
        ) from None
    if born > now.date():
        raise ValidationFailed("the date of birth is in the future", field="date_of_birth")
    unknown = sorted(set(data.warnings) - set(rules.WARNING_FLAGS))
    if unknown:
        raise ValidationFailed(
            f"unknown warning flag(s) {', '.join(unknown)}; known ({rules.WARNING_FLAGS_SOURCE}): "
            + ", ".join(rules.WARNING_FLAGS),
            field="warnings",
        )
    for doc in data.documents:
        if doc.category not in rules.DOCUMENT_CATEGORIES:
            raise ValidationFailed(f"unknown identity-document category {doc.category!r}")
    if data.gender not in (None, "", "M", "F", "X"):
        raise ValidationFailed("gender is M, F or X", field="gender")
    longest = (period_start or now) + rules.CATEGORIES[data.category].review_within
    if data.valid_until is None:
        return longest
    until = datetime.combine(data.valid_until, time(23, 59, 59), tzinfo=UTC)
    if until <= now:
        raise ValidationFailed("the end of validity is in the past", field="valid_until")
    if until > longest:
        raise ValidationFailed(
            "the end of validity is beyond the category's review period "
            f"({rules.CATEGORIES[data.category].review_source})",
            field="valid_until",
        )
    return until


def _fields(data: AlertIn) -> dict[str, Any]:
    values = data.model_dump(exclude={"valid_until", "documents"})
    values["documents"] = [d.model_dump() for d in data.documents]
    values["nationalities"] = [n.upper() for n in data.nationalities]
    values["gender"] = data.gender or None
    return values


# ---- watchlist ------------------------------------------------------------------------------
#
# The watchlist is in memory: it changes only once the alert row is committed (or a rolled-back
# act would leave a phantom entry), by a callback on this session's own commit (``commit``).


def _records(alert: Alert) -> list[PersonRecord]:
    document = next(iter(alert.documents), {})
    base = {
        "date_of_birth": alert.date_of_birth,
        "gender": alert.gender,
        "nationality": next(iter(alert.nationalities), None),
        "document_number": document.get("number"),
        "document_country": document.get("country") or None,
    }
    records = [
        PersonRecord(alert.id, given_names=alert.given_names, family_name=alert.family_name, **base)
    ]
    others = [*alert.aliases, *([alert.names_at_birth] if alert.names_at_birth else [])]
    for i, name in enumerate(others, 1):
        records.append(PersonRecord(f"{alert.id}~{i}", full_name=name, **base))
    return records


def _publish(state: dict[str, Any], alert: Alert) -> None:
    _withdraw(state, alert.id)
    lists = node_watchlists(state)
    records = _records(alert)
    tags = frozenset({f"sis:{alert.category}"})  # PNR leaves out art. 32 and 34 alerts
    for record in records:
        lists.publish(LIST_NAME, record, owner=alert.issuing_node, tags=tags)
    state.setdefault(_ENTRIES, {})[alert.id] = [r.id for r in records]


def _withdraw(state: dict[str, Any], alert_id: str) -> None:
    lists = node_watchlists(state)
    for entry_id in state.setdefault(_ENTRIES, {}).pop(alert_id, []):
        lists.withdraw(LIST_NAME, entry_id)


def publish_after_commit(session: Session, node: Node, alert: Alert) -> None:
    snapshot = Alert(**{c: getattr(alert, c) for c in _COLUMNS})
    commit.after_commit(session, lambda: _publish(node.state, snapshot))


def withdraw_after_commit(session: Session, state: dict[str, Any], alert_id: str) -> None:
    commit.after_commit(session, lambda: _withdraw(state, alert_id))


def load_watchlist(node: Node, *, force: bool = False) -> int:
    """(Re)build the node's ``alerts`` watchlist from the table; returns the alerts listed."""
    if node.state.get(_LOADED) and not force:
        return len(node.state.get(_ENTRIES, {}))
    with node.session() as session:
        return ensure_loaded(session, node, force=True)


def ensure_loaded(session: Session, node: Node, *, force: bool = False) -> int:
    """Build the watchlist with ``session`` (the caller's transaction) unless already built."""
    if node.state.get(_LOADED) and not force:
        return len(node.state.get(_ENTRIES, {}))
    commit.keep_state(node)
    for alert_id in list(node.state.get(_ENTRIES, {})):
        _withdraw(node.state, alert_id)
    active = session.scalars(
        select(Alert).where(Alert.status == "active", Alert.valid_until > node.clock.now())
    ).all()
    for alert in active:
        _publish(node.state, alert)
    node.state[_LOADED] = True
    return len(active)


def held(session: Session, alert_ids: Sequence[str]) -> set[str]:
    """The alerts among ``alert_ids`` this node still holds (for federation's body retention)."""
    return set(session.scalars(select(Alert.id).where(Alert.id.in_(list(alert_ids)))))


def alert_of_entry(entry_id: str) -> str:
    return entry_id.split("~", 1)[0]


# ---- operations -----------------------------------------------------------------------------


def _next_reference(session: Session, node: Node, now: datetime) -> str:
    prefix = f"{node.code}-A-{now.year}-"
    count = session.scalar(
        select(func.count()).select_from(Alert).where(Alert.reference.startswith(prefix))
    )
    return f"{prefix}{(count or 0) + 1:06d}"


def create(session: Session, node: Node, principal: Principal, data: AlertIn) -> Alert:
    """Enter an alert issued by this node; it is screened against as soon as this commits."""
    alert = insert(session, node, principal, data)
    access(principal, node).trace(
        session,
        "write",
        "alert",
        alert.id,
        now=alert.created_at,
        details={"category": alert.category},
    )
    return alert


def insert(session: Session, node: Node, principal: Principal, data: AlertIn) -> Alert:
    """:func:`create` without its audit entry — for synthetic demo data only."""
    ensure_loaded(session, node)
    now = node.clock.now()
    until = validate(data, now=now)
    alert = Alert(
        id=str(uuid.uuid4()),
        reference=_next_reference(session, node, now),
        issuing_node=node.code,
        status="active",
        created_at=now,
        created_by=principal.name,
        updated_at=now,
        reviewed_at=now,
        valid_until=until,
        **_fields(data),
    )
    session.add(alert)
    session.flush()
    publish_after_commit(session, node, alert)
    return alert


def own(session: Session, node: Node, alert_id: str) -> Alert:
    alert = get(session, alert_id)
    if alert.issuing_node != node.code:
        raise Conflict(
            f"alert {alert.reference} was issued by {alert.issuing_node}; only the "
            "issuing country may change it"
        )
    if alert.status != "active":
        raise Conflict(f"alert {alert.reference} is {alert.status}")
    return alert


def update(
    session: Session, node: Node, principal: Principal, alert_id: str, data: AlertIn
) -> Alert:
    """Change an active alert issued here; screening sees the change once this commits."""
    ensure_loaded(session, node)
    alert = own(session, node, alert_id)
    now = node.clock.now()
    until = validate(data, now=now, period_start=alert.reviewed_at)
    for name, value in _fields(data).items():
        setattr(alert, name, value)
    alert.valid_until, alert.updated_at = until, now
    access(principal, node).trace(session, "write", "alert", alert.id, now=now)
    publish_after_commit(session, node, alert)
    return alert


def withdraw(
    session: Session, node: Node, principal: Principal, alert_id: str, *, reason: str = ""
) -> Alert:
    """Withdraw an alert; it leaves the watchlist as soon as this commits. The reason (asked
    by the console) is kept in the audit trail of the withdrawal."""
    ensure_loaded(session, node)
    alert = own(session, node, alert_id)
    now = node.clock.now()
    alert.status, alert.withdrawn_at, alert.updated_at = "withdrawn", now, now
    access(principal, node).trace(
        session,
        "write",
        "alert",
        alert.id,
        now=now,
        details={"withdrawn": True, **({"reason": reason} if reason else {})},
    )
    withdraw_after_commit(session, node.state, alert.id)
    return alert


def get(session: Session, alert_id: str) -> Alert:
    alert = (
        session.get(Alert, alert_id)
        or session.scalars(select(Alert).where(Alert.reference == alert_id)).first()
    )
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def read(session: Session, node: Node, principal: Principal, alert_id: str) -> Alert:
    alert = get(session, alert_id)
    access(principal, node).trace(session, "read", "alert", alert.id, now=node.clock.now())
    return alert


def search(
    session: Session,
    node: Node,
    principal: Principal,
    *,
    text: str = "",
    category: str = "",
    status: str = "active",
    limit: int = 200,
) -> list[Alert]:
    """Alerts by name or reference, category and status, newest first (the search is audited)."""
    conditions: list[ColumnElement[bool]] = []
    if text:
        like = f"%{text.strip().lower()}%"
        conditions.append(
            func.lower(Alert.family_name).like(like)
            | func.lower(func.coalesce(Alert.given_names, "")).like(like)
            | func.lower(Alert.reference).like(like)
        )
    if category:
        conditions.append(Alert.category == category)
    if status:
        conditions.append(Alert.status == status)
    rows = list(
        session.scalars(
            select(Alert).where(*conditions).order_by(Alert.created_at.desc()).limit(limit)
        )
    )
    access(principal, node).trace(
        session,
        "read",
        "alert",
        "*",
        now=node.clock.now(),
        details={"search": text, "category": category, "results": len(rows)},
    )
    return rows


def to_out(alert: Alert) -> AlertOut:
    return AlertOut(
        category_label=rules.CATEGORIES[alert.category].label,
        **{c: getattr(alert, c) for c in AlertOut.model_fields if c != "category_label"},
    )


def payload_of(alert: Alert) -> dict[str, Any]:
    """The alert as replicated to peers (JSON-ready)."""
    return to_out(alert).model_dump(
        mode="json", exclude={"category_label", "extensions", "expiry_warned_at"}
    )


def from_payload(data: dict[str, Any]) -> Alert:
    """An alert from a peer's payload; :class:`ValidationFailed` when it cannot be one."""
    fields = {k: v for k, v in data.items() if k in _COLUMNS}
    try:
        for name in ("created_at", "reviewed_at", "valid_until"):
            fields[name] = datetime.fromisoformat(str(fields[name]))
    except KeyError as exc:
        raise ValidationFailed(f"the alert has no {exc.args[0]}") from None
    except ValueError as exc:
        raise ValidationFailed(f"an alert date is not ISO 8601: {str(exc)[:100]}") from None
    fields["updated_at"] = fields["created_at"]
    return Alert(**fields)


def person_record(
    family_name: str,
    given_names: str | None,
    date_of_birth: str | None,
    nationality: str | None,
    document_number: str | None,
) -> PersonRecord:
    if date_of_birth:
        parse_date(date_of_birth)
    return PersonRecord(
        "check",
        given_names=given_names,
        family_name=family_name,
        date_of_birth=date_of_birth,
        nationality=nationality,
        document_number=document_number,
    )


def peer_actor(code: str) -> audit.Actor:
    """Audit actor for what a peer's message causes here."""
    return audit.Actor(f"peer:{code}", code)
