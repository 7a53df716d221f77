"""The role requirement of every route: checked on the event loop, so a request whose
principal is known needs no worker thread to be let in or refused."""

from __future__ import annotations

import threading

import anyio
import anyio.lowlevel
import anyio.to_thread
import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from passerelle.errors import PasserelleError
from passerelle.privacy import Principal, require


def _app() -> ASGIApp:
    app = FastAPI()

    @app.exception_handler(PasserelleError)
    async def typed(_: Request, exc: PasserelleError) -> JSONResponse:
        return JSONResponse({"error": exc.code}, status_code=exc.status)

    @app.get("/work")
    async def work(principal: Principal = require("analyst")) -> dict[str, str]:
        return {"name": principal.name}

    async def with_principal(scope: Scope, receive: Receive, send: Send) -> None:
        # What the app's ``authenticate`` leaves on the request: the resolved principal.
        role = dict(scope["headers"]).get(b"x-role", b"").decode()
        scope.setdefault("state", {})["principal"] = (
            Principal(kind="token", id=1, name="t", agency="BE", roles=frozenset({role}))
            if role
            else None
        )
        await app(scope, receive, send)

    return with_principal


def test_roles_are_checked_while_every_worker_thread_is_busy() -> None:
    answers: dict[str, int] = {}

    async def main() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = 1
        release = threading.Event()
        async with anyio.create_task_group() as group:
            group.start_soon(anyio.to_thread.run_sync, release.wait)
            while limiter.borrowed_tokens < 1:  # the only worker thread is now taken
                await anyio.lowlevel.checkpoint()
            try:
                transport = httpx.ASGITransport(app=_app())
                async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                    with anyio.fail_after(5):  # a role check waiting for a thread never ends
                        for role in ("analyst", "marketplace", ""):
                            response = await client.get("/work", headers={"x-role": role})
                            answers[role or "none"] = response.status_code
            finally:
                release.set()

    anyio.run(main)
    assert answers == {"analyst": 200, "marketplace": 403, "none": 401}
