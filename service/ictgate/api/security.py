"""Who may call what, and the headers every answer carries.

Routes declare the roles they admit with ``Depends(require(...))``; in
development mode (``ICTGATE_DEV_MODE``, which ``make run`` uses and which
``ictgate serve`` refuses off loopback) every caller is admitted, and the
service says so loudly at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ictgate.core.auth import ApiKey, KeyRing
from ictgate.core.errors import Forbidden, Unauthenticated
from ictgate.core.settings import Settings

__all__ = ["DEV_CALLER", "SecurityHeaders", "install_security", "keyring_of", "require"]

log = logging.getLogger("ictgate.security")

DEV_CALLER = ApiKey(id="development-mode", role="admin", sha256="")

# Pages a browser renders (Swagger UI and ReDoc, from local assets): they set their own CSP
# (ictgate/api/docs.py), which lets them load nothing from another origin.
_DOC_PATHS = ("/docs", "/redoc", "/openapi.json")

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Everywhere but the documentation pages.
_API_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    """Adds the headers above to every answer, as a plain ASGI middleware.

    Not ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware runs each
    request through an extra task and memory stream, which cost about 0.3 ms
    a request (docs/performance.md); this only edits the response's start message. The
    application wraps its whole stack in it (``ictgate.api.app``), so that a
    bare 500 and a CORS preflight carry the headers too.
    """

    def __init__(self, app: ASGIApp, dev_mode: bool) -> None:
        self.app = app
        self.dev_mode = dev_mode
        # Built once: the documentation pages get the common headers only.
        self._for_docs = tuple(_HEADERS.items())
        self._for_api = tuple({**_HEADERS, **_API_HEADERS}.items())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fixed = self._for_docs if str(scope.get("path", "")).startswith(_DOC_PATHS) else self._for_api

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])  # optional in ASGI
                headers = MutableHeaders(scope=message)
                for name, value in fixed:
                    headers.setdefault(name, value)
                if self.dev_mode:
                    headers["X-Ictgate-Mode"] = "development; no authentication"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def keyring_of(settings: Settings) -> KeyRing:
    return KeyRing(tuple(ApiKey(entry.id, entry.role, entry.sha256) for entry in settings.api_keys))


def _presented_key(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = request.headers.get("x-api-key", "").strip()
    return key or None


def require(*roles: str) -> Callable[[Request], ApiKey]:
    """A dependency admitting callers whose key has one of ``roles`` (admin always)."""
    admitted = frozenset((*roles, "admin"))

    def caller(request: Request) -> ApiKey:
        if request.app.state.dev_mode:
            return DEV_CALLER
        presented = _presented_key(request)
        if presented is None:
            raise Unauthenticated(
                "send an API key: Authorization: Bearer <key> (or X-API-Key)",
                "กรุณาส่งกุญแจ API ที่ผู้ดูแลระบบออกให้ (ส่วนหัว Authorization: Bearer หรือ X-API-Key)",
            )
        keyring: KeyRing = request.app.state.keyring
        key = keyring.identify(presented)
        if key is None:
            raise Unauthenticated("this API key is not known to the service", "ระบบไม่รู้จักกุญแจ API นี้")
        if key.role not in admitted:
            raise Forbidden(
                f"key {key.id!r} has role {key.role!r}; this needs {' or '.join(sorted(admitted))}",
                f"บทบาทของกุญแจ {key.id} ไม่มีสิทธิ์ใช้งานส่วนนี้",
            )
        request.state.caller = key.id
        return key

    return caller


def install_security(app: FastAPI, settings: Settings) -> None:
    app.state.dev_mode = settings.dev_mode
    app.state.keyring = keyring_of(settings)
    if settings.dev_mode:
        log.warning(
            "DEVELOPMENT MODE: authentication is OFF; every caller is admin. "
            "Never expose this service beyond loopback (ictgate serve refuses to)."
        )
    elif not app.state.keyring:
        log.warning("no API keys configured (ICTGATE_API_KEYS): every protected route will answer 401")

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key"],
        )
