"""The interactive API reference, served offline, and the security schemes of the OpenAPI
document.

Swagger UI comes from the npm package ``swagger-ui-dist`` (Apache-2.0), vendored with its
licence under ``static/vendor/swagger-ui-<version>``: the page loads nothing from another
origin and works with no network. It is started by our own script (no inline script), so the
page keeps the console's Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

SWAGGER_UI_VERSION = "5.35.0"
SWAGGER_UI = f"/static/vendor/swagger-ui-{SWAGGER_UI_VERSION}"
DOCS_URL = "/api/v1/docs"

#: OpenAPI security schemes: how a caller proves who it is.
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token of a machine client (`passerelle token create`, "
        "`POST /api/v1/tokens`), sent as `Authorization: Bearer <token>`.",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "passerelle_session",
        "description": "The console session of a logged-in user (`POST /login`). State-changing "
        "requests also send the `X-CSRF-Token` header (or the form's `csrf_token`).",
    },
    "httpMessageSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "Signature",
        "description": "Node-to-node messages: an HTTP message signature (RFC 9421, "
        "Ed25519) with `Signature-Input` and `Content-Digest`, checked against the peer's "
        "registered public key.",
    },
}
#: What protects a route that names roles: a user session or an API token.
USER_SECURITY: list[dict[str, list[str]]] = [{"bearerToken": []}, {"sessionCookie": []}]
SIGNED_SECURITY: list[dict[str, list[str]]] = [{"httpMessageSignature": []}]


def docs_page(title: str, openapi_url: str) -> str:
    """The Swagger UI page: local script and style sheet only."""
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} · API</title>
  <link rel="icon" href="{SWAGGER_UI}/favicon-32x32.png">
  <link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></main>
<script src="{SWAGGER_UI}/swagger-ui-bundle.js"></script>
<script src="/static/apidocs.js"></script>
</body>
</html>
"""


def install(app: FastAPI, public: Iterable[str], signed: Iterable[str], openapi_url: str) -> None:
    """Serve the offline reference at :data:`DOCS_URL` and declare the security schemes: each
    operation names what protects it (none for public paths, a signature for signed ones)."""
    public_paths, signed_paths = frozenset(public), frozenset(signed)

    @app.get(DOCS_URL, include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.title, openapi_url))

    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
        schema["security"] = USER_SECURITY
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                if path in public_paths:
                    operation["security"] = []
                elif path in signed_paths:
                    operation["security"] = SIGNED_SECURITY
                else:
                    operation["security"] = USER_SECURITY
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
