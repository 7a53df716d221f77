"""The access layer: who may call what, and the audit trace of every personal-data access.

Routes declare their roles with :func:`require`; a route without it is refused by the route-walk
test. Services read personal data through :class:`Access`, which writes the audit entry in the
same transaction as the read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from passerelle.errors import NotAuthenticated, PermissionDenied
from passerelle.privacy import audit
from passerelle.privacy.accounts import Principal
from passerelle.privacy.model import AuditEntry
from passerelle.privacy.rules import ROLES


class RoleRequirement:
    """FastAPI dependency: the request's principal, if it holds one of ``roles``."""

    def __init__(self, roles: Iterable[str]) -> None:
        self.roles = frozenset(roles)
        unknown = self.roles - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)}")

    def __call__(self, request: Request) -> Principal:
        principal: Principal | None = getattr(request.state, "principal", None)
        if principal is None:
            stored: NotAuthenticated | None = getattr(request.state, "auth_error", None)
            raise stored or NotAuthenticated("authentication required")
        if not principal.has_any(self.roles):
            raise PermissionDenied(
                "your role does not allow this; it needs one of: " + ", ".join(sorted(self.roles)),
                roles=sorted(self.roles),
            )
        return principal


class _RolesOnLoop(RoleRequirement):
    """The role check as an ``async`` dependency: it reads only the request's principal
    (resolved already, in the thread pool, by the app's ``authenticate``), so it runs on the
    event loop — FastAPI would otherwise send a plain ``def`` dependency to the thread pool,
    one more thread hop on every request."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        return RoleRequirement.__call__(self, request)


def require(*roles: str) -> Any:
    """``principal: Principal = require("analyst", "supervisor")`` in a route signature."""
    return Depends(_RolesOnLoop(roles))


@dataclass(frozen=True)
class Access:
    """A principal acting for a stated purpose under a stated legal basis."""

    principal: Principal
    node: str
    purpose: str
    legal_basis: str

    @property
    def actor(self) -> audit.Actor:
        return self.principal.actor

    def trace(
        self,
        session: Session,
        action: str,
        object_type: str,
        object_id: str,
        *,
        now: datetime,
        outcome: str = "ok",
        details: dict[str, Any] | None = None,
    ) -> None:
        """Write the audit entry for one access, in the caller's transaction."""
        audit.record(
            session,
            node=self.node,
            actor=self.actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            purpose=self.purpose,
            legal_basis=self.legal_basis,
            outcome=outcome,
            details=details,
            now=now,
        )


def consult_audit_log(
    session: Session, query: audit.AuditQuery, principal: Principal, *, node: str, now: datetime
) -> tuple[list[AuditEntry], int]:
    """Audit entries for a data-protection officer; the consultation is itself audited."""
    entries, total = audit.search(session, query)
    Access(principal, node, "data-protection supervision", "Directive (EU) 2016/680 art. 34").trace(
        session,
        "read",
        "audit_log",
        "*",
        now=now,
        details={"actor": query.actor, "action": query.action},
    )
    return entries, total
