"""The harmonised criteria catalogue: versioned, published by one node, adopted by the others.

A criterion names the facts it looks at (all must hold), the alert category and action it
proposes, and its legal source. A catalogue never contains a criterion on a special category of
personal data (``rules.FORBIDDEN_ATTRIBUTES``). Each node applies its *adopted* version (its own
published version counts as adopted); a proposal records the version and the facts that fired.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle import federation
from passerelle.alerts import rules
from passerelle.alerts.model import CatalogueVersion
from passerelle.alerts.schemas import CatalogueIn, CatalogueOut, CriterionIn
from passerelle.alerts.service import exchange, register
from passerelle.digits import to_int
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.kit.i18n import N_
from passerelle.node import Node
from passerelle.privacy import Principal

ACTIVE = ("published", "adopted")
PURPOSE = "harmonised alert criteria"


def check_criterion(criterion: CriterionIn) -> None:
    """Refuse a criterion on a forbidden attribute, an unknown fact or category."""
    words = {
        w
        for text in (*criterion.facts, criterion.code, criterion.title)
        for w in re.split(r"[^a-z]+", text.lower())
        if w
    }
    for attribute, terms in rules.FORBIDDEN_ATTRIBUTES.items():
        if words & set(terms):
            raise ValidationFailed(
                f"criterion {criterion.code} uses {attribute}, which no criterion may use "
                f"({rules.FORBIDDEN_SOURCE})",
                criterion=criterion.code,
                attribute=attribute,
            )
    unknown = sorted(set(criterion.facts) - set(rules.KNOWN_FACTS))
    if unknown:
        raise ValidationFailed(
            f"criterion {criterion.code} looks at unknown fact(s) {', '.join(unknown)}; "
            f"known: {', '.join(rules.KNOWN_FACTS)}",
            criterion=criterion.code,
        )
    if criterion.category not in rules.CATEGORIES:
        raise ValidationFailed(
            f"criterion {criterion.code} proposes unknown category {criterion.category!r}"
        )
    cited = criterion.source.replace(" ", "")
    for ground, (fact, meaning) in rules.GROUND_FACTS.items():
        if ground in cited and fact not in criterion.facts:
            raise ValidationFailed(
                f"criterion {criterion.code} cites art. {ground}, which requires {meaning}: "
                f"add the fact {fact!r} (or cite art. 36(3)(c), the overall assessment)",
                criterion=criterion.code,
                ground=ground,
            )


def _validate(data: CatalogueIn) -> list[dict[str, Any]]:
    codes = [c.code for c in data.criteria]
    if len(set(codes)) != len(codes):
        raise ValidationFailed("criterion codes must be unique within a catalogue")
    for criterion in data.criteria:
        check_criterion(criterion)
    return [c.model_dump() for c in data.criteria]


def current(session: Session, today: date) -> CatalogueVersion | None:
    """The version in force here on ``today``: among the versions published here or adopted,
    the one with the latest effective date not after ``today`` (then the latest applied)."""
    return session.scalars(
        select(CatalogueVersion)
        .where(CatalogueVersion.status.in_(ACTIVE), CatalogueVersion.effective_from <= today)
        .order_by(
            CatalogueVersion.effective_from.desc(),
            CatalogueVersion.adopted_at.desc(),
            CatalogueVersion.id.desc(),
        )
    ).first()


def ensure_default(session: Session, node: Node) -> CatalogueVersion:
    """The version in force, creating the default version 1 on a node that has none."""
    today = node.clock.now().date()
    found = current(session, today)
    if found is not None:
        return found
    if session.scalars(
        select(CatalogueVersion.id).where(CatalogueVersion.status.in_(ACTIVE))
    ).first():
        raise Conflict("no catalogue version is in force yet: every applied version starts later")
    now = node.clock.now()
    row = CatalogueVersion(
        publisher=node.code,
        version=1,
        effective_from=today,
        criteria=[dict(c) for c in rules.DEFAULT_CRITERIA],
        note="default catalogue",
        status="published",
        created_at=now,
        adopted_at=now,
        adopted_by="system",
    )
    session.add(row)
    session.flush()
    return row


def publish(
    session: Session, node: Node, principal: Principal, data: CatalogueIn
) -> CatalogueVersion:
    """A new version published by this node; it replaces the one applied here."""
    criteria = _validate(data)
    ensure_default(session, node)
    now = node.clock.now()
    last = session.scalar(
        select(func.max(CatalogueVersion.version)).where(CatalogueVersion.publisher == node.code)
    )
    row = CatalogueVersion(
        publisher=node.code,
        version=(last or 0) + 1,
        effective_from=data.effective_from,
        criteria=criteria,
        note=data.note,
        status="published",
        created_at=now,
        adopted_at=now,
        adopted_by=principal.name,
    )
    session.add(row)
    session.flush()
    register.access(principal, node).trace(
        session,
        "write",
        "alert.catalogue",
        f"{row.publisher}/{row.version}",
        now=now,
    )
    return row


CATALOGUE = "alerts.catalogue"


class CatalogueMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    catalogue: CatalogueOut


def send(
    session: Session, node: Node, principal: Principal, row: CatalogueVersion
) -> list[federation.DeliveryState]:
    """In the publication's transaction: send the version to every peer for adoption."""
    message = CatalogueMessage(catalogue=to_out(row))
    return exchange.send(
        session,
        node,
        principal,
        CATALOGUE,
        peers=exchange.peer_codes(session),
        payload=message,
        case_ref=f"CATALOGUE-{node.code}-{row.version}",
        purpose=PURPOSE,
    )


