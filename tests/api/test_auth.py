"""Who may call what: API keys with roles, 401 versus 403, development mode, headers."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.cli.main import main
from ictgate.core.auth import ApiKey, KeyRing, hash_key, new_key
from ictgate.core.settings import ApiKeyEntry, Settings
from ictgate.prechecker import Prechecker

from tests.support.cases import submission
from tests.support.helpers import ROOT

KEYS = {role: new_key() for role in ("submitter", "auditor", "secretariat", "admin")}
RESOLUTION = json.loads(
    (ROOT / "schemas/examples/resolution/valid/samut-prakan-endorsed.json").read_text("utf-8")
)
RESOLUTIONS = "/v1/decisions/0b6d3c1e-7a8f-4a43-9a4e-2f6a9f0d3c21/resolutions"
ORDER = json.loads(
    (ROOT / "schemas/examples/committee_order/valid/samut-prakan-2024-amended.json").read_text()
)


@pytest.fixture(scope="module")
def secured_settings(settings: Settings) -> Settings:
    entries = tuple(
        ApiKeyEntry(id=f"{role}-1", role=role, sha256=hash_key(key)) for role, key in KEYS.items()
    )
    return settings.model_copy(update={"dev_mode": False, "api_keys": entries})


@pytest.fixture(scope="module")
def secured(secured_settings: Settings, prechecker: Prechecker) -> TestClient:
    return TestClient(create_app(secured_settings, prechecker))


def _as(role: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {KEYS[role]}"} if role else {}


ROUTES: list[tuple[str, str, Any]] = [
    ("POST", "/v1/precheck", submission()),
    ("POST", "/v1/committees/check", ORDER),
    ("GET", "/v1/rules", None),
    ("GET", "/v1/rules/R-AUTH-1", None),
    ("GET", "/v1/decisions", None),
    ("GET", "/v1/reports/semiannual", None),
    ("POST", RESOLUTIONS, RESOLUTION),
    ("GET", RESOLUTIONS, None),
]
ALLOWED = {
    "/v1/precheck": {"submitter", "admin"},
    "/v1/committees/check": {"submitter", "admin"},
    "/v1/rules": {"submitter", "auditor", "admin"},
    "/v1/rules/R-AUTH-1": {"submitter", "auditor", "admin"},
    "/v1/decisions": {"auditor", "secretariat", "admin"},
    "/v1/reports/semiannual": {"auditor", "secretariat", "admin"},
}
# The same path, two methods: a secretariat records resolutions, an auditor reads them.
ALLOWED_BY_METHOD = {
    ("POST", RESOLUTIONS): {"secretariat", "admin"},
    ("GET", RESOLUTIONS): {"auditor", "secretariat", "admin"},
}


def _call(client: TestClient, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    if method == "POST":
        return client.post(path, json=body, headers=headers)
    return client.get(path, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
@pytest.mark.parametrize("role", ["submitter", "auditor", "secretariat", "admin"])
def test_each_role_is_allowed_or_refused_where_it_should_be(
    secured: TestClient, method: str, path: str, body: Any, role: str
) -> None:
    response = _call(secured, method, path, body, _as(role))
    allowed = ALLOWED_BY_METHOD.get((method, path)) or ALLOWED[path]
    if role in allowed:
        # The service's own answer: 200, or 503 where this test app has no decision log.
        assert response.status_code in (200, 503), response.text
        assert response.status_code == 200 or response.json()["code"] == "decision_log_unavailable"
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert f"{role}-1" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_no_key_is_401_with_a_bearer_challenge(
    secured: TestClient, method: str, path: str, body: Any
) -> None:
    response = _call(secured, method, path, body, {})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="ictgate"'
    assert response.json()["code"] == "unauthenticated"


def test_an_unknown_key_is_401_not_403(secured: TestClient) -> None:
    response = secured.post(
        "/v1/precheck", json=submission(), headers={"authorization": f"Bearer {new_key()}"}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "this API key is not known to the service"


def test_the_key_may_come_in_x_api_key(secured: TestClient) -> None:
    response = secured.post("/v1/precheck", json=submission(), headers={"x-api-key": KEYS["submitter"]})
    assert response.status_code == 200


def test_health_and_docs_need_no_key(secured: TestClient) -> None:
    assert secured.get("/healthz").status_code == 200
    assert secured.get("/readyz").status_code == 200
    assert secured.get("/openapi.json").status_code == 200


def test_keys_never_reach_the_logs_or_the_answers(
    secured: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = [
        secured.post("/v1/precheck", json=submission(), headers=_as("auditor")).text,
        secured.get("/v1/decisions", headers=_as("submitter")).text,
        secured.post("/v1/precheck", json=submission(), headers={"authorization": "Bearer ictg_wrong"}).text,
    ]
    seen = caplog.text + "".join(answers)
    assert all(key not in seen for key in KEYS.values())
    assert "ictg_wrong" not in seen


def test_keyring_identifies_by_digest_only() -> None:
    key = new_key()
    ring = KeyRing((ApiKey("a", "auditor", hash_key(new_key())), ApiKey("b", "submitter", hash_key(key))))
    assert ring.identify(key) == ApiKey("b", "submitter", hash_key(key))
    assert ring.identify(key + "x") is None
    assert key.startswith("ictg_") and len(key) > 40


def test_every_answer_carries_the_security_headers(secured: TestClient) -> None:
    response = secured.post("/v1/precheck", json=submission(), headers=_as("submitter"))
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["cache-control"] == "no-store"
    assert "x-ictgate-mode" not in response.headers


def test_cors_is_closed_by_default(secured: TestClient) -> None:
    response = secured.options(
        "/v1/precheck", headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in response.headers


def test_cors_opens_only_to_configured_origins(secured_settings: Settings, prechecker: Prechecker) -> None:
    settings = secured_settings.model_copy(update={"cors_origins": ("https://procurement.example.go.th",)})
    client = TestClient(create_app(settings, prechecker))
    allowed = client.options(
        "/v1/precheck",
        headers={"origin": "https://procurement.example.go.th", "access-control-request-method": "POST"},
    )
    assert allowed.headers["access-control-allow-origin"] == "https://procurement.example.go.th"
    refused = client.options(
        "/v1/precheck", headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in refused.headers
    # The CORS layer answers preflights itself; the security headers sit outside it.
    assert allowed.headers["x-frame-options"] == refused.headers["x-frame-options"] == "DENY"


def test_a_start_message_without_headers_gets_them() -> None:
    import asyncio

    from ictgate.api.security import SecurityHeaders
    from starlette.types import Message, Receive, Scope, Send

    async def bare(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204})  # "headers" is optional in ASGI
        await send({"type": "http.response.body", "body": b""})

    sent: list[Message] = []

    async def collect(message: Message) -> None:
        sent.append(message)

    async def nothing() -> Message:
        return {"type": "http.request", "body": b""}

    asyncio.run(SecurityHeaders(bare, dev_mode=False)({"type": "http", "path": "/x"}, nothing, collect))
    assert (b"x-content-type-options", b"nosniff") in sent[0]["headers"]


def test_development_mode_says_so_on_every_answer(client: TestClient) -> None:
    assert client.get("/healthz").headers["x-ictgate-mode"] == "development; no authentication"


def test_serve_refuses_development_mode_off_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--dev", "--host", "0.0.0.0"]) == 2
    assert "development mode is for loopback only" in capsys.readouterr().err


def test_serve_refuses_to_start_without_keys(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ictgate.core.settings import get_settings

    monkeypatch.delenv("ICTGATE_DEV_MODE", raising=False)
    monkeypatch.delenv("ICTGATE_API_KEYS", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["serve", "--host", "127.0.0.1"]) == 2
    finally:
        get_settings.cache_clear()
    assert "no API keys configured" in capsys.readouterr().err


def test_keys_create_prints_the_key_once_and_its_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--id", "procurement-th11", "--role", "submitter"]) == 0
    lines = capsys.readouterr().out.splitlines()
    key = lines[1].strip()
    entry = json.loads(lines[3].strip())
    assert entry == {"id": "procurement-th11", "role": "submitter", "sha256": hash_key(key)}
    ApiKeyEntry(**entry)


def test_an_unexpected_failure_is_a_bare_500(settings: Settings, prechecker: Prechecker) -> None:
    class Exploding:
        description = "exploding"

        def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
            raise ZeroDivisionError("secret internals")

        def close(self) -> None:
            pass

    broken = Prechecker(prechecker.bundle, Exploding(), prechecker.schemas)
    client = TestClient(create_app(settings, broken), raise_server_exceptions=False)
    response = client.post("/v1/precheck", json=submission())
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "secret internals" not in response.text and "Traceback" not in response.text
    # Starlette answers it from its outermost layer; the security headers wrap even that.
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
