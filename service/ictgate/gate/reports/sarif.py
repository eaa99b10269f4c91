"""``--format sarif``: SARIF 2.1.0 for code-scanning viewers (GitHub, GitLab, VS Code).

- ``ruleId`` is the rulebook id (``R-AUTH-2``); ``tool.driver.rules`` describes
  every rule evaluated in the run, from the rule catalog: Thai and English title,
  severity, citation (source document, clause, number, date) and a help text.
- A result is a finding the agency must act on: ``fail`` (level error), ``warn``
  and ``review`` (level warning). Passes are not results; every file checked is
  listed in ``artifacts`` with its verdict, so a clean run still shows what it read.
- Each result points at the file and the line of the finding's field (the key of
  an object member, the start of an array item; for a field that is missing, its
  nearest ancestor in the file).
- Files that are not JSON/YAML or break the schema are results too, one per
  field error, under ``ictgate/<error code>``; paths that matched nothing and
  files the engine could not check are tool execution notifications, and the
  invocation is then not successful.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ictgate import __version__
from ictgate.core.render import chain_text
from ictgate.gate.reports.catalog import RuleInfo, input_rule, load_catalog, rule_from_finding
from ictgate.gate.reports.common import (
    ReportOptions,
    citation_text,
    field_where,
    one_line,
    relative_uri,
    texts,
)
from ictgate.gate.results import FileResult, GateRun

__all__ = ["SARIF_SCHEMA", "SRCROOT", "render", "report"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

_LEVEL_OF_OUTCOME = {"fail": "error", "warn": "warning", "review": "warning"}
_LEVEL_OF_SEVERITY = {"error": "error", "warning": "warning", "info": "note"}


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _help(rule: RuleInfo, lang: str) -> tuple[str, str]:
    """Plain-text and Markdown help: what the rule says and where it comes from."""
    titles = texts(rule.title, lang)
    citation = rule.citation
    source = citation_text(citation, lang) if citation else ""
    documents = texts(citation.get("title", {}), lang) if citation else []
    in_force = ""
    if rule.in_force.get("from"):
        dates = rule.in_force["from"] + (f" – {rule.in_force['to']}" if rule.in_force.get("to") else "")
        in_force = {"th": "มีผลใช้บังคับ", "en": "In force", "both": "มีผลใช้บังคับ / In force"}[lang] + f": {dates}"
    text_lines = [f"{rule.id}: {titles[0]}" if titles else rule.id, *titles[1:]]
    markdown_lines = [f"**{rule.id}**: {titles[0]}" if titles else f"**{rule.id}**", *titles[1:]]
    if source:
        text_lines += ["", source, *documents]
        markdown_lines += ["", source, *(f"- {document}" for document in documents)]
    if in_force:
        text_lines.append(in_force)
        markdown_lines += ["", in_force]
    if rule.id.startswith("ictgate/"):
        note = "Fix the file and run `ictgate check` again; nothing in it was evaluated."
    else:
        note = "The rule is written in Rego under policies/; its text is in docs/rulebook/RULEBOOK.md."
    text_lines += ["", note.replace("`", "")]
    markdown_lines += ["", note]
    return "\n".join(text_lines), "\n".join(markdown_lines)


def _descriptor(rule: RuleInfo, lang: str) -> dict[str, Any]:
    text, markdown = _help(rule, lang)
    short = one_line(rule.title, lang) or rule.id
    full = short + (f". {citation_text(rule.citation, lang)}" if rule.citation else "")
    properties: dict[str, Any] = {"tags": ["ictgate", *([rule.family] if rule.family else [])]}
    if rule.title:
        properties["title"] = rule.title
    if rule.citation:
        properties["citation"] = rule.citation
    if rule.in_force:
        properties["in_force"] = rule.in_force
    return {
        "id": rule.id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL_OF_SEVERITY.get(rule.severity, "warning")},
        "properties": properties,
    }


class _Builder:
    def __init__(self, run: GateRun, options: ReportOptions) -> None:
        self.run = run
        self.options = options
        self.catalog = load_catalog(options.policy_dir)
        self.rules: dict[str, RuleInfo] = {}
        self.artifacts: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []

    def _location(
        self, result: FileResult, index: int, line: int | None, pointer: str | None
    ) -> dict[str, Any]:
        physical: dict[str, Any] = {"artifactLocation": {**self.artifacts[index]["location"], "index": index}}
        if line is not None:
            physical["region"] = {"startLine": line}
        location: dict[str, Any] = {"physicalLocation": physical}
        if pointer is not None:
            location["logicalLocations"] = [{"fullyQualifiedName": pointer or "/", "kind": "member"}]
        return location

    def _artifact(self, result: FileResult) -> int:
        uri, relative = relative_uri(result.path, self.options.cwd)
        location = {"uri": uri, **({"uriBaseId": SRCROOT} if relative else {})}
        properties: dict[str, Any] = {"state": result.state}
        if result.kind:
            properties["kind"] = result.kind
        if result.verdict is not None:
            verdict = result.verdict
            properties["decision_id"] = verdict.get("decision_id")
            properties["as_of"] = verdict.get("as_of")
            if verdict.get("route"):
                properties["route"] = verdict["route"]
                properties["route_chain"] = chain_text(verdict["route"])
            properties["policy"] = verdict.get("policy")
        self.artifacts.append({"location": location, "roles": ["analysisTarget"], "properties": properties})
        return len(self.artifacts) - 1

    def _rule(self, rule: RuleInfo) -> None:
        self.rules.setdefault(rule.id, rule)

    def _findings(self, result: FileResult, index: int) -> None:
        assert result.verdict is not None
        lang = self.options.lang
        uri = self.artifacts[index]["location"]["uri"]
        for finding in result.verdict["findings"]:
            rule = self.catalog.get(finding["rule"]) or rule_from_finding(finding)
            self._rule(rule)
            level = _LEVEL_OF_OUTCOME.get(finding["outcome"])
            if level is None:
                continue
            lines = texts(finding["message"], lang)
            lines.append(citation_text(finding["citation"], lang))
            self.results.append(
                {
                    "ruleId": rule.id,
                    "level": level,
                    "message": {"text": "\n".join(lines)},
                    "locations": [
                        self._location(result, index, result.line(finding["field"]), finding["field"])
                    ],
                    "partialFingerprints": {
                        "ictgateFinding/v1": _fingerprint(rule.id, uri, finding["field"], finding["outcome"])
                    },
                    "properties": {
                        "outcome": finding["outcome"],
                        "severity": finding.get("severity"),
                        "field": finding["field"],
                        "verdict": result.verdict["verdict"],
                        "decision_id": result.verdict.get("decision_id"),
                        "citation": finding["citation"],
                        "params": finding.get("params", {}),
                    },
                }
            )

    def _invalid(self, result: FileResult, index: int) -> None:
        problem = result.problem
        assert problem is not None
        rule = input_rule(problem.code)
        self._rule(rule)
        uri = self.artifacts[index]["location"]["uri"]
        items: list[tuple[str, int | None, str | None, str]] = [
            (f"{field_where(item)}: {item.message}", result.error_line(item), item.pointer, item.keyword)
            for item in problem.errors
        ] or [(problem.detail, problem.line, None, "")]
        for message, line, pointer, keyword in items:
            self.results.append(
                {
                    "ruleId": rule.id,
                    "level": "error",
                    "message": {"text": message},
                    "locations": [self._location(result, index, line, pointer)],
                    "partialFingerprints": {
                        "ictgateFinding/v1": _fingerprint(rule.id, uri, pointer or "", keyword or message)
                    },
                    "properties": {"code": problem.code, "detail": problem.detail},
                }
            )

    def _unchecked(self, result: FileResult, index: int) -> None:
        problem = result.problem
        assert problem is not None
        self.notifications.append(
            {
                "level": "error",
                "message": {"text": f"{result.path}: {problem.detail}"},
                "descriptor": {"id": f"ictgate/{problem.code}"},
                "locations": [self._location(result, index, None, None)],
            }
        )

    def build(self) -> dict[str, Any]:
        for result in self.run.results:
            index = self._artifact(result)
            if result.verdict is not None:
                self._findings(result, index)
            elif result.problem is not None and result.problem.state == "invalid":
                self._invalid(result, index)
            else:
                self._unchecked(result, index)
        for argument, reason in self.run.unmatched:
            self.notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{argument}: {reason}"},
                    "descriptor": {"id": "ictgate/unmatched_path"},
                }
            )
        if not self.run.results:
            self.notifications.append(
                {
                    "level": "error",
                    "message": {"text": "no proposal files to check (looked for *.json, *.yaml, *.yml)"},
                    "descriptor": {"id": "ictgate/no_files"},
                }
            )
        ordered = sorted(self.rules.values(), key=lambda rule: (rule.order, rule.id))
        position = {rule.id: n for n, rule in enumerate(ordered)}
        for item in self.results:
            item["ruleIndex"] = position[item["ruleId"]]
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "ictgate",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": [_descriptor(rule, self.options.lang) for rule in ordered],
                }
            },
            "invocations": [
                {
                    "executionSuccessful": not self.run.unchecked,
                    "exitCode": self.run.exit_code,
                    "toolExecutionNotifications": self.notifications,
                }
            ],
            "originalUriBaseIds": {SRCROOT: {"uri": self.options.cwd.resolve().as_uri().rstrip("/") + "/"}},
            "artifacts": self.artifacts,
            "results": self.results,
            "properties": {
                "evaluator": self.run.evaluator,
                "as_of": self.run.as_of,
                "review_ok": self.run.review_ok,
                "summary": {"files": len(self.run.results), **self.run.counts},
            },
        }
        return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def report(run: GateRun, options: ReportOptions) -> dict[str, Any]:
    return _Builder(run, options).build()


def render(run: GateRun, options: ReportOptions) -> str:
    return json.dumps(report(run, options), ensure_ascii=False, indent=2) + "\n"
