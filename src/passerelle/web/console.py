"""Console routes of the foundation: login, logout, home, language, audit viewer, administration.

Routes stay thin: they parse the form, call the privacy services and render a template.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from passerelle.bounds import Count
from passerelle.errors import (
    Conflict,
    CsrfFailed,
    InvalidCredentials,
    NotFound,
    PasserelleError,
    TooManyRequests,
    ValidationFailed,
)
from passerelle.privacy import accounts, audit
from passerelle.privacy.access import consult_audit_log, require
from passerelle.privacy.accounts import Principal
from passerelle.privacy.rules import HUMAN_ROLES, MACHINE_ROLES, ROLES
from passerelle.web import i18n
from passerelle.web.deps import CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, db, node_of

router = APIRouter(include_in_schema=False)
ANY_HUMAN = HUMAN_ROLES
DbSession = Annotated[Session, Depends(db, scope="function")]


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    principal: Principal | None = request.state.principal
    base = {
        "principal": principal,
        "csrf_token": principal.csrf_token if principal else None,
        "node": node_of(request).code,
        "node_name": node_of(request).settings.node_name,
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, {**base, **(context or {})}, status_code=status
    )
    return response


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect after login would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return urlsplit(target).path or "/"


def _login_page(
    request: Request,
    *,
    error: PasserelleError | None = None,
    status: int = 200,
    next_: str = "/",
) -> HTMLResponse:
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    expired = request.query_params.get("expired") == "1"
    response = render(
        request,
        "core/login.html",
        {"login_csrf": token, "error": error, "expired": expired, "next": next_},
        status,
    )
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=node_of(request).settings.secure_cookies,
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/", lang: str | None = None) -> Response:
    if lang in i18n.LANGUAGES:
        i18n.set_locale(lang)
    response = _login_page(request, next_=_safe_next(next))
    if lang in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
    return response


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    node = node_of(request)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, csrf_token):
        raise CsrfFailed("the form's security token is missing or wrong; reload the page and retry")
    now = node.clock.now()
    try:
        accounts.check_login_throttle(session, username[:120], now=now)
        user = accounts.authenticate(session, username, password)
    except (InvalidCredentials, TooManyRequests) as exc:
        node.audit(
            session,
            audit.Actor(username[:120] or "(empty)", "unknown"),
            action="login",
            object_type="session",
            object_id="-",
            purpose="authentication",
            legal_basis="node security",
            outcome="throttled" if isinstance(exc, TooManyRequests) else "denied",
        )
        return _login_page(request, error=exc, status=exc.status, next_=_safe_next(next))
    raw = accounts.open_session(session, user, now=now, hours=node.settings.session_hours)
    node.audit(
        session,
        audit.Actor(user.username, user.agency_code),
        action="login",
        object_type="session",
        object_id=user.username,
        purpose="authentication",
        legal_basis="node security",
    )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        samesite="lax",
        secure=node.settings.secure_cookies,
        max_age=int(node.settings.session_hours * 3600),
    )
    return response


@router.post("/logout")
def logout(
    request: Request, session: DbSession, principal: Principal = require(*ANY_HUMAN)
) -> Response:
    node = node_of(request)
    raw = request.cookies.get(SESSION_COOKIE, "")
    accounts.close_session(session, raw, now=node.clock.now())
    node.audit(
        session,
        principal.actor,
        action="logout",
        object_type="session",
        object_id=principal.name,
        purpose="authentication",
        legal_basis="node security",
    )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, principal: Principal = require(*ANY_HUMAN)) -> Response:
    return render(request, "core/home.html", {"roles": sorted(principal.roles)})


@router.post("/language")
def language(
    request: Request,
    session: DbSession,
    locale: Annotated[str, Form()],
    back: Annotated[str, Form()] = "/",
    principal: Principal = require(*ANY_HUMAN),
) -> Response:
    accounts.set_locale(session, principal.id, locale)
    response = RedirectResponse(_safe_next(back), status_code=303)
    response.set_cookie(LANG_COOKIE, locale, samesite="lax", max_age=365 * 86400)
    return response


def _parse_day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).astimezone()
    except ValueError as exc:
        raise PasserelleError(f"not a date: {value!r}") from exc


@router.get("/audit")
def audit_log(
    request: Request,
    session: DbSession,
    actor: str | None = None,
    action: str | None = None,
    page: Count = 1,
    principal: Principal = require("dpo"),
) -> Response:
    node = node_of(request)
    query = audit.AuditQuery(
        actor=actor or None, action=action or None, limit=50, offset=(max(page, 1) - 1) * 50
    )
    entries, total = consult_audit_log(
        session, query, principal, node=node.code, now=node.clock.now()
    )
    return render(
        request,
        "core/audit.html",
        {
            "entries": entries,
            "total": total,
            "page": max(page, 1),
            "actor": actor or "",
            "action": action or "",
            "actions": audit.actions(),
        },
    )


@router.get("/audit/verify")
def audit_verify(
    request: Request, session: DbSession, principal: Principal = require("dpo")
) -> Response:
    result = audit.verify(session)
    return render(request, "core/_verify.html", {"result": result})


def _admin_page(
    request: Request,
    session: Session,
    new_token: str | None = None,
    user_error: PasserelleError | None = None,
) -> Response:
    return render(
        request,
        "core/admin.html",
        {
            "users": accounts.list_users(session),
            "tokens": accounts.list_tokens(session),
            "human_roles": HUMAN_ROLES,
            "machine_roles": MACHINE_ROLES,
            "role_info": ROLES,
            "new_token": new_token,
            "user_error": user_error,
        },
        status=user_error.status if user_error else 200,
    )


@router.get("/admin")
def admin(
    request: Request, session: DbSession, principal: Principal = require("admin")
) -> Response:
    return _admin_page(request, session)


@router.post("/admin/users")
def admin_add_user(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    roles: Annotated[list[str], Form()],
    display_name: Annotated[str, Form()] = "",
    principal: Principal = require("admin"),
) -> Response:
    node = node_of(request)
    try:
        accounts.add_user(
            session,
            username=username,
            password=password,
            roles=roles,
            agency=principal.agency,
            display_name=display_name,
            now=node.clock.now(),
        )
    except (ValidationFailed, Conflict, NotFound) as exc:
        # The same rules as the API and the CLI; the form shows what was wrong.
        return _admin_page(request, session, user_error=exc)
    node.audit_admin(session, principal.actor, "user", username, "add", roles=roles)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{username}/disable")
def admin_disable_user(
    request: Request, session: DbSession, username: str, principal: Principal = require("admin")
) -> Response:
    node = node_of(request)
    accounts.disable_user(session, username, now=node.clock.now())
    node.audit_admin(session, principal.actor, "user", username, "disable")
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/tokens")
def admin_create_token(
    request: Request,
    session: DbSession,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    principal: Principal = require("admin"),
) -> Response:
    node = node_of(request)
    raw = accounts.create_token(
        session, name=name, role=role, agency=principal.agency, now=node.clock.now()
    )
    node.audit_admin(
        session,
        principal.actor,
        "api_token",
        name,
        "create",
        role=role,
    )
    return _admin_page(request, session, new_token=raw)


@router.post("/admin/tokens/{name}/revoke")
def admin_revoke_token(
    request: Request, session: DbSession, name: str, principal: Principal = require("admin")
) -> Response:
    node = node_of(request)
    accounts.revoke_token(session, name, now=node.clock.now())
    node.audit_admin(session, principal.actor, "api_token", name, "revoke")
    return RedirectResponse("/admin", status_code=303)
