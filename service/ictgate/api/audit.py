"""Auditors' endpoints: logged decisions and the six-monthly report (R-AUTH-6).

A committee secretariat reads them too: it records resolutions on the decisions
(ictgate/api/resolutions.py) and writes the report to the MOI committee.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from ictgate.api.deps import PrecheckerDep
from ictgate.api.problems import problem
from ictgate.api.security import require
from ictgate.audit.decisionlog import MAX_PAGE_SIZE, DecisionFilter, DecisionLog, StoredRecord
from ictgate.audit.report_files import report_file
from ictgate.audit.resolutions import RESOLUTION_FILTERS, resolved_filter
from ictgate.audit.semiannual import semiannual_report
from ictgate.audit.views import decision_view
from ictgate.core.errors import DecisionLogUnavailable, FieldError, SchemaViolation

__all__ = ["router"]

router = APIRouter(tags=["audit"], dependencies=[Depends(require("auditor", "secretariat"))])


def _log(checker: Any) -> DecisionLog:
    if checker.log is None:
        raise DecisionLogUnavailable(
            "this service runs without a decision log", "ระบบนี้ไม่ได้เปิดใช้บันทึกผลการตรวจสอบ"
        )
    log: DecisionLog = checker.log
    return log


def _summary(record: StoredRecord) -> dict[str, Any]:
    route = record.verdict.get("route") or {}
    return {
        "decision_id": record.decision_id,
        "sequence": record.sequence,
        "recorded_at": record.recorded_at,
        "kind": record.kind,
        "as_of": record.as_of,
        "verdict": record.outcome,
        "route": {"body": route.get("body"), "province": route.get("province")} if route else None,
        "province": record.province,
        "agency_name": record.agency_name,
        "system_id": record.system_id,
        "fiscal_year": record.fiscal_year,
        "budget_thb": None if record.budget_thb is None else format(record.budget_thb, "f"),
        "failed_rules": sorted({r.rule for r in record.rules if r.outcome == "fail"}),
        "policy_revision": record.policy_revision,
    }


@router.get("/v1/decisions/{decision_id}", summary="One logged decision")
def get_decision(decision_id: str, request: Request, checker: PrecheckerDep) -> Response:
    record = _log(checker).get(decision_id)
    if record is None:
        return problem(
            request,
            404,
            "not_found",
            "Unknown decision",
            f"no decision {decision_id!r} in the log",
            thai=f"ไม่พบผลการตรวจสอบเลขที่ {decision_id} ในบันทึก",
        )
    return JSONResponse(decision_view(record))


def _filter(log: DecisionLog | None = None, **values: Any) -> DecisionFilter:
    """The filter of a search; ``resolution`` and ``accepted_failure`` (read from the log's
    resolution records) select pre-checks by what their committees resolved."""
    resolution, accepted = values.pop("resolution", None), values.pop("accepted_failure", None)
    try:
        if log is not None:
            chosen = resolved_filter(log, resolution, accepted)
            values.update({k: v for k, v in chosen.items() if k != "kind" or values.get("kind") is None})
        return DecisionFilter(**values)
    except ValueError as error:
        raise SchemaViolation(
            "bad filter",
            [FieldError("", str(error), "filter", parameter="filter")],
            detail_th="เงื่อนไขการค้นหาไม่ถูกต้อง",
        ) from None


Date = Annotated[dt.date | None, Query(description="YYYY-MM-DD")]


@router.get("/v1/decisions", summary="Search logged decisions (paged)")
async def list_decisions(
    checker: PrecheckerDep,
    province: Annotated[str | None, Query(description="Agency province (ISO 3166-2:TH)")] = None,
    agency: Annotated[str | None, Query(description="Agency name, exactly as submitted")] = None,
    verdict: Annotated[str | None, Query(description="pass, fail, needs_review or not_applicable")] = None,
    rule: Annotated[str | None, Query(description="A rule id the verdict evaluated, e.g. R-DATA-3")] = None,
    rule_outcome: Annotated[str | None, Query(description="With rule: pass, fail, warn or review")] = None,
    kind: Annotated[str | None, Query(description="precheck or committee_check")] = None,
    recorded_from: Annotated[
        dt.date | None, Query(alias="from", description="Logged on or after (UTC)")
    ] = None,
    recorded_to: Annotated[dt.date | None, Query(alias="to", description="Logged on or before (UTC)")] = None,
    as_of_from: Date = None,
    as_of_to: Date = None,
    resolution: Annotated[
        str | None,
        Query(
            description="Pre-checks with a standing committee resolution of this outcome "
            f"({', '.join(RESOLUTION_FILTERS[:-1])}), or none: no resolution recorded"
        ),
    ] = None,
    accepted_failure: Annotated[
        bool | None,
        Query(description="true: pre-checks a standing resolution approved despite a failing finding"),
    ] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> JSONResponse:
    log = _log(checker)
    filters = await run_in_threadpool(
        lambda: _filter(
            log, province=province, agency_name=agency, outcome=verdict, rule=rule,
            rule_outcome=rule_outcome, kind=kind, recorded_from=recorded_from, recorded_to=recorded_to,
            as_of_from=as_of_from, as_of_to=as_of_to, resolution=resolution,
            accepted_failure=accepted_failure,
        )
    )  # fmt: skip
    result = await run_in_threadpool(log.query, filters, page=page, page_size=page_size)
    return JSONResponse(
        {
            "page": page,
            "page_size": page_size,
            "total": result.total,
            "items": [_summary(record) for record in result.records],
        }
    )


@router.get("/v1/reports/semiannual", summary="Six-monthly report of provincial approvals (R-AUTH-6)")
async def semiannual(
    checker: PrecheckerDep,
    province: Annotated[str | None, Query(description="Committee province, e.g. TH-11")] = None,
    period: Annotated[str | None, Query(pattern=r"^FY[0-9]{4}-H[12]$", description="e.g. FY2568-H1")] = None,
    format: Annotated[str, Query(pattern="^(json|csv|xlsx)$")] = "json",
) -> Response:
    report = await run_in_threadpool(semiannual_report, _log(checker), province, period)
    if format == "json":
        return JSONResponse(report)
    file = await run_in_threadpool(report_file, report, format)
    return Response(file.content, media_type=file.media_type, headers=file.headers)
