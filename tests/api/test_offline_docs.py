"""/docs and /redoc load nothing from the internet: their assets are served by the service itself."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from ictgate.api.docs import ASSETS, DOCS_CSP

_REFERENCES = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_pages_reference_only_local_assets(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    references = [a or b for a, b in _REFERENCES.findall(html)]
    assert references, html
    for reference in references:
        assert reference.startswith("/"), reference
        assert not reference.startswith("//"), reference
    assert "http://" not in html and "https://" not in html
    # The browser may load nothing from another origin, whatever a script asks for.
    assert response.headers["content-security-policy"] == DOCS_CSP
    assert "https:" not in DOCS_CSP and "http:" not in DOCS_CSP


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/docs/static/swagger-ui-bundle.js", "text/javascript"),
        ("/docs/static/swagger-ui.css", "text/css"),
        ("/docs/static/redoc.standalone.js", "text/javascript"),
        ("/docs/static/favicon.png", "image/png"),
    ],
)
def test_the_assets_are_served(client: TestClient, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.content == (ASSETS / path.rsplit("/", 1)[1]).read_bytes()


def test_the_swagger_page_loads_the_local_script_and_document(client: TestClient) -> None:
    html = client.get("/docs").text
    assert '<script src="/docs/static/swagger-ui-bundle.js"></script>' in html
    assert '<link type="text/css" rel="stylesheet" href="/docs/static/swagger-ui.css">' in html
    assert "url: '/openapi.json'" in html
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io
    redoc = client.get("/redoc").text
    assert '<script src="/docs/static/redoc.standalone.js">' in redoc
    assert "fonts.googleapis.com" not in redoc


def test_the_docs_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]
