"""REST API of the foundation, under /api/v1."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request

from passerelle.bounds import Count
from passerelle.kit.web import DbSession, node_of
from passerelle.privacy import (
    ROLES,
    Principal,
    User,
    accounts,
    audit,
    consult_audit_log,
    require,
    retention,
)
from passerelle.web import schemas

router = APIRouter(prefix="/api/v1", tags=["node"])
ANYONE = tuple(ROLES)


def _user_out(user: User) -> schemas.UserOut:
    return schemas.UserOut(
        username=user.username,
        display_name=user.display_name,
        agency=user.agency_code,
        roles=sorted(user.role_set),
        locale=user.locale,
        disabled=user.disabled_at is not None,
    )


@router.get("/me")
def me(principal: Principal = require(*ANYONE)) -> schemas.Me:
    """Who the caller is: user or token, agency and roles."""
    return schemas.Me(
        kind=principal.kind,
        name=principal.name,
        agency=principal.agency,
        roles=sorted(principal.roles),
        locale=principal.locale,
    )


@router.get("/audit")
def audit_entries(
    request: Request,
    session: DbSession,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Count = 50,
    offset: Count = 0,
    principal: Principal = require("dpo"),
) -> schemas.AuditPage:
    """Audit entries, newest first (data-protection officer). The consultation is itself audited."""
    node = node_of(request)
    query = audit.AuditQuery(actor, action, object_type, since, until, limit, offset)
    entries, total = consult_audit_log(
        session, query, principal, node=node.code, now=node.clock.now()
    )
    return schemas.AuditPage(
        total=total,
        entries=[schemas.AuditEntryOut.model_validate(e, from_attributes=True) for e in entries],
    )


@router.get("/audit/verify")
def audit_verify(
    session: DbSession, principal: Principal = require("dpo", "admin")
) -> schemas.VerifyOut:
    """Recompute the hash chain; names the first broken entry."""
    result = audit.verify(session)
    return schemas.VerifyOut(
        ok=result.ok,
        checked=result.checked,
        first_broken=result.first_broken,
        message=result.describe(),
    )


@router.get("/users")
def list_users(
    session: DbSession, principal: Principal = require("admin")
) -> list[schemas.UserOut]:
    """All console users of the node (administrator)."""
    return [_user_out(u) for u in accounts.list_users(session)]


@router.post("/users", status_code=201)
def add_user(
    request: Request,
    session: DbSession,
    body: schemas.UserIn,
    principal: Principal = require("admin"),
) -> schemas.UserOut:
    """Create a user in the administrator's agency."""
    node = node_of(request)
    user = accounts.add_user(
        session,
        username=body.username,
        password=body.password,
        roles=body.roles,
        agency=principal.agency,
        display_name=body.display_name,
        now=node.clock.now(),
    )
    node.audit_admin(session, principal.actor, "user", user.username, "add", roles=body.roles)
    return _user_out(user)


@router.post("/users/{username}/disable")
def disable_user(
    request: Request, session: DbSession, username: str, principal: Principal = require("admin")
) -> schemas.UserOut:
    """Disable a user; their sessions end at once."""
    node = node_of(request)
    user = accounts.disable_user(session, username, now=node.clock.now())
    node.audit_admin(session, principal.actor, "user", username, "disable")
    return _user_out(user)


@router.post("/tokens", status_code=201)
def create_token(
    request: Request,
    session: DbSession,
    body: schemas.TokenIn,
    principal: Principal = require("admin"),
) -> schemas.TokenCreated:
    """Create an API token for a machine client (carrier, marketplace, partner node)."""
    node = node_of(request)
    raw = accounts.create_token(
        session,
        name=body.name,
        role=body.role,
        agency=principal.agency,
        now=node.clock.now(),
        days=body.days,
    )
    node.audit_admin(session, principal.actor, "api_token", body.name, "create", role=body.role)
    return schemas.TokenCreated(name=body.name, role=body.role, token=raw)


@router.post("/tokens/{name}/revoke")
def revoke_token(
    request: Request, session: DbSession, name: str, principal: Principal = require("admin")
) -> dict[str, str]:
    """Revoke an API token; it stops working at once."""
    node = node_of(request)
    accounts.revoke_token(session, name, now=node.clock.now())
    node.audit_admin(session, principal.actor, "api_token", name, "revoke")
    return {"name": name, "status": "revoked"}


@router.get("/retention/rules")
def retention_rules(
    request: Request, principal: Principal = require("dpo", "admin")
) -> list[schemas.RetentionRuleOut]:
    """Every retention rule registered on this node, with its legal source."""
    return [
        schemas.RetentionRuleOut(
            data_class=r.data_class,
            description=r.description,
            source=r.source,
            mask_after_days=r.mask_after.total_seconds() / 86400 if r.mask_after else None,
            delete_after_days=r.delete_after.total_seconds() / 86400 if r.delete_after else None,
        )
        for r in node_of(request).retention
    ]


@router.post("/retention/run")
def retention_run(
    request: Request, principal: Principal = require("admin")
) -> list[schemas.RetentionRunOut]:
    """Apply every retention rule now (the scheduler also does this on its own)."""
    node = node_of(request)
    outcomes = retention.run(node.session, node.retention, node=node.code, now=node.clock.now())
    return [
        schemas.RetentionRunOut(data_class=o.data_class, masked=o.masked, deleted=o.deleted)
        for o in outcomes
    ]


__all__ = ["router"]
