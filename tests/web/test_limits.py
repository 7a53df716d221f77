"""The body limit reads Content-Length as a bounded number: 5,000 digits are a 413, not a crash."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from passerelle.web.limits import BodyLimitMiddleware


def test_a_content_length_of_5000_digits_is_refused_before_the_app() -> None:
    reached: list[Scope] = []
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope)

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    limited = BodyLimitMiddleware(app, 100)
    scope = {
        "type": "http",
        "path": "/api/v1/pnr/pnrgov",
        "headers": [(b"content-length", b"9" * 5000)],
    }
    asyncio.run(limited(scope, receive, send))
    assert reached == []
    assert sent[0]["status"] == 413
