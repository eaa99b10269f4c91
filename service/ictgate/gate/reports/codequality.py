"""``--format codequality``: GitLab's Code Quality report, shown in merge requests.

A JSON array of issues in the subset of the Code Climate spec that GitLab reads
(GitLab docs, "Code Quality report format"); ``artifacts:reports:codequality``
in a job takes the file. Each issue has exactly the documented fields:

    description           the finding on one line in the chosen language(s), Thai first, with
                          its source
    check_name            the rulebook id (``R-AUTH-2``); ``ictgate/<error code>`` for a file
                          that could not be judged, a path that matched nothing, no file at all
    fingerprint           sha256 of file, check and field (hex): the same finding keeps its
                          fingerprint from run to run, so GitLab shows what a merge request
                          adds and what it resolves
    severity              blocker   nothing was judged: the file is invalid (not JSON/YAML,
                                    breaks the schema), the engine gave no answer, a path
                                    matched nothing, or there was no file to check
                          major     a rule fails (exit 1)
                          minor     needs an officer's review (exit 3); info with --review-ok
                          info      a warning, or a proposal outside these rules
    location.path         the file, relative to the working directory (the repository's root in CI)
    location.lines.begin  the line of the finding's field (for a missing field, its nearest
                          ancestor in the file); 1 when the file could not be read

Passes are not issues: a run where everything passes is ``[]``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ictgate.gate.reports.common import (
    ReportOptions,
    citation_text,
    field_where,
    one_line,
    relative_path,
)
from ictgate.gate.results import FileResult, GateRun

__all__ = ["SEVERITIES", "render", "report"]

# GitLab's scale, lowest first.
SEVERITIES = ("info", "minor", "major", "critical", "blocker")

_NO_FILES = "no proposal files to check (looked for *.json, *.yaml, *.yml)"


def _severity(outcome: str, review_ok: bool) -> str | None:
    if outcome == "fail":
        return "major"
    if outcome == "review":
        return "info" if review_ok else "minor"
    if outcome in ("warn", "not_applicable"):
        return "info"
    return None  # pass: not an issue


class _Issues:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.seen: set[str] = set()

    def add(self, description: str, check: str, severity: str, path: str, line: int | None, key: str) -> None:
        digest = hashlib.sha256("\0".join((path, check, key)).encode("utf-8")).hexdigest()
        # GitLab shows one issue per fingerprint: two findings that would share one stay apart.
        repeat = 1
        fingerprint = digest
        while fingerprint in self.seen:
            repeat += 1
            fingerprint = hashlib.sha256(f"{digest}\0{repeat}".encode()).hexdigest()
        self.seen.add(fingerprint)
        self.items.append(
            {
                # One line: the merge request widget shows it as a list item.
                "description": " ".join(description.split()),
                "check_name": check,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {"path": path, "lines": {"begin": line or 1}},
            }
        )


def _findings(issues: _Issues, result: FileResult, run: GateRun, options: ReportOptions) -> None:
    assert result.verdict is not None
    path = relative_path(result.path, options.cwd)
    for finding in result.verdict["findings"]:
        severity = _severity(finding["outcome"], run.review_ok)
        if severity is None:
            continue
        message = one_line(finding["message"], options.lang)
        description = f"{finding['rule']}: {message} ({citation_text(finding['citation'], options.lang)})"
        issues.add(
            description, finding["rule"], severity, path, result.line(finding["field"]), finding["field"]
        )


def _problem(issues: _Issues, result: FileResult, options: ReportOptions) -> None:
    problem = result.problem
    assert problem is not None
    path = relative_path(result.path, options.cwd)
    check = f"ictgate/{problem.code}"
    if not problem.errors:
        issues.add(f"{check}: {problem.detail}", check, "blocker", path, problem.line, "")
    for item in problem.errors:
        issues.add(
            f"{check}: {field_where(item)}: {item.message}",
            check,
            "blocker",
            path,
            result.error_line(item),
            f"{field_where(item)}\0{item.keyword}",
        )


def report(run: GateRun, options: ReportOptions) -> list[dict[str, Any]]:
    issues = _Issues()
    for result in run.results:
        if result.verdict is not None:
            _findings(issues, result, run, options)
        else:
            _problem(issues, result, options)
    for argument, reason in run.unmatched:
        check = "ictgate/unmatched_path"
        issues.add(f"{check}: {argument}: {reason}", check, "blocker", argument, None, "")
    if not run.results:
        check = "ictgate/no_files"
        issues.add(f"{check}: {_NO_FILES}", check, "blocker", ".", None, "")
    return issues.items


def render(run: GateRun, options: ReportOptions) -> str:
    return json.dumps(report(run, options), ensure_ascii=False, indent=2) + "\n"
