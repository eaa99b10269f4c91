"""``--format text``: for people at a terminal, Thai and English (coloured only on a terminal)."""

from __future__ import annotations

from ictgate.core.render import render_text
from ictgate.gate.reports.common import ReportOptions, field_where
from ictgate.gate.results import FileResult, GateRun

__all__ = ["render"]

_RED = "\033[31m{}\033[0m"


def _label(th: str, en: str, lang: str) -> str:
    return {"th": th, "en": en, "both": f"{th} / {en}"}[lang]


def _problem(result: FileResult, options: ReportOptions) -> list[str]:
    problem = result.problem
    assert problem is not None
    state = (
        _label("ไฟล์ไม่ถูกต้อง", "invalid", options.lang)
        if problem.state == "invalid"
        else _label("ไม่ได้ตรวจ", "not checked", options.lang)
    )
    if options.colour:
        state = _RED.format(state)
    at = f" {_label('ที่บรรทัด', 'at line', options.lang)} {problem.line}" if problem.line else ""
    lines = [
        f"{result.path}: {state} ({problem.code}){at}: {_both(problem.detail_th, problem.detail, options)}"
    ]
    for item in problem.errors:
        line = result.error_line(item)
        at = f" ({_label('บรรทัด', 'line', options.lang)} {line})" if line else ""
        if options.lang == "both" and item.message_th:
            # Thai first, the English beneath it.
            lines.append(f"  {field_where(item)}{at}: {item.message_th}")
            lines.append(f"      {item.message}")
        else:
            lines.append(f"  {field_where(item)}{at}: {_one(item.message_th, item.message, options)}")
    return lines


def _one(thai: str, english: str, options: ReportOptions) -> str:
    """The text in the report's language; English where there is no Thai."""
    return thai if options.lang == "th" and thai else english


def _both(thai: str, english: str, options: ReportOptions) -> str:
    if options.lang == "both" and thai:
        return f"{thai} / {english}"
    return _one(thai, english, options)


def render(run: GateRun, options: ReportOptions) -> str:
    blocks: list[str] = []
    for result in run.results:
        if result.verdict is not None:
            blocks.append(
                render_text(str(result.path), result.verdict, options.lang, options.colour, result.line)
            )
        else:
            blocks.append("\n".join(_problem(result, options)))
    blocks.append(run.summary())
    return "\n".join(blocks) + "\n"
