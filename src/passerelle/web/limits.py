"""Refuse request bodies larger than the configured limit before reading them whole."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.errors import PayloadTooLarge


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Body parsers re-wrap exceptions as "400 bad body"; the flag lets the
                    # error handler report the real cause.
                    scope.setdefault("state", {})["body_too_large"] = self._message()
                    raise PayloadTooLarge(self._message())
            return message

        await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"the request body is larger than the {self.max_bytes}-byte limit"

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": PayloadTooLarge.code, "message": self._message()}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": PayloadTooLarge.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
