"""Menus show only what the reader's role may open.

:func:`may_open` looks up the console route a link leads to and the roles it requires (the
same :class:`~passerelle.privacy.access.RoleRequirement` that guards it), so a menu never
offers a page that would answer 403. Templates call it as ``may_open(path)``.
"""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi import FastAPI
from fastapi.routing import APIRoute

from passerelle.privacy import Principal, RoleRequirement


def _requirement(route: APIRoute) -> RoleRequirement | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, RoleRequirement):
            return dep.call
        stack.extend(dep.dependencies)
    return None


def _get_routes(app: FastAPI) -> list[tuple[APIRoute, frozenset[str] | None]]:
    cached: list[tuple[APIRoute, frozenset[str] | None]] | None = getattr(
        app.state, "menu_routes", None
    )
    if cached is None:
        cached = []
        routers = getattr(app.state, "routers", [])
        routes = [*app.router.routes, *(r for router in routers for r in router.routes)]
        for route in routes:
            if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
                requirement = _requirement(route)
                cached.append((route, frozenset(requirement.roles) if requirement else None))
        app.state.menu_routes = cached
    return cached


def allowed(app: FastAPI, principal: Principal | None, path: str) -> bool:
    """Whether ``principal`` may open the console page at ``path`` (a path unknown to the app
    is left to its 404)."""
    bare = path.split("?", 1)[0].split("#", 1)[0]
    for route, roles in _get_routes(app):
        if route.path_regex.match(bare):
            return roles is None or (principal is not None and principal.has_any(roles))
    return True


@jinja2.pass_context
def may_open(context: Any, path: str) -> bool:
    request = context.get("request")
    if request is None:
        return True
    return allowed(request.app, context.get("principal"), path)
