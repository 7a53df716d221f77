"""The API reference works with no network: Swagger UI is vendored (npm ``swagger-ui-dist``,
with its licence), every script and style sheet of the page is local and served; the OpenAPI
document declares its security schemes and every route names one."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from passerelle.web import apidocs
from passerelle.web.app import PUBLIC_PATHS, SIGNED_PATHS, WEB_DIR


def test_docs_page_loads_only_local_assets_and_each_is_served(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by the node"
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.content
    # No inline script: the page keeps the console's Content-Security-Policy.
    assert "<script>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_swagger_ui_is_vendored_with_its_licence() -> None:
    folder = WEB_DIR / "static" / "vendor" / f"swagger-ui-{apidocs.SWAGGER_UI_VERSION}"
    assert "Apache License" in (folder / "LICENSE").read_text()
    bundle = (folder / "swagger-ui-bundle.js").read_text()
    assert "SwaggerUIBundle" in bundle
    assert not re.search(
        r"https?://(?:cdn|unpkg|cdnjs)", (Path(folder) / "swagger-ui.css").read_text()
    )


def test_openapi_declares_its_security_schemes_and_routes_reference_them(
    client: TestClient,
) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {**schemes["bearerToken"], "type": "http", "scheme": "bearer"}
    assert schemes["sessionCookie"]["in"] == "cookie"
    assert schemes["sessionCookie"]["name"] == "passerelle_session"
    assert schemes["httpMessageSignature"]["name"] == "Signature"
    seen = set()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            names = {name for option in operation["security"] for name in option}
            seen |= names
            if path in PUBLIC_PATHS:
                assert names == set(), (method, path)
            elif path in SIGNED_PATHS:
                assert names == {"httpMessageSignature"}, (method, path)
            else:
                assert names == {"bearerToken", "sessionCookie"}, (method, path)
    assert seen == set(schemes)
    assert doc["paths"]["/api/v1/me"]["get"]["security"] == [
        {"bearerToken": []},
        {"sessionCookie": []},
    ]


def test_the_console_links_to_the_api_docs(client: TestClient) -> None:
    login = client.get("/login")
    assert 'href="/api/v1/docs"' in login.text
