"""Report details that the agency repository does not reach: repeated rules, colour, not-applicable."""

from __future__ import annotations

import copy
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from ictgate.cli import main as cli
from ictgate.gate import FileResult, GateRun
from ictgate.gate.reports import ReportOptions, render

from tests.support.agency import FAIL_DATA_CENTRE, copy_repo, run_check

FINDING: dict[str, Any] = {
    "rule": "R-DATA-3",
    "outcome": "fail",
    "severity": "error",
    "field": "/cctv/sharing/0/agreement",
    "message": {"th": "ไม่มีข้อตกลง", "en": "no agreement"},
    "citation": {"source": "MOI-2024", "clause": "item 3", "date": "2024-05-31"},
}


def _verdict(*findings: dict[str, Any], verdict: str = "fail") -> dict[str, Any]:
    return {
        "decision_id": "00000000-0000-4000-8000-000000000000",
        "verdict": verdict,
        "as_of": "2025-01-01",
        "findings": list(findings),
        "obligations": [],
        "policy": {"revision": "r", "digest": "sha256:0"},
        "engine": "test",
    }


def test_a_rule_with_several_findings_in_a_file_names_each_case_by_field() -> None:
    second = copy.deepcopy(FINDING)
    second["field"] = "/cctv/sharing/1/agreement"
    second["outcome"] = "pass"
    run = GateRun([FileResult(Path("p.json"), "submission", verdict=_verdict(FINDING, second))])
    root = ET.fromstring(render("junit", run, ReportOptions()).split("\n", 1)[1])
    assert [(c.get("name"), c.find("failure") is not None) for c in root.iter("testcase")] == [
        ("R-DATA-3 /cctv/sharing/0/agreement", True),
        ("R-DATA-3 /cctv/sharing/1/agreement", False),
    ]


def test_a_rule_missing_from_the_catalog_is_still_described() -> None:
    run = GateRun([FileResult(Path("p.json"), "submission", verdict=_verdict(FINDING))])
    sarif = render("sarif", run, ReportOptions(lang="en", policy_dir=None))
    assert '"id": "R-DATA-3"' in sarif
    assert "source: MOI-2024 item 3, 2024-05-31" in sarif


def test_not_applicable_is_skipped_in_junit_and_a_notice_on_github() -> None:
    finding = {**FINDING, "rule": "R-AUTH-8", "outcome": "not_applicable", "field": "/agency/kind"}
    run = GateRun(
        [FileResult(Path("p.json"), "submission", verdict=_verdict(finding, verdict="not_applicable"))]
    )
    assert run.exit_code == 0
    root = ET.fromstring(render("junit", run, ReportOptions()).split("\n", 1)[1])
    skipped = root.find("testsuite/testcase/skipped")
    assert skipped is not None and skipped.get("message") == "ไม่มีข้อตกลง / no agreement"
    assert render("github", run, ReportOptions(lang="en")).startswith("::notice file=p.json,title=R-AUTH-8::")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_is_coloured_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = copy_repo(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    assert cli.main(["check", FAIL_DATA_CENTRE, "--lang", "en"]) == 1
    assert f"{FAIL_DATA_CENTRE}: \033[31mFAIL\033[0m" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in run_check(repo, [FAIL_DATA_CENTRE]).stdout
    # Reports written to files never carry colour.
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    monkeypatch.delenv("NO_COLOR")
    assert cli.main(["check", FAIL_DATA_CENTRE, "-o", "text=out/report.txt"]) == 1
    assert "\033[" not in (repo / "out/report.txt").read_text("utf-8")
