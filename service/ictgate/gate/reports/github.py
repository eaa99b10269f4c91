"""``--format github``: GitHub Actions workflow commands, shown as annotations on the pull request.

    ::error file=proposals/data-centre.yaml,line=15,title=R-AUTH-2::<message>%0A<citation>

``fail`` and files that are invalid or were not checked are ``error``; ``warn``
and ``review`` are ``warning`` (``notice`` with --review-ok); a proposal outside
these rules gets a ``notice`` from its scope finding. Passes print nothing.
"""

from __future__ import annotations

from pathlib import Path

from ictgate.gate.reports.common import ReportOptions, citation_text, error_message, field_where, texts
from ictgate.gate.results import FileResult, GateRun

__all__ = ["render", "workflow_command"]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    level: str, message: str, title: str, file: str | None = None, line: int | None = None
) -> str:
    """One ``::level key=value,...::message`` line, escaped as the runner expects."""
    properties = []
    if file:
        properties.append(f"file={_property(file)}")
    if line:
        properties.append(f"line={line}")
    properties.append(f"title={_property(title)}")
    return f"::{level} {','.join(properties)}::{_data(message)}"


def _file(path: Path, cwd: Path) -> str:
    if path.is_absolute():
        try:
            return path.relative_to(cwd).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _verdict(result: FileResult, run: GateRun, options: ReportOptions) -> list[str]:
    assert result.verdict is not None
    file = _file(result.path, options.cwd)
    commands = []
    for finding in result.verdict["findings"]:
        outcome = finding["outcome"]
        if outcome == "fail":
            level = "error"
        elif outcome == "warn":
            level = "warning"
        elif outcome == "review":
            level = "notice" if run.review_ok else "warning"
        elif outcome == "not_applicable":
            level = "notice"
        else:
            continue
        message = "\n".join(
            [*texts(finding["message"], options.lang), citation_text(finding["citation"], options.lang)]
        )
        commands.append(
            workflow_command(level, message, finding["rule"], file, result.line(finding["field"]))
        )
    return commands


def _problem(result: FileResult, options: ReportOptions) -> list[str]:
    problem = result.problem
    assert problem is not None
    file = _file(result.path, options.cwd)
    title = f"ictgate/{problem.code}"
    if problem.errors:
        return [
            workflow_command(
                "error",
                f"{field_where(item)}: {error_message(item, options.lang)}",
                title,
                file,
                result.error_line(item),
            )
            for item in problem.errors
        ]
    return [workflow_command("error", problem.detail, title, file, problem.line)]


def render(run: GateRun, options: ReportOptions) -> str:
    commands: list[str] = []
    for result in run.results:
        commands.extend(
            _verdict(result, run, options) if result.verdict is not None else _problem(result, options)
        )
    for argument, reason in run.unmatched:
        commands.append(workflow_command("error", f"{argument}: {reason}", "ictgate/unmatched_path"))
    if not run.results:
        commands.append(
            workflow_command(
                "error", "no proposal files to check (looked for *.json, *.yaml, *.yml)", "ictgate/no_files"
            )
        )
    return "".join(command + "\n" for command in commands)
