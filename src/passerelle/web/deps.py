"""Request-level dependencies: who is calling (session cookie or API token), CSRF, language.

Every dependency and route that touches the database is a plain ``def`` (run in the thread
pool) or hands its database work to ``run_in_threadpool``; none opens a session on the loop.
"""

from __future__ import annotations

import secrets

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from passerelle.errors import CsrfFailed, NotAuthenticated, PasserelleError
from passerelle.kit import forms, i18n
from passerelle.kit.web import node_of
from passerelle.node import Node
from passerelle.privacy import accounts

SESSION_COOKIE = "passerelle_session"
CSRF_COOKIE = "passerelle_csrf"
LANG_COOKIE = "passerelle_lang"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: Paths that never look at credentials: liveness must not wait for the database.
NO_PRINCIPAL_PATHS = frozenset({"/health"})


async def authenticate(request: Request) -> None:
    """Run before every route: resolve the principal (session cookie or API token).

    The database lookup runs in the thread pool (:func:`resolve_principal`), never on the event
    loop: a lock it waits for must not freeze the other requests (a test fails if an
    ``async def`` route or dependency opens a session itself). A request without credentials,
    such as ``GET /health``, needs no thread at all. Never refuses on its own: a route that needs
    a principal says so with ``require``; the resolution error (expired session, revoked token)
    is kept for it to report.
    """
    request.state.principal = None
    request.state.auth_error = None
    authorization = request.headers.get("authorization", "")
    bearer = authorization[7:].strip() if authorization.lower().startswith("bearer ") else None
    cookie = request.cookies.get(SESSION_COOKIE)
    if (bearer is not None or cookie) and request.url.path not in NO_PRINCIPAL_PATHS:
        principal, error = await run_in_threadpool(
            resolve_principal, node_of(request), bearer, cookie
        )
        request.state.principal, request.state.auth_error = principal, error


def resolve_principal(
    node: Node, bearer: str | None, cookie: str | None
) -> tuple[accounts.Principal | None, NotAuthenticated | None]:
    """The principal of an API token or a session cookie (in the thread pool)."""
    now = node.clock.now()
    try:
        # A pure read, per request: never queues behind writers; on PostgreSQL in autocommit
        # (one round trip for a token, no BEGIN and COMMIT), never cached, so a revoked or
        # expired credential is refused at the next request.
        with node.db.lookup_session() as session:
            if bearer is not None:
                return accounts.principal_for_token(session, bearer, now=now), None
            return accounts.principal_for_session(session, cookie or "", now=now), None
    except NotAuthenticated as exc:
        return None, exc


async def localise_and_check_csrf(request: Request) -> None:
    """Run after :func:`authenticate`, on the event loop (no database): choose the language
    (a context variable, so it must be set here to reach the route) and check CSRF on forms."""
    node = node_of(request)
    principal = getattr(request.state, "principal", None)
    locale = (principal.locale if principal else None) or request.cookies.get(LANG_COOKIE)
    i18n.set_locale(
        locale
        or i18n.negotiate(request.headers.get("accept-language"), node.settings.default_locale)
    )
    if principal is not None and principal.kind == "user" and request.method in UNSAFE:
        await _check_csrf(request, principal.csrf_token or "")
    if request.method == "POST" and (
        (principal is not None and principal.kind == "user") or request.url.path == "/login"
    ):
        await forms.check_console_form(request)


#: The app-wide dependencies, in order: who is calling, then language and CSRF.
REQUEST_DEPENDENCIES = (authenticate, localise_and_check_csrf)


async def _check_csrf(request: Request, expected: str) -> None:
    supplied = request.headers.get("x-csrf-token")
    if supplied is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        supplied = value if isinstance(value, str) else None
    if not supplied or not secrets.compare_digest(supplied, expected):
        raise CsrfFailed("the form's security token is missing or wrong; reload the page and retry")


def raise_auth_error(request: Request) -> None:
    error: PasserelleError | None = request.state.auth_error
    if error is not None:
        raise error
