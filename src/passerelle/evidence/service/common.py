"""Shared helpers: references and the access trace of reads and writes."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from passerelle.evidence import rules
from passerelle.node import Node
from passerelle.privacy import Access, Principal

PURPOSE = "criminal investigation: electronic evidence (European production and preservation)"
LEGAL_BASIS = f"{rules.REG} art. 4-11"


def new_reference(form: str, node: Node) -> str:
    prefix = "EPOC" if form == "EPOC" else "EPR"
    return f"{prefix}-{node.code}-{secrets.token_hex(5).upper()}"


def trace(
    session: Session,
    node: Node,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: str,
    *,
    now: datetime | None = None,
    outcome: str = "ok",
    details: dict[str, object] | None = None,
) -> None:
    """Audit one access to personal data, in the caller's transaction."""
    Access(principal, node.code, PURPOSE, LEGAL_BASIS).trace(
        session,
        action,
        object_type,
        object_id,
        now=now or node.clock.now(),
        outcome=outcome,
        details=details,
    )
