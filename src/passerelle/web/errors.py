"""The one place where errors become HTTP responses: JSON for the API, HTML for the console."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from passerelle.errors import (
    Conflict,
    DatabaseBusy,
    MalformedInput,
    NotAuthenticated,
    NotFound,
    OutOfRange,
    PasserelleError,
    PayloadTooLarge,
    PermissionDenied,
    Quarantined,
    UsageError,
    ValidationFailed,
)
from passerelle.kit import forms, i18n, labels
from passerelle.web import form_again
from passerelle.web.deps import LANG_COOKIE
from passerelle.web.limits import SECURITY_HEADERS

log = logging.getLogger("passerelle.web")

MACHINE_PREFIXES = ("/api/", "/federation/", "/health")
#: Validation failures of a path or query number: ``2**64`` as an id is a bad request (400).
_RANGE_ERRORS = frozenset(
    {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "int_parsing_size"}
)
#: Errors of a console form that are shown with the form again, the input kept.
_FORM_ERRORS = (ValidationFailed, UsageError, Conflict, Quarantined)
#: Page titles and explanations of the console error page, by HTTP status.
_TITLES = {
    400: i18n.N_("The request could not be understood"),
    401: i18n.N_("Please log in"),
    403: i18n.N_("Your role does not allow this"),
    404: i18n.N_("Page not found"),
    409: i18n.N_("This conflicts with what is already recorded"),
    413: i18n.N_("What you sent is too large"),
    422: i18n.N_("This could not be accepted"),
    429: i18n.N_("Too many attempts"),
    503: i18n.N_("The service is busy or unreachable"),
}
_DEFAULT_TITLE = i18n.N_("Sorry, there is a problem")
_EXPLANATIONS = {
    404: i18n.N_("Check the address, or go back to the home page."),
    403: i18n.N_("Ask your administrator if you need this page for your work."),
    500: i18n.N_(
        "Sorry, there is a problem with the service. It has been logged for the administrator; "
        "try again later."
    ),
    503: i18n.N_("Try again in a moment."),
}


def wants_json(request: Request) -> bool:
    """API and federation paths always answer JSON; the console answers HTML."""
    return request.url.path.startswith(MACHINE_PREFIXES)


def error_response(request: Request, error: PasserelleError) -> Response:
    response = _response(request, error)
    if isinstance(error, DatabaseBusy):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _response(request: Request, error: PasserelleError) -> Response:
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse(error.to_dict(), status_code=error.status, headers=headers)
    if isinstance(error, NotAuthenticated) and request.method == "GET":
        target = "/login?next=" + request.url.path
        if error.code == "session_expired":
            target += "&expired=1"
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    _localise(request)
    if (
        request.method == "POST"
        and isinstance(error, _FORM_ERRORS)
        and not isinstance(error, PayloadTooLarge)
    ):
        return _page(request, "core/form_error.html", _form_context(request, error), error.status)
    context = {
        "error": error,
        "title": i18n.gettext(_TITLES.get(error.status, _DEFAULT_TITLE)),
        "explanation": i18n.gettext(_EXPLANATIONS[error.status])
        if error.status in _EXPLANATIONS
        else "",
        # A server error's own text is for the administrator's log, not for the user; a
        # missing page is explained in the reader's language.
        "detail": _detail(error),
    }
    return _page(request, "core/error.html", context, error.status)


#: What the console says of a refusal the services word in English for the API.
_REFUSALS = {
    "csrf_failed": i18n.N_(
        "The form's security token is missing or has expired. Reload the page and try again."
    ),
}

#: Refusals of the services a console user can meet, marked here for translation.
_SERVICE_REFUSALS = (
    i18n.N_("only a judicial authority decides re-personalisation"),
    i18n.N_("the requester's PIU cannot approve its own request (art. 12(3), CJEU C-817/19)"),
    i18n.N_("only the requester may use this approval"),
    i18n.N_("no approved, valid re-personalisation for this booking"),
    i18n.N_("only a user or an API token can have a calendar feed token"),
    i18n.N_("only the child-protection role records returning minors"),
)


def _detail(error: PasserelleError) -> str:
    """The error's own explanation in the reader's language (never a server error's text)."""
    if error.status == 404 or error.status >= 500:
        return ""
    if isinstance(error, PermissionDenied):
        roles = error.details.get("roles")
        if isinstance(roles, list) and roles:
            names = ", ".join(labels.label("role", r) for r in roles)
            return i18n.gettext("This page is for these roles: %(roles)s.") % {"roles": names}
        if error.code in _REFUSALS:
            return i18n.gettext(_REFUSALS[error.code])
    return i18n.gettext(error.message)


def _localise(request: Request) -> None:
    """The user's language, also when no route (and so no request dependency) ran: a 404."""
    principal = getattr(request.state, "principal", None)
    locale = (principal.locale if principal else None) or request.cookies.get(LANG_COOKIE)
    i18n.set_locale(
        locale
        or i18n.negotiate(
            request.headers.get("accept-language"),
            request.app.state.node.settings.default_locale,
        )
    )


def _form_context(request: Request, error: PasserelleError) -> dict[str, Any]:
    principal = getattr(request.state, "principal", None)
    submitted = dict(getattr(request.state, "form_items", []))
    back = request.headers.get("referer", "")
    back_path = "/" + back.split("://", 1)[-1].split("/", 1)[-1] if "://" in back else ""
    return {
        "problems": forms.problems_of(error),
        "items": forms.kept_items(request),
        "files": getattr(request.state, "form_files", []),
        "action": request.url.path,
        "form_csrf": getattr(principal, "csrf_token", None) or submitted.get("csrf_token", ""),
        "back": back_path if back_path.startswith("/") and not back_path.startswith("//") else "",
        "label_for": forms.label_for,
    }


def _page(request: Request, template: str, context: dict[str, Any], status: int) -> Response:
    principal = getattr(request.state, "principal", None)
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        template,
        {
            "node": request.app.state.node.code,
            "node_name": request.app.state.node.settings.node_name,
            "principal": principal,
            "csrf_token": getattr(principal, "csrf_token", None),
            **context,
        },
        status_code=status,
    )
    return response


