"""The reports of ``ictgate check``, one module per format; each only reads a GateRun.

text          people at a terminal (Thai and English; colour on a terminal)
json          the verdicts as in docs/contract.md, with file names and lines
junit         JUnit XML test reports
sarif         SARIF 2.1.0 for code scanning
github        GitHub Actions annotations
codequality   GitLab Code Quality (merge request widget)
markdown      a short summary for a CI job page (GitHub's job summary)
"""

from __future__ import annotations

from collections.abc import Callable

from ictgate.gate.reports import codequality, github, json_report, junit, markdown, sarif, text
from ictgate.gate.reports.common import ReportOptions
from ictgate.gate.results import GateRun

__all__ = ["FORMATS", "ReportOptions", "render"]

FORMATS: dict[str, Callable[[GateRun, ReportOptions], str]] = {
    "text": text.render,
    "json": json_report.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
    "codequality": codequality.render,
    "markdown": markdown.render,
}


def render(name: str, run: GateRun, options: ReportOptions) -> str:
    return FORMATS[name](run, options)
