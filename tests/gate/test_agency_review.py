"""A real needs_review proposal in the agency repository: exit 3, or 0 with --review-ok."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ictgate.gate.reports import FORMATS

from tests.support.agency import copy_repo, run_check

REVIEW = "review/cctv-market.yaml"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_cctv_project_without_the_2024_powers_exits_3(repo: Path, fmt: str) -> None:
    assert run_check(repo, [REVIEW, "--format", fmt]).code == 3
    assert run_check(repo, [REVIEW, "--format", fmt, "--review-ok"]).code == 0


def test_the_review_is_r_cctv_5_on_the_province_line(repo: Path) -> None:
    report = json.loads(run_check(repo, [REVIEW, "--format", "json"]).stdout)
    (item,) = report["files"]
    verdict = item["verdict"]
    assert verdict["verdict"] == "needs_review"
    assert verdict["route"]["body"] == "provincial_committee"
    assert [(f["rule"], f["field"]) for f in verdict["findings"] if f["outcome"] == "review"] == [
        ("R-CCTV-5", "/agency/province")
    ]
    sarif = json.loads(run_check(repo, [REVIEW, "--format", "sarif"]).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "R-CCTV-5"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 8}


def test_junit_marks_the_review_as_a_failure_unless_accepted(repo: Path) -> None:
    junit = run_check(repo, [REVIEW, "--format", "junit"]).stdout
    case = ET.fromstring(junit.split("\n", 1)[1]).find("testsuite/testcase[@name='R-CCTV-5']")
    assert case is not None and case.find("failure") is not None
    accepted = run_check(repo, [REVIEW, "--format", "junit", "--review-ok"]).stdout
    case = ET.fromstring(accepted.split("\n", 1)[1]).find("testsuite/testcase[@name='R-CCTV-5']")
    assert case is not None and case.find("skipped") is not None
