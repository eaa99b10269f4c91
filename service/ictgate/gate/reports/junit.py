"""``--format junit``: JUnit XML for CI test reports (GitLab, Jenkins, Azure, GitHub test reporters).

One ``<testsuite>`` per file, one ``<testcase>`` per rule evaluated (name: the
rule id; the field is added when a rule has several findings in one file;
classname and ``file``: the file; ``line``: the line of the field).

    finding pass                    passed
    finding warn                    passed, the warning in <system-out> (it does not block)
    finding fail                    <failure type="fail">
    finding review                  <failure type="review">; <skipped> with --review-ok
    finding not_applicable          <skipped> (the proposal is outside these rules)
    file invalid (not JSON/YAML,    one test case ictgate/<error code> with <error>, listing
      breaks the schema)              every field error and its line
    file not checked (engine)       one test case ictgate/<error code> with <error>
    path that matched nothing,      a test case in the suite "ictgate" with <error>
      or no file at all

So the test report fails exactly when the exit code is not 0.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

from ictgate.core.render import chain_text
from ictgate.gate.reports.common import ReportOptions, citation_text, field_where, one_line, texts
from ictgate.gate.results import FileResult, GateRun

__all__ = ["render"]

# XML 1.0 has no way to carry these characters, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class _Suite:
    def __init__(self, name: str, properties: dict[str, str] | None = None, seconds: float = 0.0) -> None:
        self.element = ET.Element("testsuite", {"name": _clean(name)})
        self.counts: Counter[str] = Counter()
        self.seconds = seconds
        if properties:
            bag = ET.SubElement(self.element, "properties")
            for key, value in properties.items():
                ET.SubElement(bag, "property", {"name": key, "value": _clean(value)})

    def case(self, name: str, classname: str, file: str | None = None, line: int | None = None) -> ET.Element:
        attributes = {"name": _clean(name), "classname": _clean(classname)}
        if file:
            attributes["file"] = _clean(file)
        if line:
            attributes["line"] = str(line)
        self.counts["tests"] += 1
        return ET.SubElement(self.element, "testcase", attributes)

    def mark(self, case: ET.Element, tag: str, message: str, body: str = "", kind: str = "") -> None:
        counter = {"failure": "failures", "error": "errors", "skipped": "skipped"}.get(tag)
        if counter:
            self.counts[counter] += 1
        attributes = {"message": _clean(message)}
        if kind:
            attributes["type"] = kind
        element = ET.SubElement(case, tag, attributes)
        if body:
            element.text = _clean(body)

    def finish(self) -> ET.Element:
        for key in ("tests", "failures", "errors", "skipped"):
            self.element.set(key, str(self.counts[key]))
        self.element.set("time", f"{self.seconds:.3f}")
        return self.element


def _properties(result: FileResult) -> dict[str, str]:
    properties = {"state": result.state}
    verdict = result.verdict
    if verdict is not None:
        properties["decision_id"] = str(verdict.get("decision_id", ""))
        properties["as_of"] = str(verdict.get("as_of", ""))
        if verdict.get("route"):
            properties["route"] = str(verdict["route"].get("body", ""))
            properties["route_chain"] = chain_text(verdict["route"])
        policy = verdict.get("policy") or {}
        properties["policy"] = f"{policy.get('revision', '')} {policy.get('digest', '')}".strip()
        properties["engine"] = str(verdict.get("engine", ""))
    return properties


def _finding_body(result: FileResult, finding: dict[str, Any], lang: str) -> str:
    line = result.line(finding["field"])
    where = f"{result.path}:{line}" if line else str(result.path)
    return "\n".join(
        [
            f"{finding['rule']} {finding['outcome']} at {finding['field'] or '/'} ({where})",
            *texts(finding["message"], lang),
            citation_text(finding["citation"], lang),
        ]
    )


def _verdict_suite(result: FileResult, run: GateRun, options: ReportOptions) -> _Suite:
    assert result.verdict is not None
    path = str(result.path)
    suite = _Suite(path, _properties(result), result.seconds)
    findings = result.verdict["findings"]
    repeated = Counter(finding["rule"] for finding in findings)
    for finding in findings:
        rule = finding["rule"]
        name = rule if repeated[rule] == 1 else f"{rule} {finding['field'] or '/'}"
        outcome = finding["outcome"]
        case = suite.case(name, path, path, result.line(finding["field"]))
        message = one_line(finding["message"], options.lang)
        body = _finding_body(result, finding, options.lang)
        if outcome == "fail":
            suite.mark(case, "failure", message, body, "fail")
        elif outcome == "review" and not run.review_ok:
            suite.mark(case, "failure", message, body, "review")
        elif outcome == "review":
            suite.mark(case, "skipped", f"needs review (accepted by --review-ok): {message}")
        elif outcome == "not_applicable":
            suite.mark(case, "skipped", message)
        elif outcome == "warn":
            ET.SubElement(case, "system-out").text = _clean("warning: " + body)
    return suite


def _problem_suite(result: FileResult) -> _Suite:
    problem = result.problem
    assert problem is not None
    path = str(result.path)
    suite = _Suite(path, _properties(result), result.seconds)
    lines = [result.error_line(item) for item in problem.errors]
    first = next((line for line in lines if line), None) or problem.line
    case = suite.case(f"ictgate/{problem.code}", path, path, first)
    body = [
        f"{field_where(item)}" + (f" ({path}:{line})" if line else "") + f": {item.message}"
        for item, line in zip(problem.errors, lines, strict=True)
    ] or [problem.detail + (f" ({path}:{problem.line})" if problem.line else "")]
    suite.mark(case, "error", problem.detail, "\n".join(body), problem.code)
    return suite


def render(run: GateRun, options: ReportOptions) -> str:
    root = ET.Element("testsuites", {"name": "ictgate check"})
    suites: list[_Suite] = []
    for result in run.results:
        suites.append(
            _verdict_suite(result, run, options) if result.verdict is not None else _problem_suite(result)
        )
    if run.unmatched or not run.results:
        suite = _Suite("ictgate")
        for argument, reason in run.unmatched:
            suite.mark(
                suite.case(argument, "ictgate"), "error", f"{argument}: {reason}", kind="unmatched_path"
            )
        if not run.results:
            message = "no proposal files to check (looked for *.json, *.yaml, *.yml)"
            suite.mark(suite.case("no proposal files", "ictgate"), "error", message, kind="no_files")
        suites.append(suite)
    totals: Counter[str] = Counter()
    for suite in suites:
        totals.update(suite.counts)
        root.append(suite.finish())
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(totals[key]))
    root.set("time", f"{sum(suite.seconds for suite in suites):.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
