"""RFC 9457 problem details for every error the API returns.

Each problem carries the error's stable ``code`` (ictgate/core/errors.py) and, for
invalid input, one ``errors`` item per offending field. Every problem is
bilingual: ``detail`` and each ``errors[].message`` in English, ``detail_th``
and ``errors[].message_th`` in Thai, naming the field by its Thai label
(ictgate/core/thai_errors.py). Nothing here echoes a stack trace: an
unexpected exception is logged and answered with a bare 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ictgate.core.errors import FieldError, IctgateError, InadmissibleResolution, SchemaViolation
from ictgate.core.thai_errors import DETAIL_TH, PARAMETER_LABELS, bilingual, detail_th
from ictgate.core.validation import pointer_of

__all__ = ["PROBLEM_SCHEMA", "install_problem_handlers", "problem"]

log = logging.getLogger("ictgate.api")

MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "detail_th", "code"],
    "properties": {
        "type": {"type": "string", "description": "URI naming the kind of problem."},
        "title": {"type": "string", "description": "Short summary of the kind of problem."},
        "status": {"type": "integer", "description": "HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong this time (English)."},
        "detail_th": {"type": "string", "description": "The same in Thai (รายละเอียดเป็นภาษาไทย)."},
        "code": {"type": "string", "description": "Stable error code (ictgate/core/errors.py)."},
        "instance": {"type": "string", "description": "The request path."},
        "errors_total": {
            "type": "integer",
            "description": "How many errors there are in all, when ``errors`` lists only the first of them.",
        },
        "findings": {
            "type": "array",
            "description": "A resolution the policies refuse (code inadmissible_resolution): the findings "
            "that failed or need review, as in a verdict (rule, outcome, field in the resolution, "
            "message in Thai and English, citation).",
            "items": {"type": "object"},
        },
        "verdict": {
            "type": "object",
            "description": "With findings: the policies' whole stamped verdict on the refused resolution.",
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
                    "message": {"type": "string", "description": "What to fix, in English."},
                    "message_th": {
                        "type": "string",
                        "description": "What to fix, in Thai, naming the field by its Thai label "
                        "(no pointer or field code in the sentence).",
                    },
                    "keyword": {"type": "string"},
                },
                "required": ["message", "message_th"],
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
    thai: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """An RFC 9457 answer; ``thai`` is ``detail`` in Thai (by default the code's own Thai detail)."""
    body: dict[str, Any] = {
        "type": f"urn:ictgate:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "detail_th": thai or DETAIL_TH.get(code, DETAIL_TH["http_error"]),
        "code": code,
        "instance": request.url.path,
    }
    if errors is not None:
        # Every item in Thai too; a query parameter's value is read back for the Buddhist-era hint.
        body["errors"] = [
            bilingual(item, request.query_params.get(item.parameter) if item.parameter else None).as_dict()
            for item in errors
        ]
        if errors_total is not None and errors_total > len(errors):
            body["errors_total"] = errors_total
    if extra:
        body.update(extra)
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
    extra = (
        {"findings": error.findings, "verdict": error.verdict}
        if isinstance(error, InadmissibleResolution)
        else None
    )
    return problem(
        request,
        error.status,
        error.code,
        error.title,
        error.detail,
        errors,
        headers,
        total,
        detail_th(error),
        extra,
    )


# Pydantic's refusals of a query parameter, in Thai ({label} is the parameter's Thai label).
_PYDANTIC_TH = {
    "greater_than_equal": "{label} ต้องไม่น้อยกว่า {ge}",
    "greater_than": "{label} ต้องมากกว่า {gt}",
    "less_than_equal": "{label} ต้องไม่เกิน {le}",
    "less_than": "{label} ต้องน้อยกว่า {lt}",
    "int_parsing": "{label} ต้องเป็นจำนวนเต็ม",
    "int_type": "{label} ต้องเป็นจำนวนเต็ม",
    "date_parsing": "{label} ต้องเป็นวันที่แบบปีคริสต์ศักราช ปี-เดือน-วัน เช่น 2025-02-01",
    "date_from_datetime_parsing": "{label} ต้องเป็นวันที่แบบปีคริสต์ศักราช ปี-เดือน-วัน เช่น 2025-02-01",
    "date_type": "{label} ต้องเป็นวันที่แบบปีคริสต์ศักราช ปี-เดือน-วัน เช่น 2025-02-01",
    "string_pattern_mismatch": "{label} มีรูปแบบไม่ถูกต้อง",
    "string_too_long": "{label} ยาวเกินกำหนด",
    "missing": "กรุณาระบุ{label}",
}


def _pydantic_th(kind: str, label: str, context: Mapping[str, Any]) -> str:
    template = _PYDANTIC_TH.get(kind, "{label} ไม่ถูกต้อง")
    values = {name: f"{value:,}" if isinstance(value, int) else value for name, value in context.items()}
    try:
        return template.format(label=label, **values)
    except (KeyError, ValueError):
        return f"{label} ไม่ถูกต้อง"


async def _request_validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    items = []
    for item in error.errors():
        location = list(item.get("loc", ()))
        kind = str(item.get("type", ""))
        context = item.get("ctx") or {}
        if location and location[0] == "query":
            name = str(location[1])
            thai = _pydantic_th(kind, PARAMETER_LABELS.get(name, "ค่าที่ส่งมากับคำขอ"), context)
            items.append(FieldError("", str(item.get("msg", "")), kind, parameter=name, message_th=thai))
        else:
            thai = _pydantic_th(kind, "ข้อมูลช่องนี้", context)
            pointer = pointer_of(location[1:])
            items.append(FieldError(pointer, str(item.get("msg", "")), kind, message_th=thai))
    return problem(
        request,
        422,
        "schema_violation",
        "Invalid request",
        f"{len(items)} invalid parameter(s)",
        items,
        thai=f"ค่าที่ส่งมากับคำขอไม่ถูกต้อง {len(items)} รายการ",
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
    return problem(
        request, error.status_code, code, str(error.detail), str(error.detail), headers=error.headers
    )  # detail_th: the code's own Thai


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
