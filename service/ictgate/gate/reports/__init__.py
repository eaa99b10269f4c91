"""The reports of ``ictgate check``, one module per format; each only reads a GateRun.

text          people at a terminal (Thai and English; colour on a terminal)
json          the verdicts as in CONTRACT.md, with file names and lines
junit         JUnit XML test reports
sarif         SARIF 2.1.0 for code scanning
github        GitHub Actions annotations
"""

from __future__ import annotations

from collections.abc import Callable

from ictgate.gate.reports import github, json_report, junit, sarif, text
from ictgate.gate.reports.common import ReportOptions
from ictgate.gate.results import GateRun

__all__ = ["FORMATS", "ReportOptions", "render"]

FORMATS: dict[str, Callable[[GateRun, ReportOptions], str]] = {
    "text": text.render,
    "json": json_report.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
}


def render(name: str, run: GateRun, options: ReportOptions) -> str:
    return FORMATS[name](run, options)
