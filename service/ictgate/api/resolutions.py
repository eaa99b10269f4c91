"""Committee resolutions on logged pre-checks: recorded by a secretariat, read by auditors.

POST records one (the policies decide whether it may be: 422 with the findings if not);
GET lists those of a pre-check, each with what superseded it (docs/resolutions.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ictgate.api.body import read_json_body
from ictgate.api.deps import PrecheckerDep, SettingsDep
from ictgate.api.security import require
from ictgate.audit.resolutions import resolution_views

__all__ = ["router"]

router = APIRouter(tags=["resolutions"])

PATH = "/v1/decisions/{decision_id}/resolutions"


@router.post(
    PATH,
    summary="Record a committee's resolution on a logged pre-check",
    dependencies=[Depends(require("secretariat"))],
)
async def record_resolution(
    decision_id: str,
    request: Request,
    checker: PrecheckerDep,
    app_settings: SettingsDep,
    as_of: Annotated[
        str | None,
        Query(description="Judge the resolution at this date (YYYY-MM-DD); default: today in Thailand."),
    ] = None,
) -> JSONResponse:
    resolution = await read_json_body(request, app_settings.max_body_bytes, app_settings.max_json_depth)
    verdict = await run_in_threadpool(checker.resolve, decision_id, resolution, as_of)
    return JSONResponse(verdict)


@router.get(
    PATH,
    summary="The resolutions recorded on a logged pre-check",
    dependencies=[Depends(require("auditor", "secretariat"))],
)
async def list_resolutions(decision_id: str, checker: PrecheckerDep) -> JSONResponse:
    records = await run_in_threadpool(checker.resolutions, decision_id)
    items: list[dict[str, Any]] = resolution_views(records)
    return JSONResponse({"decision_id": decision_id, "resolutions": items})
