"""Shared helpers: the access trace of every read of personal data, and the FIU role check."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from passerelle.errors import PermissionDenied
from passerelle.financing import rules
from passerelle.node import Node
from passerelle.privacy import Access, Principal

#: Roles that may read financing data: the FIU's analysts, and the node's own operator (CLI).
READ_ROLES = frozenset({"fiu"})


def require_fiu(principal: Principal) -> None:
    if principal.kind != "cli" and not principal.roles & READ_ROLES:
        raise PermissionDenied("only the financial intelligence unit's roles read this data")


def trace(
    session: Session,
    node: Node,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: str,
    *,
    now: datetime | None = None,
    details: dict[str, object] | None = None,
) -> None:
    """Audit one access to personal data, in the caller's transaction."""
    Access(principal, node.code, rules.PURPOSE, rules.LEGAL_BASIS).trace(
        session,
        action,
        object_type,
        object_id,
        now=now or node.clock.now(),
        details=details,
    )