def adopt(
    session: Session, node: Node, principal: Principal, publisher: str, version: int
) -> CatalogueVersion:
    """Apply a version received from ``publisher`` on this node."""
    row = get(session, publisher, version)
    if row.status in ACTIVE:
        raise Conflict(f"version {version} of {publisher} is already applied here")
    if row.status != "received":
        raise Conflict(f"version {version} of {publisher} is {row.status}")
    now = node.clock.now()
    row.status, row.adopted_at, row.adopted_by = "adopted", now, principal.name
    register.access(principal, node).trace(
        session,
        "write",
        "alert.catalogue",
        f"{publisher}/{version}",
        now=now,
        details={"adopted": True},
    )
    return row


def get(session: Session, publisher: str, version: int) -> CatalogueVersion:
    row = session.scalars(
        select(CatalogueVersion).where(
            CatalogueVersion.publisher == publisher.upper(), CatalogueVersion.version == version
        )
    ).first()
    if row is None:
        raise NotFound(f"no catalogue version {version} from {publisher}")
    return row


def versions(session: Session) -> list[CatalogueVersion]:
    return list(
        session.scalars(
            select(CatalogueVersion).order_by(
                CatalogueVersion.created_at.desc(), CatalogueVersion.id.desc()
            )
        )
    )


def evaluate(criteria: list[dict[str, Any]], facts: set[str]) -> list[dict[str, Any]]:
    """The criteria that fire on ``facts``, in catalogue order, each with the facts it used."""
    return [
        {
            "criterion": c["code"],
            "title": c["title"],
            "facts": list(c["facts"]),
            "category": c["category"],
            "action": c["action"],
            "source": c["source"],
        }
        for c in criteria
        if set(c["facts"]) <= facts
    ]


def diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Criteria added, removed and changed between two versions (by code)."""
    before = {c["code"]: c for c in old}
    after = {c["code"]: c for c in new}
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k]),
    }


def to_out(row: CatalogueVersion, in_force: CatalogueVersion | None = None) -> CatalogueOut:
    return CatalogueOut(
        in_force=in_force is not None and in_force.id == row.id,
        **{k: getattr(row, k) for k in CatalogueOut.model_fields if k != "in_force"},
    )


def catalogue_from_payload(data: Mapping[str, Any]) -> tuple[CatalogueIn, int]:
    """A peer's catalogue version and its number; :class:`ValidationFailed` otherwise."""
    version = data.get("version")
    number = version if type(version) is int else to_int(str(version), 9)
    if number is None or not 0 < number < 2**31:
        raise ValidationFailed("the catalogue version is not a positive number")
    criteria = data.get("criteria", [])
    if not isinstance(criteria, list) or not all(isinstance(c, dict) for c in criteria):
        raise ValidationFailed("the catalogue criteria are not a list of objects")
    try:
        checked = CatalogueIn(
            effective_from=date.fromisoformat(str(data.get("effective_from"))),
            criteria=[CriterionIn(**c) for c in criteria],
            note=str(data.get("note", "")),
        )
    except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        raise ValidationFailed(f"the catalogue cannot be read: {str(exc)[:200]}") from None
    return checked, number


def _receive(session: Session, node: Node, received: federation.Received) -> None:
    message = received.payload
    assert isinstance(message, CatalogueMessage)
    data, sender = message.catalogue, received.sender
    if data.publisher.upper() != sender:
        raise ValidationFailed("a node publishes only its own catalogue versions")
    try:
        checked = CatalogueIn(
            effective_from=data.effective_from,
            criteria=[CriterionIn(**c) for c in data.criteria],
            note=data.note,
        )
    except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        raise ValidationFailed(f"the catalogue cannot be read: {str(exc)[:200]}") from None
    criteria = _validate(checked)
    exists = session.scalars(
        select(CatalogueVersion).where(
            CatalogueVersion.publisher == sender, CatalogueVersion.version == data.version
        )
    ).first()
    if exists is not None:
        raise ValidationFailed(f"version {data.version} of {sender} was already received")
    session.add(
        CatalogueVersion(
            publisher=sender,
            version=data.version,
            effective_from=checked.effective_from,
            criteria=criteria,
            note=checked.note,
            status="received",
            created_at=node.clock.now(),
        )
    )


exchange.register(
    CATALOGUE,
    CatalogueMessage,
    _receive,
    description="A version of the harmonised criteria catalogue (no personal data).",
    personal=False,
    received=N_("criteria catalogue received"),
    reference=lambda m: f"{m.catalogue.publisher}/{m.catalogue.version}",
    retention=federation.BodyRetention(
        keep_for=timedelta(days=5 * 365 + 1),
        source="project default: no personal data; kept as long as the audit trail of the "
        "exchange (Directive (EU) 2016/680 art. 25)",
        description="Bodies of catalogue versions (no personal data) are kept five years.",
    ),
    default_policy="automatic",
)
