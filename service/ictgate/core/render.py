"""Human-readable verdicts for the terminal: Thai first, English second."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["ROLE_LABELS", "VERDICT_LABELS", "chain_text", "citation_text", "render_text"]

VERDICT_LABELS = {
    "pass": ("ผ่าน", "pass"),
    "fail": ("ไม่ผ่าน", "fail"),
    "needs_review": ("ต้องให้เจ้าหน้าที่พิจารณา", "needs review"),
    "not_applicable": ("ไม่อยู่ในขอบเขต", "not applicable"),
}

# What a body does on the approval chain (verdict route.steps[].role).
ROLE_LABELS = {
    "consent": ("ให้ความยินยอม", "consent"),
    "endorsement": ("ให้ความเห็นชอบและเสนอต่อ", "endorsement"),
    "approval": ("อนุมัติ", "approval"),
}

_MARKS = {"pass": "✓", "fail": "✗", "warn": "!", "review": "?", "not_applicable": "-"}
# Outcomes that ask the agency to change something: these show the line of their field.
_TO_FIX = frozenset({"fail", "warn", "review"})
_COLOURS = {
    "pass": "32",
    "fail": "31",
    "warn": "33",
    "review": "33",
    "not_applicable": "90",
    "needs_review": "33",
}


def _paint(text: str, outcome: str, colour: bool) -> str:
    return f"\033[{_COLOURS.get(outcome, '0')}m{text}\033[0m" if colour else text


def _texts(message: dict[str, str], lang: str) -> list[str]:
    order = {"th": ["th"], "en": ["en"], "both": ["th", "en"]}[lang]
    return [message[key] for key in order if message.get(key)]


def _label(th: str, en: str, lang: str) -> str:
    return {"th": th, "en": en, "both": f"{th} / {en}"}[lang]


def render_text(
    label: str,
    verdict: dict[str, Any],
    lang: str = "both",
    colour: bool = False,
    line_of: Callable[[str], int | None] | None = None,
) -> str:
    """The verdict for a terminal; ``line_of`` gives a field's line, shown where something must change."""
    th, en = VERDICT_LABELS.get(verdict["verdict"], (verdict["verdict"], verdict["verdict"]))
    shown = {"th": th, "en": en, "both": f"{th} / {en}"}[lang]
    lines = [f"{label}: {_paint(shown.upper() if lang == 'en' else shown, verdict['verdict'], colour)}"]
    route = verdict.get("route")
    if route:
        where = f" {route['province']}" if route.get("province") else ""
        lines.append(f"  {_label('เสนอ', 'route', lang)}: {route['body']}{where}")
        lines.extend(f"    {text}" for text in _texts(route["name"], lang))
        steps = route.get("steps") or []
        if len(steps) > 1:
            lines.append(f"  {_label('ขั้นตอน', 'approval chain', lang)}:")
            for number, step in enumerate(steps, start=1):
                role_th, role_en = ROLE_LABELS.get(step["role"], (step["role"], step["role"]))
                role = _label(role_th, role_en, lang)
                where = f" {step['province']}" if step.get("province") else ""
                lines.append(f"    {number}. {step['body']}{where} ({role}, {step['rule']})")
                lines.extend(f"       {text}" for text in _texts(step["reason"], lang))
    for finding in verdict["findings"]:
        mark = _paint(_MARKS.get(finding["outcome"], "?"), finding["outcome"], colour)
        field = finding["field"] or "/"
        line = line_of(finding["field"]) if line_of and finding["outcome"] in _TO_FIX else None
        where = f" ({_label('บรรทัด', 'line', lang)} {line})" if line else ""
        lines.append(f"  {mark} {finding['rule']} {finding['outcome']}  {field}{where}")
        lines.extend(f"      {text}" for text in _texts(finding["message"], lang))
        lines.append(f"      {citation_text(finding['citation'], lang)}")
    for obligation in verdict.get("obligations", []):
        lines.append(
            f"  {_label('หน้าที่', 'obligation', lang)}: {obligation['rule']} {obligation.get('period', '')}"
        )
        lines.extend(f"      {text}" for text in _texts(obligation["message"], lang))
    lines.append(
        f"  decision {verdict['decision_id']} · policy {verdict['policy']['revision']} · {verdict['engine']}"
    )
    return "\n".join(lines)


def citation_text(citation: dict[str, object], lang: str) -> str:
    """A finding's source on one line: id, clause, document number, date, and if it is an interpretation."""
    label = {"th": "อ้างอิง", "en": "source", "both": "อ้างอิง / source"}[lang]
    reference = f", {citation['reference']}" if citation.get("reference") else ""
    date = f", {citation['date']}" if citation.get("date") else ""
    basis = ""
    if citation.get("interpretation"):
        basis = (
            " (" + {"th": "การตีความ", "en": "interpretation", "both": "การตีความ / interpretation"}[lang] + ")"
        )
    return f"{label}: {citation.get('source', '')} {citation.get('clause', '')}{reference}{date}{basis}"


def chain_text(route: dict[str, Any]) -> str:
    """The approval chain on one line, for machine-read reports: body, province, role, in order."""
    steps = route.get("steps") or [{"body": route.get("body", ""), "province": route.get("province")}]
    parts = []
    for step in steps:
        where = f" {step['province']}" if step.get("province") else ""
        role = f" [{step['role']}]" if step.get("role") else ""
        parts.append(f"{step.get('body', '')}{where}{role}")
    return " -> ".join(parts)
