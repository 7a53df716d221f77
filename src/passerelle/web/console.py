"""Console routes of the foundation: login, logout, home, language, audit viewer, administration.

Routes stay thin: they parse the form, call the privacy services and render a template.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from passerelle import domains
from passerelle.errors import (
    CsrfFailed,
    InvalidCredentials,
    PasserelleError,
    TooManyRequests,
    ValidationFailed,
)
from passerelle.kit import i18n, labels, listkit
from passerelle.kit.i18n import N_
from passerelle.kit.web import DbSession, node_of, render
from passerelle.privacy import HUMAN_ROLES, Principal, accounts, audit, consult_audit_log, require
from passerelle.web.deps import CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE

router = APIRouter(include_in_schema=False)
ANY_HUMAN = HUMAN_ROLES


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
def home(
    request: Request, session: DbSession, principal: Principal = require(*ANY_HUMAN)
) -> Response:
    """The principal's pending work across the installed packages, with counts and links."""
    work = domains.home_work(session, principal, node_of(request).clock.now())
    return render(request, "core/home.html", {"roles": sorted(principal.roles), "work": work})


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


def _parse_day(value: str, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).astimezone()
    except ValueError:
        raise ValidationFailed(
            f"{field}: not a date: {value[:40]!r}; expected YYYY-MM-DD", field=field
        ) from None


AUDIT_FILTERS = ("actor", "action", "object_type", "since", "until")
AUDIT_CSV: tuple[listkit.Column[Any], ...] = (
    listkit.Column("seq", lambda e: e.seq, numeric=True),
    listkit.Column("time_utc", lambda e: e.ts.isoformat()),
    listkit.Column("user", lambda e: e.actor),
    listkit.Column("agency", lambda e: e.agency),
    listkit.Column("action", lambda e: e.action),
    listkit.Column("object_type", lambda e: e.object_type),
    listkit.Column("object_id", lambda e: e.object_id),
    listkit.Column("purpose", lambda e: e.purpose),
    listkit.Column("legal_basis", lambda e: e.legal_basis),
    listkit.Column("outcome", lambda e: e.outcome),
    listkit.Column("hash", lambda e: e.hash),
)
#: An export stops here; a DPO narrows the filters for more (the page says so).
AUDIT_CSV_MAX = 100_000


@router.get("/audit")
def audit_log(
    request: Request, session: DbSession, principal: Principal = require("dpo")
) -> Response:
    node = node_of(request)
    lq = listkit.ListQuery.of(request, *AUDIT_FILTERS)
    lq = replace(lq, q="")
    since, until = _parse_day(lq.get("since"), "since"), _parse_day(lq.get("until"), "until")
    if until is not None:
        until += timedelta(days=1)  # "until" names the last day shown
    query = audit.AuditQuery(
        actor=lq.get("actor") or None,
        action=lq.get("action") or None,
        object_type=lq.get("object_type") or None,
        since=since,
        until=until,
        limit=500 if lq.wants_csv else lq.per_page,
        offset=0 if lq.wants_csv else (lq.page - 1) * lq.per_page,
    )
    entries, total = consult_audit_log(
        session, query, principal, node=node.code, now=node.clock.now()
    )
    if lq.wants_csv:
        rows = list(entries)
        while len(rows) < min(total, AUDIT_CSV_MAX):
            more, _ = audit.search(session, replace(query, offset=len(rows)))
            if not more:
                break
            rows.extend(more)
        return listkit.csv_response("audit-log.csv", AUDIT_CSV, rows)
    return render(
        request,
        "core/audit.html",
        {
            "page": listkit.paginate(entries, lq, total=total),
            "query": lq,
            "filters": [
                ("actor", N_("User"), None),
                ("action", N_("Action"), labels.options("audit.action")),
                ("object_type", N_("Object"), labels.options("audit.object")),
                ("since", N_("From"), "date"),
                ("until", N_("Until"), "date"),
            ],
        },
    )


@router.get("/audit/verify")
def audit_verify(
    request: Request, session: DbSession, principal: Principal = require("dpo")
) -> Response:
    result = audit.verify(session)
    return render(request, "core/_verify.html", {"result": result})
