"""Refuse request bodies larger than the configured limit before reading them whole."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.digits import MAX_DIGITS
from passerelle.errors import PayloadTooLarge
from passerelle.storage import serving_request

#: Bodies of this type are tus 1.0 PATCH chunks: their handler streams them to disk and
#: enforces the upload's announced ``Upload-Length`` itself, so the global limit does not apply.
STREAMED_TYPES = (b"application/offset+octet-stream",)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if headers.get(b"content-type") in STREAMED_TYPES:
            await self.app(scope, receive, send)
            return
        declared = headers.get(b"content-length")
        if (
            declared is not None
            and declared.isdigit()
            and (len(declared) > MAX_DIGITS or int(declared) > self.max_bytes)
        ):
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


#: Sent with every console page: no framing, no inline script, nothing from other origins.
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
]
#: Paths served without these headers: none (the API reference's Swagger UI is vendored and
#: started by a script file, see ``passerelle.web.apidocs``).
CSP_EXEMPT: tuple[str, ...] = ()


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (CSP_EXEMPT and scope["path"].startswith(CSP_EXEMPT)):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


class ServingMiddleware:
    """Mark the request's context as serving: a database session opened on the event loop
    from here on is refused (:class:`~passerelle.storage.database.BlockingCallOnEventLoop`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = serving_request.set(scope["type"] == "http")
        try:
            await self.app(scope, receive, send)
        finally:
            serving_request.reset(token)
