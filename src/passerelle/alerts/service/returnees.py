"""Returning foreign terrorist fighters and returning minors.

Minors' records are visible only to the ``minors`` role and always carry their
child-protection measures; other roles do not learn that a minor's record exists.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.alerts import rules
from passerelle.alerts.model import Returnee
from passerelle.alerts.schemas import ReturneeIn, ReturneeOut
from passerelle.errors import NotFound, PermissionDenied, ValidationFailed
from passerelle.node import Node
from passerelle.privacy import Access, Principal

PURPOSE = "follow-up of returnees"
LEGAL_BASIS = "Joint declaration FR-BE 11 June 2018; UN CRC art. 3 and 16 for minors"


def _access(principal: Principal, node: Node) -> Access:
    return Access(principal, node.code, PURPOSE, LEGAL_BASIS)


def sees_minors(principal: Principal) -> bool:
    return rules.MINORS_ROLE in principal.roles


def create(session: Session, node: Node, principal: Principal, data: ReturneeIn) -> Returnee:
    """Record a returnee; a minor only with the child-protection role and measures."""
    row = insert(session, node, principal, data)
    _access(principal, node).trace(
        session, "write", f"returnee.{row.kind}", row.id, now=row.created_at
    )
    return row


def insert(session: Session, node: Node, principal: Principal, data: ReturneeIn) -> Returnee:
    """:func:`create` without its audit entry — for synthetic demo data only."""
    if data.kind == "minor":
        if not sees_minors(principal):
            raise PermissionDenied("only the child-protection role records returning minors")
        if not data.protection_measures:
            raise ValidationFailed(
                "a returning minor's record states its child-protection measures"
            )
    now = node.clock.now()
    row = Returnee(
        id=str(uuid.uuid4()), created_at=now, created_by=principal.name, **data.model_dump()
    )
    session.add(row)
    session.flush()
    return row


def listing(session: Session, node: Node, principal: Principal) -> list[Returnee]:
    kinds = list(rules.RETURNEE_KINDS) if sees_minors(principal) else ["ftf"]
    rows = list(
        session.scalars(
            select(Returnee).where(Returnee.kind.in_(kinds)).order_by(Returnee.returned_on.desc())
        )
    )
    _access(principal, node).trace(
        session,
        "read",
        "returnee",
        "*",
        now=node.clock.now(),
        details={"kinds": kinds, "results": len(rows)},
    )
    return rows


def get(session: Session, node: Node, principal: Principal, returnee_id: str) -> Returnee:
    row = session.get(Returnee, returnee_id)
    if row is None or (row.kind == "minor" and not sees_minors(principal)):
        raise NotFound(f"no returnee {returnee_id}")  # a minor's record is not even confirmed
    _access(principal, node).trace(
        session, "read", f"returnee.{row.kind}", row.id, now=node.clock.now()
    )
    return row


def to_out(row: Returnee) -> ReturneeOut:
    return ReturneeOut(**{k: getattr(row, k) for k in ReturneeOut.model_fields})
