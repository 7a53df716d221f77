"""The route kit: node, database session, principal and page rendering for every router.

Domain and core routers import these instead of ``passerelle.web`` (which composes the app and
sits above them). The session dependency has one spelling, :data:`DbSession`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from passerelle.kit import flash
from passerelle.node import Node
from passerelle.privacy import Principal, require

__all__ = ["DbSession", "Principal", "db_session", "node_of", "render", "require"]


def node_of(request: Request) -> Node:
    """FastAPI dependency: the node serving this request."""
    node: Node = request.app.state.node
    return node


def db_session(request: Request) -> Iterator[Session]:
    """FastAPI dependency: a database session for the request, committed when the route returns.

    Declare it through :data:`DbSession` (``Depends(db_session, scope="function")``): the
    commit must happen before the response is sent, or a client's next request (whose
    credentials are read without waiting for writers) may not see what the answer said was
    stored, and a crash between the two would lose an acknowledged write."""
    with node_of(request).session() as session:
        yield session


#: The request's database session, committed before the response (the one spelling).
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """A console page: ``template`` with the principal, CSRF token, node and the pending
    success message (:mod:`passerelle.kit.flash`, shown once) in its context."""
    principal: Principal | None = request.state.principal
    message = flash.take(request)
    base = {
        "flash": message,
        "principal": principal,
        "csrf_token": principal.csrf_token if principal else None,
        "node": node_of(request).code,
        "node_name": node_of(request).settings.node_name,
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, {**base, **(context or {})}, status_code=status
    )
    if message is not None:
        flash.clear(request, response)
    return response
