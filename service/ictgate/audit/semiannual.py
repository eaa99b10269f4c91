"""The six-monthly report of provincial approvals to the MOI committee (R-AUTH-6).

Per province and Thai fiscal half-year, the projects the pre-check routed to
the provincial committee, with totals. The period of each project is the one
its verdict named in the R-AUTH-6 obligation (computed in Rego); this module
only groups logged decisions. A project pre-checked several times counts once,
by its latest decision in the period (same agency, title and system).

Every report ends with the head of the log's hash chain (``chain_head``:
sequence, hash, signed with the anchor key when there is one): a copy of it
kept by the committee is a published head that ``ictgate log verify
--expect-head`` holds the log to later.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ictgate.audit.decisionlog import DecisionFilter, DecisionLog, StoredRecord

__all__ = ["ReportRow", "semiannual_report", "report_as_csv"]

# Verdicts that send a project on to the provincial committee (a failing one must be fixed first).
_REPORTED = ("pass", "needs_review")


@dataclass(frozen=True)
class ReportRow:
    period: str
    period_start: str
    period_end: str
    province: str
    decision_id: str
    recorded_at: str
    as_of: str
    agency_name: str
    agency_kind: str
    project_title: str
    category: str
    system_id: str
    budget_thb: Decimal
    verdict: str


def _row(record: StoredRecord) -> ReportRow | None:
    verdict = record.verdict
    route = verdict.get("route") or {}
    if (
        record.kind != "precheck"
        or route.get("body") != "provincial_committee"
        or record.outcome not in _REPORTED
    ):
        return None
    obligation = next((o for o in verdict.get("obligations", []) if o.get("rule") == "R-AUTH-6"), None)
    if obligation is None or record.budget_thb is None:
        return None
    project = record.input.get("submission", {}).get("project", {})
    return ReportRow(
        period=str(obligation["period"]),
        period_start=str(obligation.get("period_start", "")),
        period_end=str(obligation.get("period_end", "")),
        province=str(route.get("province", "")),
        decision_id=record.decision_id,
        recorded_at=record.recorded_at,
        as_of=record.as_of,
        agency_name=record.agency_name or "",
        agency_kind=record.agency_kind or "",
        project_title=str(project.get("title", "")),
        category=str(project.get("category", "")),
        system_id=record.system_id or "",
        budget_thb=record.budget_thb,
        verdict=record.outcome,
    )


def report_rows(records: Iterable[StoredRecord], province: str | None, period: str | None) -> list[ReportRow]:
    latest: dict[tuple[str, str, str, str, str], ReportRow] = {}
    for record in records:
        row = _row(record)
        if row is None or (province and row.province != province) or (period and row.period != period):
            continue
        key = (row.period, row.province, row.agency_name, row.project_title, row.system_id)
        if key not in latest or row.recorded_at >= latest[key].recorded_at:
            latest[key] = row
    return sorted(latest.values(), key=lambda r: (r.period, r.province, r.recorded_at, r.decision_id))


def semiannual_report(
    log: DecisionLog, province: str | None = None, period: str | None = None
) -> dict[str, Any]:
    """The report as JSON: periods, then provinces, then projects, with counts and totals."""
    rows = report_rows(log.iter(DecisionFilter(kind="precheck")), province, period)
    grouped: dict[tuple[str, str, str], dict[str, list[ReportRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[(row.period, row.period_start, row.period_end)][row.province].append(row)
    periods = []
    for (name, start, end), provinces in sorted(grouped.items()):
        periods.append(
            {
                "period": name,
                "start": start,
                "end": end,
                "report_to": "moi_committee",
                "provinces": [
                    {
                        "province": code,
                        "count": len(items),
                        "total_budget_thb": format(sum((r.budget_thb for r in items), Decimal(0)), "f"),
                        "projects": [_project(r) for r in items],
                    }
                    for code, items in sorted(provinces.items())
                ],
            }
        )
    return {
        "rule": "R-AUTH-6",
        "filters": {"province": province, "period": period},
        "periods": periods,
        # Read after the records: it covers every record the report counted.
        "chain_head": log.published_head(),
    }


def _project(row: ReportRow) -> dict[str, Any]:
    return {
        "decision_id": row.decision_id,
        "recorded_at": row.recorded_at,
        "as_of": row.as_of,
        "agency_name": row.agency_name,
        "agency_kind": row.agency_kind,
        "project_title": row.project_title,
        "category": row.category,
        "system_id": row.system_id,
        "budget_thb": format(row.budget_thb, "f"),
        "verdict": row.verdict,
    }


CSV_COLUMNS = (
    "row", "period", "province", "decision_id", "recorded_at", "as_of", "agency_name", "agency_kind",
    "project_title", "category", "system_id", "budget_thb", "verdict", "count",
)  # fmt: skip


def report_as_csv(report: dict[str, Any]) -> str:
    """One row per project, then one total row per province and period (row = project | total)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for period in report["periods"]:
        for province in period["provinces"]:
            for project in province["projects"]:
                writer.writerow(
                    ["project", period["period"], province["province"]]
                    + [project[c] for c in CSV_COLUMNS[3:13]]
                    + [""]
                )
            writer.writerow(
                ["total", period["period"], province["province"]]
                + [""] * 8
                + [province["total_budget_thb"], "", province["count"]]
            )
    head = report.get("chain_head")
    if head:
        # The log's head: decision_id holds SEQUENCE:HASH (for --expect-head), recorded_at when it was read.
        writer.writerow(["chain_head", "", "", head["expect_head"], head["published_at"]] + [""] * 9)
    return out.getvalue()
