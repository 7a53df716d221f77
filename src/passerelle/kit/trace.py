"""The audited read of personal data, as every domain writes it: the domain names its purpose
and legal basis once (``trace = Tracer(PURPOSE, LEGAL_BASIS)``) and each read is one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from passerelle.node import Node
from passerelle.privacy import Access, Principal


@dataclass(frozen=True)
class Tracer:
    """Records, in the caller's transaction, one access by ``principal`` to personal data."""

    purpose: str
    legal_basis: str

    def __call__(
        self,
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
        Access(principal, node.code, self.purpose, self.legal_basis).trace(
            session,
            action,
            object_type,
            object_id,
            now=now or node.clock.now(),
            outcome=outcome,
            details=details,
        )
