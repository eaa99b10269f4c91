"""Reading a JSON request body: media type, then size (every byte counted), then syntax off the event loop.

The bytes are read within the limit (``ictgate.core.bodylimit``), then handed to a
worker thread to parse: the event loop never runs a parser, so one request
cannot hold up ``/healthz`` or the other requests of its worker.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from ictgate.core.bodylimit import BodyLimit, read_body
from ictgate.core.errors import UnsupportedMediaType
from ictgate.core.validation import parse_json

__all__ = ["BodyLimit", "read_body", "read_json_body"]


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def read_json_body(request: Request, max_bytes: int, max_depth: int = 32) -> Any:
    content_type = request.headers.get("content-type", "")
    if not _is_json(content_type):
        shown = content_type or "no Content-Type"
        raise UnsupportedMediaType(
            f"send the document as application/json, not {shown}",
            "กรุณาส่งข้อมูลเป็น JSON (Content-Type: application/json)",
        )
    raw = await read_body(request, max_bytes)
    return await run_in_threadpool(parse_json, raw, max_depth)