async def _answer(request: Request, error: PasserelleError) -> Response:
    """Like :func:`error_response`, but a form with a page of its own is shown on that page."""
    page = forms.FORM_PAGES.get(request.url.path)
    if (
        page is not None
        and request.method == "POST"
        and isinstance(error, _FORM_ERRORS)
        and not wants_json(request)
    ):
        _localise(request)
        problems = forms.problems_of(error)
        response: Response = await run_in_threadpool(page, request, problems)
        shown = form_again.with_problems(request, response, problems)
        if shown is not None:
            return shown
    if (
        request.method == "POST"
        and isinstance(error, _FORM_ERRORS)
        and not isinstance(error, PayloadTooLarge)
        and not wants_json(request)
    ):
        _localise(request)
        again = await form_again.own_page(request, forms.problems_of(error), error.status)
        if again is not None:
            return again
    return error_response(request, error)


def install(app: FastAPI) -> None:
    @app.exception_handler(PasserelleError)
    async def _typed(request: Request, exc: PasserelleError) -> Response:
        return await _answer(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors: list[Any] = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(request, MalformedInput("the request body is not valid JSON"))
        ranges = [
            e
            for e in errors
            if e.get("type") in _RANGE_ERRORS
            and tuple(e.get("loc", ()))[:1] in (("path",), ("query",))
        ]
        if ranges:
            names = ", ".join(str(tuple(e["loc"])[-1]) for e in ranges)
            return error_response(
                request,
                OutOfRange(
                    f"out of range: {names} ({ranges[0].get('msg', '')})",
                    parameters=[str(tuple(e["loc"])[-1]) for e in ranges],
                ),
            )
        if not wants_json(request) and request.method == "POST":
            invalid = forms.FormInvalid(forms.problems_from_pydantic(errors))
            return await _answer(request, invalid)
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in errors
        ]
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
        return error_response(
            request, ValidationFailed(f"invalid request: {summary}", problems=problems)
        )

    @app.exception_handler(PydanticValidationError)
    async def _schema(request: Request, exc: PydanticValidationError) -> Response:
        """A schema a route fills from its input refused it (e.g. a name over 200 characters):
        the caller's mistake, a 422 that names the fields, never a 500."""
        errors: list[Any] = list(exc.errors())
        if not wants_json(request):
            invalid = forms.FormInvalid(forms.problems_from_pydantic(errors))
            return await _answer(request, invalid)
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in errors
        ]
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
        return error_response(
            request, ValidationFailed(f"invalid input: {summary}", problems=problems)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        too_large = getattr(request.state, "body_too_large", None)
        if too_large:
            error: PasserelleError = PayloadTooLarge(too_large)
        elif exc.status_code == 404:
            error = NotFound(f"nothing at {request.url.path}")
        elif exc.status_code == 405:
            error = UsageError(f"{request.method} is not allowed on {request.url.path}")
        else:
            error = UsageError(str(exc.detail))
        return error_response(request, error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        error = PasserelleError("internal error; it has been logged for the administrator")
        response = error_response(request, error)
        # Starlette answers unexpected errors outside every middleware: add the headers here.
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response
