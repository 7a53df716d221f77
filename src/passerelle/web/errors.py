"""The one place where errors become HTTP responses: JSON for the API, HTML for the console."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from passerelle.errors import (
    DatabaseBusy,
    MalformedInput,
    NotAuthenticated,
    NotFound,
    OutOfRange,
    PasserelleError,
    PayloadTooLarge,
    UsageError,
    ValidationFailed,
)
from passerelle.web.limits import SECURITY_HEADERS

log = logging.getLogger("passerelle.web")

MACHINE_PREFIXES = ("/api/", "/federation/", "/health")
#: Validation failures of a path or query number: ``2**64`` as an id is a bad request (400).
_RANGE_ERRORS = frozenset(
    {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "int_parsing_size"}
)


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
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        "core/error.html",
        {
            "error": error,
            "node": request.app.state.node.code,
            "node_name": request.app.state.node.settings.node_name,
            "principal": getattr(request.state, "principal", None),
            "csrf_token": getattr(getattr(request.state, "principal", None), "csrf_token", None),
        },
        status_code=error.status,
    )
    return response


def install(app: FastAPI) -> None:
    @app.exception_handler(PasserelleError)
    async def _typed(request: Request, exc: PasserelleError) -> Response:
        return error_response(request, exc)

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
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in errors
        ]
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
        return error_response(
            request, ValidationFailed(f"invalid request: {summary}", problems=problems)
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
