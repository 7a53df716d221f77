"""Shared helpers: the access trace of every read of personal data, and the FIU role check."""

from __future__ import annotations

from passerelle.errors import PermissionDenied
from passerelle.financing import rules
from passerelle.kit.trace import Tracer
from passerelle.privacy import Principal

#: Roles that may read financing data: the FIU's analysts, and the node's own operator (CLI).
READ_ROLES = frozenset({"fiu"})


def require_fiu(principal: Principal) -> None:
    if principal.kind != "cli" and not principal.roles & READ_ROLES:
        raise PermissionDenied("only the financial intelligence unit's roles read this data")


#: Audits one access to personal data, in the caller's transaction.
trace = Tracer(rules.PURPOSE, rules.LEGAL_BASIS)
