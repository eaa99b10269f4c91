"""The six-monthly report of provincial approvals to the MOI committee (R-AUTH-6).

A pre-check is not an approval: the committee may reject, defer, approve with
conditions or approve despite a finding. So the report has two sections, per
Thai fiscal half-year and province:

1. ``periods``: the projects the provincial committee **approved**, by a recorded
   resolution (``approved`` or ``approved_with_conditions``, admitted by the
   policies and not superseded by a later one), in the half-year of the meeting
   date, with the meeting, the conditions and the findings the committee accepted.
   An approval is always of a logged pre-check (a resolution names one), so a
   project that never had a pre-check cannot appear.
2. ``pending``: the pre-checks routed to the provincial committee (``pass`` or
   ``needs_review``) in the half-year their verdict's R-AUTH-6 obligation names
   (computed in Rego), on which the committee has recorded no standing approval or
   rejection yet (a deferral leaves them pending). A project pre-checked several
   times counts once, by its latest decision in the period (same agency, title and
   system).

Nothing is judged here: each resolution was admitted by the policies when it
was recorded; this module only groups logged records and adds the totals.

Every report ends with the head of the log's hash chain (``chain_head``:
sequence, hash, signed with the anchor key when there is one): a copy of it
kept by the committee is a published head that ``ictgate log verify
--expect-head`` holds the log to later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ictgate.audit.decisionlog import DecisionLog, StoredRecord
from ictgate.audit.resolutions import APPROVALS, accepted_failures, resolution_of, standing
from ictgate.core.csv_export import csv_text

__all__ = ["CSV_COLUMNS", "ReportRow", "report_as_csv", "report_rows", "report_table", "semiannual_report"]

# Verdicts that send a project on to the provincial committee (a failing one must be fixed first).
_REPORTED = ("pass", "needs_review")
# Resolutions that close a project's case at the provincial committee.
_FINAL = (*APPROVALS, "rejected")
_BODY = "provincial_committee"


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
    budget_thb: Decimal | None
    verdict: str
    # Section 1 only: the resolution that approved the project.
    resolution_id: str = ""
    meeting_number: str = ""
    meeting_date: str = ""
    outcome: str = ""
    reference: str = ""
    conditions: tuple[str, ...] = ()
    accepted_findings: tuple[dict[str, Any], ...] = field(default=())
    # Section 2 only: the latest standing resolution, if any (a deferral).
    latest_resolution: str = ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _project_facts(record: StoredRecord | None, decision: dict[str, Any]) -> dict[str, Any]:
    """What the report says of a project, from its logged pre-check (or, once that record is
    archived, from the verdict the resolution holds)."""
    if record is None:
        return {
            "decision_id": str(decision.get("decision_id", "")),
            "recorded_at": "",
            "as_of": str(decision.get("as_of", "")),
            "agency_name": "",
            "agency_kind": "",
            "project_title": "",
            "category": "",
            "system_id": "",
            "budget_thb": None,
            "verdict": str(decision.get("verdict", "")),
        }
    project = record.input.get("submission", {}).get("project", {})
    return {
        "decision_id": record.decision_id,
        "recorded_at": record.recorded_at,
        "as_of": record.as_of,
        "agency_name": record.agency_name or "",
        "agency_kind": record.agency_kind or "",
        "project_title": str(project.get("title", "")),
        "category": str(project.get("category", "")),
        "system_id": record.system_id or "",
        "budget_thb": record.budget_thb,
        "verdict": record.outcome,
    }


def _approval_row(resolution: StoredRecord, precheck: StoredRecord | None) -> ReportRow | None:
    content = resolution_of(resolution)
    if content.get("body") != _BODY or content.get("outcome") not in APPROVALS:
        return None
    # The policy decided whether this approval is reported, and in which half-year (R-AUTH-6):
    # the resolution's verdict carries the obligation; the report only reads it.
    due = [
        o
        for o in resolution.verdict.get("obligations", [])
        if isinstance(o, dict) and o.get("rule") == "R-AUTH-6"
    ]
    if not due:
        return None
    period, start, end = (str(due[0].get(key, "")) for key in ("period", "period_start", "period_end"))
    decision = _object(resolution.input.get("decision"))
    meeting = _object(content.get("meeting"))
    route = _object(decision.get("route"))
    accepted = {(a.get("rule"), a.get("field")) for a in accepted_failures(resolution)}
    return ReportRow(
        period=period,
        period_start=start,
        period_end=end,
        province=str(content.get("province") or route.get("province") or ""),
        **_project_facts(precheck, decision),
        resolution_id=resolution.decision_id,
        meeting_number=str(meeting.get("number", "")),
        meeting_date=str(meeting.get("date", "")),
        outcome=str(content.get("outcome")),
        reference=str(content.get("reference", "")),
        conditions=tuple(str(c) for c in content.get("conditions", [])),
        accepted_findings=tuple(
            {
                "rule": a.get("rule"),
                "field": a.get("field"),
                "reason": a.get("reason"),
                "finding_outcome": "fail" if (a.get("rule"), a.get("field")) in accepted else "review",
            }
            for a in content.get("acceptances", [])
            if isinstance(a, dict)
        ),
    )


def _pending_row(record: StoredRecord, resolutions: Sequence[StoredRecord]) -> tuple[ReportRow, bool] | None:
    """The row of a pre-check routed to the provincial committee, and whether that committee
    has closed it (a standing approval or rejection); None for any other record."""
    verdict = record.verdict
    route = verdict.get("route") or {}
    if record.kind != "precheck" or route.get("body") != _BODY or record.outcome not in _REPORTED:
        return None
    obligation = next((o for o in verdict.get("obligations", []) if o.get("rule") == "R-AUTH-6"), None)
    if obligation is None:
        return None
    ours = [r for r in standing(resolutions) if resolution_of(r).get("body") == _BODY]
    closed = any(resolution_of(r).get("outcome") in _FINAL for r in ours)
    row = ReportRow(
        period=str(obligation["period"]),
        period_start=str(obligation.get("period_start", "")),
        period_end=str(obligation.get("period_end", "")),
        province=str(route.get("province", "")),
        **_project_facts(record, verdict),
        latest_resolution=str(resolution_of(ours[-1]).get("outcome", "")) if ours else "",
    )
    return row, closed


def _key(row: ReportRow) -> tuple[str, str, str, str, str]:
    return (row.period, row.province, row.agency_name, row.project_title, row.system_id)


def report_rows(
    records: Iterable[StoredRecord], province: str | None = None, period: str | None = None
) -> tuple[list[ReportRow], list[ReportRow]]:
    """Section 1 (approvals) and section 2 (pending pre-checks) of the logged records."""
    prechecks: dict[str, StoredRecord] = {}
    by_decision: dict[str, list[StoredRecord]] = defaultdict(list)
    for record in records:
        if record.kind == "precheck":
            prechecks[record.decision_id] = record
        elif record.kind == "resolution" and record.resolves is not None:
            by_decision[record.resolves].append(record)

    def wanted(row: ReportRow | None) -> bool:
        return (
            row is not None
            and not (province and row.province != province)
            and not (period and row.period != period)
        )

    approved: list[ReportRow] = []
    for decision_id, resolutions in by_decision.items():
        for resolution in standing(resolutions):
            row = _approval_row(resolution, prechecks.get(decision_id))
            if row is not None and wanted(row):
                approved.append(row)
    approved_projects = {(r.agency_name, r.project_title, r.system_id) for r in approved if r.agency_name}

    # Of a project pre-checked again, only the latest decision counts; if the committee has
    # closed that one (or approved the project by any of its decisions), it is not pending.
    latest: dict[tuple[str, str, str, str, str], tuple[ReportRow, bool]] = {}
    for record in prechecks.values():
        found = _pending_row(record, by_decision.get(record.decision_id, []))
        if found is None or not wanted(found[0]):
            continue
        key = _key(found[0])
        if key not in latest or found[0].recorded_at >= latest[key][0].recorded_at:
            latest[key] = found
    pending = [
        row
        for row, closed in latest.values()
        if not closed and (row.agency_name, row.project_title, row.system_id) not in approved_projects
    ]
    order = lambda r: (r.period, r.province, r.meeting_date, r.recorded_at, r.decision_id)  # noqa: E731
    return sorted(approved, key=order), sorted(pending, key=order)


def _money(value: Decimal) -> str:
    return format(value, "f")


def _grouped(rows: Sequence[ReportRow], describe: Any) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, str, str], dict[str, list[ReportRow]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[(row.period, row.period_start, row.period_end)][row.province].append(row)
    return [
        {
            "period": name,
            "start": start,
            "end": end,
            "report_to": "moi_committee",
            "provinces": [
                {
                    "province": code,
                    "count": len(items),
                    "total_budget_thb": _money(sum((r.budget_thb or Decimal(0) for r in items), Decimal(0))),
                    "projects": [describe(r) for r in items],
                }
                for code, items in sorted(provinces.items())
            ],
        }
        for (name, start, end), provinces in sorted(grouped.items())
    ]


def _totals(rows: Sequence[ReportRow]) -> dict[str, Any]:
    return {
        "count": len(rows),
        "total_budget_thb": _money(sum((r.budget_thb or Decimal(0) for r in rows), Decimal(0))),
    }


def semiannual_report(
    log: DecisionLog, province: str | None = None, period: str | None = None
) -> dict[str, Any]:
    """The report as JSON: approvals (``periods``) and pending pre-checks (``pending``), each by
    period and province, with counts and totals."""
    approved, pending = report_rows(log.iter(), province, period)
    return {
        "rule": "R-AUTH-6",
        "filters": {"province": province, "period": period},
        "periods": _grouped(approved, _approval),
        "pending": _grouped(pending, _pending),
        "totals": {"approved": _totals(approved), "pending": _totals(pending)},
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
        "budget_thb": None if row.budget_thb is None else _money(row.budget_thb),
        "verdict": row.verdict,
    }


def _approval(row: ReportRow) -> dict[str, Any]:
    return {
        **_project(row),
        "resolution_id": row.resolution_id,
        "meeting": {"number": row.meeting_number, "date": row.meeting_date},
        "outcome": row.outcome,
        "reference": row.reference,
        "conditions": list(row.conditions),
        "accepted_findings": list(row.accepted_findings),
    }


def _pending(row: ReportRow) -> dict[str, Any]:
    return {**_project(row), "latest_resolution": row.latest_resolution or None}


CSV_COLUMNS = (
    "section", "row", "period", "province", "decision_id", "resolution_id", "agency_name", "agency_kind",
    "project_title", "category", "system_id", "budget_thb", "verdict", "meeting_number", "meeting_date",
    "outcome", "conditions", "accepted_findings", "reference", "count",
)  # fmt: skip


def _csv_cells(section: str, period: str, province: str, project: dict[str, Any]) -> list[Any]:
    meeting = project.get("meeting") or {}
    budget = project.get("budget_thb")
    return [
        section, "project", period, province, project["decision_id"], project.get("resolution_id", ""),
        project["agency_name"], project["agency_kind"], project["project_title"], project["category"],
        project["system_id"], "" if budget is None else Decimal(budget), project["verdict"],
        meeting.get("number", ""), meeting.get("date", ""),
        project.get("outcome") or project.get("latest_resolution") or "",
        " | ".join(project.get("conditions", [])),
        " | ".join(f"{a['rule']} {a['field']}: {a['reason']}" for a in project.get("accepted_findings", [])),
        project.get("reference", ""), "",
    ]  # fmt: skip


def report_as_csv(report: dict[str, Any]) -> str:
    """The report as CSV text (see report_table)."""
    return csv_text(report_table(report))


def report_table(report: dict[str, Any]) -> list[list[Any]]:
    """One row per project, then one total row per province and period, for each section
    (section = approved | pending; row = project | total).

    With a byte-order mark and formula-safe text cells (ictgate/core/csv_export.py); the
    amounts and counts are written as numbers, never neutralised.
    """
    rows: list[list[Any]] = [list(CSV_COLUMNS)]
    blank: list[Any] = [""] * len(CSV_COLUMNS)
    for section, periods in (("approved", report["periods"]), ("pending", report.get("pending", []))):
        for period in periods:
            for province in period["provinces"]:
                for project in province["projects"]:
                    rows.append(_csv_cells(section, period["period"], province["province"], project))
                total = list(blank)
                total[:4] = [section, "total", period["period"], province["province"]]
                total[CSV_COLUMNS.index("budget_thb")] = Decimal(province["total_budget_thb"])
                total[CSV_COLUMNS.index("count")] = province["count"]
                rows.append(total)
    head = report.get("chain_head")
    if head:
        # The log's head: decision_id holds SEQUENCE:HASH (for --expect-head), recorded_at is not
        # a column here, so resolution_id holds when it was read.
        last = list(blank)
        last[:2] = ["", "chain_head"]
        last[CSV_COLUMNS.index("decision_id")] = head["expect_head"]
        last[CSV_COLUMNS.index("resolution_id")] = head["published_at"]
        rows.append(last)
    return rows
