"""RFC 9457 problem details for every error the API returns.

Each problem carries the error's stable ``code`` (ictgate/core/errors.py) and, for
invalid input, one ``errors`` item per offending field. Nothing here echoes
a stack trace: an unexpected exception is logged and answered with a bare 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ictgate.core.errors import FieldError, IctgateError, SchemaViolation
from ictgate.core.validation import pointer_of

__all__ = ["PROBLEM_SCHEMA", "install_problem_handlers", "problem"]

log = logging.getLogger("ictgate.api")

MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "description": "URI naming the kind of problem."},
        "title": {"type": "string", "description": "Short summary of the kind of problem."},
        "status": {"type": "integer", "description": "HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong this time."},
        "code": {"type": "string", "description": "Stable error code (ictgate/core/errors.py)."},
        "instance": {"type": "string", "description": "The request path."},
        "errors_total": {
            "type": "integer",
            "description": "How many errors there are in all, when ``errors`` lists only the first of them.",
        },
        "errors": {
            "type": "array",
            "description": "One item per offending field (422): a JSON Pointer, or a query parameter. "
            "At most the first 50, by field; errors_total then counts them all.",
            "items": {
                "type": "object",
                "properties": {
                    "pointer": {"type": "string"},
                    "parameter": {"type": "string"},
                    "message": {"type": "string"},
                    "keyword": {"type": "string"},
                },
                "required": ["message"],
            },
        },
    },
}


def problem(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    errors_total: int | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:ictgate:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = [item.as_dict() for item in errors]
        if errors_total is not None and errors_total > len(errors):
            body["errors_total"] = errors_total
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {}))


async def _ictgate_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, IctgateError)
    if error.status >= 500:
        log.error("engine failure on %s: %s (%s)", request.url.path, error.detail, error.code)
    errors = error.errors if isinstance(error, SchemaViolation) else None
    total = error.total if isinstance(error, SchemaViolation) else None
    headers = {"Retry-After": "5"} if error.status == 503 else None
    if error.status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="ictgate"'}
    return problem(request, error.status, error.code, error.title, error.detail, errors, headers, total)


async def _request_validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    items = []
    for item in error.errors():
        location = list(item.get("loc", ()))
        if location and location[0] == "query":
            items.append(
                FieldError(
                    "", str(item.get("msg", "")), str(item.get("type", "")), parameter=str(location[1])
                )
            )
        else:
            items.append(
                FieldError(pointer_of(location[1:]), str(item.get("msg", "")), str(item.get("type", "")))
            )
    return problem(
        request, 422, "schema_violation", "Invalid request", f"{len(items)} invalid parameter(s)", items
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
    return problem(
        request, error.status_code, code, str(error.detail), str(error.detail), headers=error.headers
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path)
    return problem(
        request, 500, "internal_error", "Internal error", "The service failed; the error is logged."
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IctgateError, _ictgate_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
