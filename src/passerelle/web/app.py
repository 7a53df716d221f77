"""The FastAPI application of one node: REST API under /api/v1, console, health."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import jinja2
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from passerelle import __version__, domains
from passerelle.kit import explain, i18n, labels
from passerelle.node import Node
from passerelle.privacy import retention
from passerelle.web import api, apidocs, console, console_admin, deps, errors, menus
from passerelle.web.limits import BodyLimitMiddleware, SecurityHeadersMiddleware, ServingMiddleware

WEB_DIR = Path(__file__).parent
log = logging.getLogger("passerelle.retention")

#: Paths that answer without a principal. Everything else must declare its roles (route-walk test).
PUBLIC_PATHS = frozenset({"/health", "/login", "/api/v1/openapi.json", "/api/v1/docs"})
#: Node-to-node paths: authenticated by an RFC 9421 signature instead of a session or token.
SIGNED_PATHS = frozenset({"/federation/v1/messages", "/federation/v1/jit/evidence/{evidence_id}"})


def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    t = Jinja2Templates(env=env)
    t.env.globals["languages"] = i18n.LANGUAGES
    t.env.globals["current_locale"] = i18n.current_locale
    t.env.globals["version"] = __version__
    t.env.globals["nav_links"] = domains.nav_links()
    t.env.globals["may_open"] = menus.may_open
    t.env.globals["label"] = labels.label
    t.env.globals["explain"] = explain.sentences
    t.env.filters["citation"] = labels.citation
    t.env.filters["label"] = lambda code, group: labels.label(group, code)
    return t


def create_app(node: Node) -> FastAPI:
    """Build the web app around an opened node."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        interval = node.settings.retention_interval_seconds
        task = asyncio.create_task(retention_scheduler(node, interval)) if interval > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    app = FastAPI(
        lifespan=lifespan,
        title=f"Passerelle node {node.code}",
        version=__version__,
        description="REST API of a Passerelle node. Every route needs a session or an API "
        "token (`Authorization: Bearer …`) and one of the roles it names.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served offline by passerelle.web.apidocs
        redoc_url=None,
        dependencies=[Depends(d) for d in deps.REQUEST_DEPENDENCIES],
    )
    app.state.node = node
    app.state.templates = templates()
    app.add_middleware(BodyLimitMiddleware, max_bytes=node.settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ServingMiddleware)
    errors.install(app)
    apidocs.install(app, PUBLIC_PATHS, SIGNED_PATHS, "/api/v1/openapi.json")
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")

    @app.get("/health", tags=["node"])
    async def health() -> dict[str, str]:
        """Liveness and identity of the node; public, carries no personal data.

        Async on purpose: it needs no database and no thread, so it answers even when every
        worker thread waits for a database lock."""
        return {"status": "ok", "node": node.code, "version": __version__}

    app.state.routers = [api.router, console.router, console_admin.router, *domains.routers()]
    for router in app.state.routers:
        app.include_router(router)
    return app


async def retention_scheduler(node: Node, interval: float) -> None:
    """Apply the retention rules at start-up and then every ``interval`` seconds."""
    while True:
        try:
            await asyncio.to_thread(
                retention.run, node.session, node.retention, node=node.code, now=node.clock.now()
            )
        except Exception:  # a failed run is logged and retried at the next tick
            log.exception("retention run failed")
        await asyncio.sleep(interval)


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every route of the app with its own dependencies (for the route-walk test and docs)."""
    own = [r for r in app.router.routes if isinstance(r, APIRoute)]
    included = [r for router in app.state.routers for r in router.routes if isinstance(r, APIRoute)]
    return own + included
