"""Committee resolutions on the decision page: shown beside the verdict, recorded by a secretariat.

The page reads the resolutions of a logged pre-check as the API does
(``GET /v1/decisions/{id}/resolutions``) and, for a ``secretariat`` (or ``admin``)
session, offers a form whose post calls ``Prechecker.resolve`` like
``POST /v1/decisions/{id}/resolutions``: the policies decide whether it may be
recorded (R-RES-1…7); an inadmissible one is shown with its findings and nothing
is logged. The form only gathers the fields; nothing is judged here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from ictgate.audit.decisionlog import StoredRecord
from ictgate.audit.resolutions import OUTCOMES, resolution_views
from ictgate.core.errors import (
    InadmissibleResolution,
    InputError,
    SchemaViolation,
    UnknownDecision,
)
from ictgate.core.thai_errors import bilingual, detail_th
from ictgate.prechecker import Prechecker

__all__ = [
    "RECORDERS",
    "open_findings",
    "resolution_from_form",
    "resolutions_context",
    "record_resolution",
    "route_steps",
]

# Who may record a resolution on the page (admin always may): the API's POST admits the same.
RECORDERS = ("secretariat",)
# The findings a committee may accept, with a reason (R-RES-2 asks one for each failing finding).
ACCEPTABLE = ("fail", "review")
# Renders the decision page again: (the pre-check or None for 404, what the form showed, status).
RenderDecision = Callable[[StoredRecord | None, dict[str, Any], int], Awaitable[Response]]


def route_steps(verdict: dict[str, Any]) -> list[dict[str, Any]]:
    """The bodies of the verdict's route a resolution may name, in chain order."""
    route = verdict.get("route")
    if not isinstance(route, dict):
        return []
    steps = route.get("steps")
    if isinstance(steps, list) and steps:
        return [step for step in steps if isinstance(step, dict)]
    return [route]


def open_findings(verdict: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The verdict's fail and review findings, each with its index in the verdict."""
    findings = verdict.get("findings")
    return [
        (index, finding)
        for index, finding in enumerate(findings if isinstance(findings, list) else [])
        if isinstance(finding, dict) and finding.get("outcome") in ACCEPTABLE
    ]


def _first(texts: dict[str, list[str]], name: str) -> str:
    return (texts.get(name) or [""])[0].strip()


def resolution_from_form(verdict: dict[str, Any], texts: dict[str, list[str]]) -> dict[str, Any]:
    """The resolution a posted form describes. Empty fields stay empty: the schema says what is missing."""
    steps = route_steps(verdict)
    chosen = _first(texts, "step")
    step = steps[int(chosen)] if chosen.isdigit() and int(chosen) < len(steps) else {}
    resolution: dict[str, Any] = {"body": str(step.get("body", ""))}
    if step.get("province"):
        resolution["province"] = str(step["province"])
    resolution["meeting"] = {"number": _first(texts, "meeting_number"), "date": _first(texts, "meeting_date")}
    resolution["outcome"] = _first(texts, "outcome")
    conditions = [line.strip() for line in _first(texts, "conditions").splitlines() if line.strip()]
    if conditions:
        resolution["conditions"] = conditions
    resolution["reference"] = _first(texts, "reference")
    acceptances = [
        {"rule": str(finding.get("rule")), "field": str(finding.get("field") or ""), "reason": reason}
        for index, finding in open_findings(verdict)
        if _first(texts, f"accept_{index}")
        for reason in [_first(texts, f"reason_{index}")]
    ]
    if acceptances:
        resolution["acceptances"] = acceptances
    supersedes = _first(texts, "supersedes")
    if supersedes:
        resolution["supersedes"] = supersedes
    return resolution


def resolutions_context(
    checker: Prechecker, record: StoredRecord, role: str | None, shown: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the decision page shows of a pre-check's resolutions, and the form if the role may record."""
    if record.kind != "precheck":
        return {"resolutions": None}
    views = resolution_views(checker.resolutions_of(record))
    may_record = role in (*RECORDERS, "admin") and bool(route_steps(record.verdict))
    return {
        "resolutions": views,
        "may_record": may_record,
        "steps": route_steps(record.verdict),
        "open_findings": open_findings(record.verdict),
        "standing": [view for view in views if not view["superseded_by"]],
        "resolution_outcomes": OUTCOMES,
        "shown": shown or {},
    }


def _shown(texts: dict[str, list[str]]) -> dict[str, Any]:
    return {name: values[0] for name, values in texts.items() if values and name != "csrf_token"}


async def record_resolution(
    request: Request, decision_id: str, texts: dict[str, list[str]], render_decision: RenderDecision
) -> Response:
    """Records the posted resolution and goes back to the decision, or shows why it was not recorded.

    ``render_decision(record, extra, status)`` renders the decision page (ictgate/web/pages.py).
    """
    checker: Prechecker = request.app.state.prechecker
    try:
        record = await run_in_threadpool(checker.precheck_record, decision_id)
    except UnknownDecision:
        return await render_decision(None, {}, 404)
    resolution = resolution_from_form(record.verdict, texts)
    shown = _shown(texts)
    try:
        verdict = await run_in_threadpool(checker.resolve_record, record, resolution)
    except InadmissibleResolution as error:
        refused = {"refused": error.findings, "refused_detail": (detail_th(error), error.detail)}
        return await render_decision(record, {"shown": shown, **refused}, 422)
    except SchemaViolation as error:
        errors = [bilingual(e) for e in error.errors]
        return await render_decision(record, {"shown": shown, "form_errors": errors}, 422)
    except InputError as error:
        refused = {"refused_detail": (detail_th(error), error.detail)}
        return await render_decision(record, {"shown": shown, **refused}, 400)
    target = f"/audit/decisions/{decision_id}?recorded={verdict['decision_id']}#resolutions"
    return RedirectResponse(target, status_code=303)
