"""Reading a JSON request body within the limits: media type, then size, then syntax."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from ictgate.core.errors import PayloadTooLarge, UnsupportedMediaType
from ictgate.core.validation import parse_json

__all__ = ["read_json_body"]


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def read_json_body(request: Request, max_bytes: int, max_depth: int = 32) -> Any:
    content_type = request.headers.get("content-type", "")
    if not _is_json(content_type):
        shown = content_type or "no Content-Type"
        raise UnsupportedMediaType(f"send the document as application/json, not {shown}")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"the body is {declared} bytes; the limit is {max_bytes}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"the body is over the limit of {max_bytes} bytes")
        chunks.append(chunk)
    return parse_json(b"".join(chunks), max_depth)
