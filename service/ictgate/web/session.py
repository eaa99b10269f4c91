"""Sessions of the web pages: an API key given once at login, then a signed cookie.

API keys are for machines. A person logs in by pasting their key once; the
service checks it against ICTGATE_API_KEYS and sets a cookie holding a signed
session (key id, role, CSRF token, expiry), never the key itself. The cookie
is HttpOnly, SameSite=Strict, and Secure when the page was served over https.
Every request re-checks that the key id still exists with the same role, so
removing a key from the configuration ends its sessions.

The signature is HMAC-SHA256 with ICTGATE_SESSION_SECRET when it is set (the
same for every worker process, so `ictgate serve --workers 2` keeps sessions);
without it, a secret drawn at random when the app is built: restarting the
service then logs everyone out, and each worker process has its own sessions.

Every POST form carries the session's CSRF token; a browser without a
session (the login page, development mode) gets an anonymous session first.

Logging out ends the session on the server, not only in the browser: every
session carries a random id, and logout writes that id (with the session's
expiry) to a small store shared by the worker processes
(``ictgate.web.revocations``, ICTGATE_SESSION_STORE). A copy of the cookie
taken before the logout is refused from then on, by every worker. A cookie
from before session ids existed reads as logged out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.responses import Response

from ictgate.web.revocations import SessionRevocations, revocations_of

__all__ = ["COOKIE", "Session", "end_session", "issue", "read_session", "set_cookie"]

COOKIE = "ictgate_session"
LIFETIME_SECONDS = 8 * 3600


@dataclass(frozen=True)
class Session:
    csrf: str
    expires: int
    key_id: str | None = None
    role: str | None = None
    fresh: bool = False  # not yet in the browser: the response must set the cookie
    sid: str = ""  # the session's own id: what logout revokes on the server

    def payload(self) -> dict[str, Any]:
        return {
            "csrf": self.csrf,
            "exp": self.expires,
            "kid": self.key_id,
            "role": self.role,
            "sid": self.sid,
        }

    def anonymous(self) -> Session:
        return Session(self.csrf, self.expires, sid=self.sid)


def _secret(request: Request) -> bytes:
    state = request.app.state
    if not hasattr(state, "web_session_secret"):
        configured = getattr(state.settings, "session_secret", None)
        state.web_session_secret = (
            hashlib.sha256(configured.encode("utf-8")).digest() if configured else secrets.token_bytes(32)
        )
    secret: bytes = state.web_session_secret
    return secret


def _sign(secret: bytes, body: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode().rstrip("=")


def encode(secret: bytes, session: Session) -> str:
    body = base64.urlsafe_b64encode(json.dumps(session.payload(), separators=(",", ":")).encode())
    return f"{body.decode().rstrip('=')}.{_sign(secret, body.rstrip(b'='))}"


def decode(secret: bytes, value: str) -> Session | None:
    body, _, signature = value.partition(".")
    if not body or not hmac.compare_digest(_sign(secret, body.encode()), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        session = Session(
            str(data["csrf"]),
            int(data["exp"]),
            data.get("kid"),
            data.get("role"),
            sid=str(data.get("sid") or ""),
        )
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires > time.time() else None


def issue(key_id: str | None = None, role: str | None = None) -> Session:
    return Session(
        secrets.token_urlsafe(24),
        int(time.time()) + LIFETIME_SECONDS,
        key_id,
        role,
        fresh=True,
        sid=secrets.token_urlsafe(18),
    )


def _still_valid(request: Request, session: Session) -> Session:
    """A logged-in session is anonymous again once its key was removed or changed role, or it was
    logged out (its id revoked on the server), or it has no id to revoke (a cookie from before)."""
    if session.key_id is None:
        return session
    if not session.sid or _revocations(request).is_revoked(session.sid):
        return session.anonymous()
    for entry in request.app.state.settings.api_keys:
        if entry.id == session.key_id and entry.role == session.role:
            return session
    return session.anonymous()


def _revocations(request: Request) -> SessionRevocations:
    return revocations_of(request.app.state)


def end_session(request: Request, session: Session) -> None:
    """Revokes ``session`` on the server (every worker refuses it from now on); raises OSError-like
    ``SessionStoreUnavailable`` when the store cannot be written."""
    # Only a logged-in session is worth revoking: an anonymous one grants nothing, and
    # revoking it would let anyone grow the store with GET /login + POST /logout.
    if session.sid and session.key_id is not None:
        _revocations(request).revoke(session.sid, session.expires)


def read_session(request: Request) -> Session:
    """The browser's session, or a new anonymous one (set on the response by the page)."""
    cached = getattr(request.state, "web_session", None)
    if isinstance(cached, Session):
        return cached
    value = request.cookies.get(COOKIE)
    session = decode(_secret(request), value) if value else None
    session = _still_valid(request, session) if session else issue()
    request.state.web_session = session
    return session


def set_cookie(request: Request, response: Response, session: Session | None) -> None:
    if session is None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
        return
    response.set_cookie(
        COOKIE,
        encode(_secret(request), session),
        max_age=LIFETIME_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def csrf_ok(session: Session, token: str) -> bool:
    return bool(token) and hmac.compare_digest(session.csrf.encode(), token.encode())
