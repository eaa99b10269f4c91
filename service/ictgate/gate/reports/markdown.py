"""``--format markdown``: a short summary for a CI job page (GitHub's job summary, a merge request note).

    ## ictgate: ไม่ผ่าน / failed (exit 1)
    a table of the files by state, then one row per finding to act on (fail,
    review, warn, not applicable) and per file that could not be judged: file,
    line, rule, message (Thai first) and source.

Passes are counted, not listed. At most ``MAX_ROWS`` rows are listed; the rest
are counted under the table (every report format has them all). Text from the
files (names, messages) is escaped, so a file name cannot add Markdown or HTML.
"""

from __future__ import annotations

import html

from ictgate.gate.reports.common import (
    ReportOptions,
    citation_text,
    error_message,
    field_where,
    relative_path,
    texts,
)
from ictgate.gate.results import STATES, FileResult, GateRun

__all__ = ["MAX_ROWS", "render"]

MAX_ROWS = 50

# What the exit code means, per docs/contract.md.
_HEADLINES = {
    0: ("✅", "ผ่าน", "passed"),
    1: ("❌", "ไม่ผ่าน", "failed"),
    2: ("⛔", "ตรวจไม่ได้: ไฟล์ไม่ถูกต้องหรือไม่มีคำตอบ", "not checked: invalid input or no answer"),
    3: ("⚠️", "ต้องให้เจ้าหน้าที่พิจารณา", "needs an officer's review"),
}
_STATES = {
    "pass": ("ผ่าน", "pass"),
    "fail": ("ไม่ผ่าน", "fail"),
    "needs_review": ("ต้องพิจารณา", "needs review"),
    "not_applicable": ("ไม่อยู่ในขอบเขต", "not applicable"),
    "invalid": ("ไฟล์ไม่ถูกต้อง", "invalid"),
    "error": ("ไม่ได้ตรวจ", "not checked"),
}
_MARKS = {"fail": "❌", "review": "⚠️", "warn": "❕", "not_applicable": "➖", "problem": "⛔"}


def _label(th: str, en: str, lang: str) -> str:
    return {"th": th, "en": en, "both": f"{th} / {en}"}[lang]


def _cell(text: str) -> str:
    """Text as one table cell: escaped, without line breaks or column separators."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def _code(text: str) -> str:
    return f"<code>{_cell(text)}</code>" if text else ""


def _verdict_rows(result: FileResult, options: ReportOptions) -> list[list[str]]:
    assert result.verdict is not None
    path = relative_path(result.path, options.cwd)
    rows = []
    for finding in result.verdict["findings"]:
        outcome = finding["outcome"]
        if outcome not in _MARKS:
            continue
        line = result.line(finding["field"]) if outcome != "not_applicable" else None
        message = "<br>".join(_cell(text) for text in texts(finding["message"], options.lang))
        rows.append(
            [
                _MARKS[outcome],
                _code(path),
                str(line or ""),
                _code(finding["rule"]),
                _code(finding["field"] or "/"),
                message,
                _cell(citation_text(finding["citation"], options.lang)),
            ]
        )
    return rows


def _problem_rows(result: FileResult, options: ReportOptions) -> list[list[str]]:
    problem = result.problem
    assert problem is not None
    path = relative_path(result.path, options.cwd)
    check = _code(f"ictgate/{problem.code}")
    if not problem.errors:
        return [
            [_MARKS["problem"], _code(path), str(problem.line or ""), check, "", _cell(problem.detail), ""]
        ]
    return [
        [
            _MARKS["problem"],
            _code(path),
            str(result.error_line(item) or ""),
            check,
            _code(field_where(item)),
            _cell(error_message(item, options.lang)),
            "",
        ]
        for item in problem.errors
    ]


def render(run: GateRun, options: ReportOptions) -> str:
    lang = options.lang
    code = run.exit_code
    mark, th, en = _HEADLINES[code]
    lines = [f"## {mark} ictgate: {_label(th, en, lang)} (exit {code})", ""]
    if run.results:
        lines.append(f"{_label('ไฟล์ที่ตรวจ', 'files checked', lang)}: {len(run.results)}")
        lines.append("")
        counted = [state for state in STATES if run.count(state)]
        lines.append("| " + " | ".join(_label(*_STATES[state], lang) for state in counted) + " |")
        lines.append("|" + "---:|" * len(counted))
        lines.append("| " + " | ".join(str(run.count(state)) for state in counted) + " |")
        lines.append("")
    rows: list[list[str]] = []
    for result in run.results:
        rows.extend(
            _verdict_rows(result, options) if result.verdict is not None else _problem_rows(result, options)
        )
    for argument, reason in run.unmatched:
        rows.append(
            [_MARKS["problem"], _code(argument), "", _code("ictgate/unmatched_path"), "", _cell(reason), ""]
        )
    if not run.results:
        message = _label(
            "ไม่พบไฟล์ข้อเสนอโครงการ (*.json, *.yaml, *.yml)",
            "no proposal files to check (looked for *.json, *.yaml, *.yml)",
            lang,
        )
        rows.append([_MARKS["problem"], "", "", _code("ictgate/no_files"), "", _cell(message), ""])
    if rows:
        header = [
            "",
            _label("ไฟล์", "file", lang),
            _label("บรรทัด", "line", lang),
            _label("กฎ", "rule", lang),
            _label("ช่อง", "field", lang),
            _label("ข้อความ", "message", lang),
            _label("อ้างอิง", "source", lang),
        ]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines.extend("| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS])
        if len(rows) > MAX_ROWS:
            more = len(rows) - MAX_ROWS
            lines.append("")
            lines.append(
                _label(
                    f"และอีก {more} รายการ (ดูรายงานฉบับเต็ม)", f"and {more} more (see the full reports)", lang
                )
            )
        lines.append("")
    if run.review_ok and run.count("needs_review"):
        lines.append(
            _label(
                "--review-ok: ข้อเสนอที่ต้องให้เจ้าหน้าที่พิจารณาไม่ทำให้ไม่ผ่าน",
                "--review-ok: proposals that need an officer's review do not fail the gate",
                lang,
            )
        )
        lines.append("")
    return "\n".join(lines)
