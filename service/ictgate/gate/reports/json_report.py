"""``--format json``: the verdicts as in docs/contract.md, with file names, lines and the run's totals.

Each verdict is exactly the service's answer; what the file adds sits beside it
(``file``, ``kind``, ``state``, ``lines``), so a verdict can be compared with one
from ``POST /v1/precheck`` as it is.
"""

from __future__ import annotations

import json
from typing import Any

from ictgate import __version__
from ictgate.gate.reports.common import ReportOptions
from ictgate.gate.results import FileResult, GateRun

__all__ = ["render", "report"]


def _file(result: FileResult) -> dict[str, Any]:
    item: dict[str, Any] = {"file": str(result.path), "kind": result.kind or None, "state": result.state}
    if result.verdict is not None:
        item["verdict"] = result.verdict
        lines = {}
        for finding in result.verdict.get("findings", []):
            line = result.line(finding["field"])
            if line is not None:
                lines[finding["field"]] = line
        item["lines"] = lines
        return item
    problem = result.problem
    assert problem is not None
    errors = []
    for error in problem.errors:
        entry: dict[str, Any] = error.as_dict()
        line = result.error_line(error)
        if line is not None:
            entry["line"] = line
        errors.append(entry)
    item["error"] = {
        "code": problem.code,
        "detail": problem.detail,
        "detail_th": problem.detail_th,
        "line": problem.line,
        "errors": errors,
    }
    return item


def report(run: GateRun) -> dict[str, Any]:
    return {
        "tool": {"name": "ictgate", "version": __version__},
        "evaluator": run.evaluator,
        "as_of": run.as_of,
        "exit_code": run.exit_code,
        "summary": {"files": len(run.results), **run.counts},
        "unmatched": [{"path": path, "reason": reason} for path, reason in run.unmatched],
        "files": [_file(result) for result in run.results],
    }


def render(run: GateRun, options: ReportOptions) -> str:
    return json.dumps(report(run), ensure_ascii=False, indent=2) + "\n"
