"""Request bodies within the limit, for the API and the web pages alike.

``BodyLimit`` wraps the whole application (``ictgate.api.app``): it refuses a
declared ``Content-Length`` over the limit before reading anything, and counts
the bytes a request actually sends (chunked bodies declare no length), stopping
the request at the first chunk past the limit, whatever the route and content
type (JSON, urlencoded or multipart forms, the open ``/login``). Nothing is
parsed, and no CSRF token read, before the body is known to be within it.

``read_body`` reads a whole body within the limit (also on its own, without
the middleware) and leaves it for a form parser to read again.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ictgate.core.errors import PayloadTooLarge

__all__ = ["BodyLimit", "read_body"]


def _too_large(limit: int, declared: str | None = None) -> PayloadTooLarge:
    if declared is not None:
        return PayloadTooLarge(
            f"the body is {declared} bytes; the limit is {limit} (ข้อมูลที่ส่งมีขนาดเกิน {limit} ไบต์)",
            f"ข้อมูลที่ส่งมีขนาดเกิน {limit:,} ไบต์",
        )
    return PayloadTooLarge(
        f"the body is over the limit of {limit} bytes (ข้อมูลที่ส่งมีขนาดเกิน {limit} ไบต์)",
        f"ข้อมูลที่ส่งมีขนาดเกิน {limit:,} ไบต์",
    )


class BodyLimit:
    """Counts the body bytes of every HTTP request and stops it past ``limit``.

    Past the limit, ``receive`` raises ``PayloadTooLarge`` in whatever reads the
    body (a route, a form parser); the application's handler answers 413. If the
    error escapes the application before an answer was started, this answers
    the 413 itself, so a body over the limit is never a 500.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.limit:
            await _answer(scope, send, _too_large(self.limit, str(declared)))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _too_large(self.limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except PayloadTooLarge as error:
            if started:
                raise
            await _answer(scope, send, error)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _answer(scope: Scope, send: Send, error: PayloadTooLarge) -> None:
    body = json.dumps(
        {
            "type": f"urn:ictgate:problem:{error.code}",
            "title": error.title,
            "status": error.status,
            "detail": error.detail,
            "detail_th": error.detail_th,
            "code": error.code,
            "instance": str(scope.get("path", "")),
        },
        ensure_ascii=False,
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                # The rest of the body is not read: the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The whole body, at most ``max_bytes`` (also enforced by ``BodyLimit`` when it wraps the app)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes, declared)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    body = b"".join(chunks)
    # Later readers (a form parser) get these bytes, never the stream again.
    request._body = body
    return body
