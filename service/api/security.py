"""Who may call what, and the headers every answer carries.

Routes declare the roles they admit with ``Depends(require(...))``; in
development mode (``ICTGATE_DEV_MODE``, which ``make run`` uses and which
``ictgate serve`` refuses off loopback) every caller is admitted, and the
service says so loudly at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.responses import Response

from ..auth import ApiKey, KeyRing
from ..errors import Forbidden, Unauthenticated
from ..settings import Settings

__all__ = ["DEV_CALLER", "install_security", "keyring_of", "require"]

log = logging.getLogger("ictgate.security")

DEV_CALLER = ApiKey(id="development-mode", role="admin", sha256="")

# Pages a browser renders (Swagger UI loads its script from a CDN): no strict CSP there.
_DOC_PATHS = ("/docs", "/redoc", "/openapi.json")

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}


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
            raise Unauthenticated("send an API key: Authorization: Bearer <key> (or X-API-Key)")
        keyring: KeyRing = request.app.state.keyring
        key = keyring.identify(presented)
        if key is None:
            raise Unauthenticated("this API key is not known to the service")
        if key.role not in admitted:
            raise Forbidden(
                f"key {key.id!r} has role {key.role!r}; this needs {' or '.join(sorted(admitted))}"
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

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith(_DOC_PATHS):
            response.headers.setdefault(
                "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
            )
            response.headers.setdefault("Cache-Control", "no-store")
        if settings.dev_mode:
            response.headers["X-Ictgate-Mode"] = "development; no authentication"
        return response

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key"],
        )
