"""JUnit XML: one suite per file, one test case per rule, failures exactly where the exit code says."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.support.agency import (
    FAIL_DATA_CENTRE,
    INVALID_SCHOOL_WIFI,
    PASS_E_OFFICE,
    PASS_WITH_WARNING,
    copy_repo,
    run_check,
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("junit"))


@pytest.fixture(scope="module")
def verdicts(repo: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(run_check(repo, ["proposals", "--format", "json"]).stdout)
    return report


@pytest.fixture(scope="module")
def root(repo: Path) -> ET.Element:
    outcome = run_check(repo, ["proposals", "--format", "junit", "--lang", "en"])
    assert outcome.code == 2
    assert outcome.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(outcome.stdout.split("\n", 1)[1])


def _status(case: ET.Element) -> str:
    for tag in ("failure", "error", "skipped"):
        if case.find(tag) is not None:
            return tag
    return "passed"


def _cases(root: ET.Element) -> list[tuple[str | None, str | None, str, str | None]]:
    return [
        (suite.get("name"), case.get("name"), _status(case), case.get("line"))
        for suite in root.iter("testsuite")
        for case in suite.iter("testcase")
    ]


def test_the_cases_that_block_or_warn(root: ET.Element) -> None:
    assert [case for case in _cases(root) if case[2] != "passed" or case[1] == "R-AUTH-3"] == [
        (FAIL_DATA_CENTRE, "R-AUTH-2", "failure", "16"),
        (PASS_WITH_WARNING, "R-AUTH-3", "passed", "12"),
        (INVALID_SCHOOL_WIFI, "ictgate/schema_violation", "error", "12"),
    ]
    for suite in root.iter("testsuite"):
        for case in suite.iter("testcase"):
            assert case.get("classname") == suite.get("name") == case.get("file")


def test_one_test_case_per_file_and_rule(root: ET.Element, verdicts: dict[str, Any]) -> None:
    # Every rule the policies evaluated is a test case, passes included, in the verdict's order.
    expected = []
    for item in verdicts["files"]:
        if "verdict" not in item:
            expected.append((item["file"], "ictgate/schema_violation", "error", "12"))
            continue
        for finding in item["verdict"]["findings"]:
            status = {"fail": "failure", "review": "failure", "not_applicable": "skipped"}.get(
                finding["outcome"], "passed"
            )
            expected.append((item["file"], finding["rule"], status, str(item["lines"][finding["field"]])))
    assert _cases(root) == expected
    names = {(case[0], case[1]) for case in expected}
    assert {
        (FAIL_DATA_CENTRE, "R-AUTH-8"),
        (FAIL_DATA_CENTRE, "R-AUTH-10"),
        (PASS_E_OFFICE, "R-AUTH-1"),
        (PASS_E_OFFICE, "R-AUTH-2"),
        (PASS_E_OFFICE, "R-AUTH-6"),
    } <= names


def test_totals(root: ET.Element, verdicts: dict[str, Any]) -> None:
    findings = sum(len(item["verdict"]["findings"]) for item in verdicts["files"] if "verdict" in item)
    assert {key: root.get(key) for key in ("name", "tests", "failures", "errors", "skipped")} == {
        "name": "ictgate check",
        "tests": str(findings + 1),
        "failures": "1",
        "errors": "1",
        "skipped": "0",
    }
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == [FAIL_DATA_CENTRE, PASS_E_OFFICE, PASS_WITH_WARNING, INVALID_SCHOOL_WIFI]
    assert suites[FAIL_DATA_CENTRE].get("failures") == "1"
    assert suites[INVALID_SCHOOL_WIFI].get("tests") == "1"


def test_a_failure_says_what_where_and_why(root: ET.Element) -> None:
    failure = root.find("testsuite/testcase[@name='R-AUTH-2']/failure")
    assert failure is not None
    assert failure.get("type") == "fail"
    assert failure.get("message", "").startswith("Submit to the MOI computer-system management committee")
    assert (failure.text or "").splitlines()[0] == f"R-AUTH-2 fail at /requested_body ({FAIL_DATA_CENTRE}:16)"
    assert (failure.text or "").splitlines()[
        -1
    ] == "source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02"


def test_a_warning_passes_and_shows_in_system_out(root: ET.Element) -> None:
    [out] = [case.find("system-out") for case in root.iter("testcase") if case.get("name") == "R-AUTH-3"]
    assert out is not None
    assert (out.text or "").startswith(
        f"warning: R-AUTH-3 warn at /project/standard_prices ({PASS_WITH_WARNING}:12)"
    )


def test_an_invalid_file_is_an_error_listing_each_field_and_line(root: ET.Element) -> None:
    error = root.find(f"testsuite[@name='{INVALID_SCHOOL_WIFI}']/testcase/error")
    assert error is not None
    assert error.get("type") == "schema_violation"
    assert error.get("message") == "2 errors against submission.schema.json"
    assert (error.text or "").splitlines() == [
        f"/project/budget_thb ({INVALID_SCHOOL_WIFI}:12): 1890000.005 has more than two decimals",
        f"/project/standard_prices ({INVALID_SCHOOL_WIFI}:9): standard_prices is required",
    ]


def test_suites_carry_the_verdict_and_decision(root: ET.Element) -> None:
    suite = root.find(f"testsuite[@name='{PASS_E_OFFICE}']")
    assert suite is not None
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["state"] == "pass"
    assert properties["route"] == "provincial_committee"
    assert properties["as_of"] == "2025-01-20"
    assert len(properties["decision_id"] or "") == 36


def test_paths_that_match_nothing_fail_the_report(repo: Path) -> None:
    outcome = run_check(repo, [PASS_E_OFFICE, "proposals/*.toml", "--format", "junit"])
    assert outcome.code == 2
    root = ET.fromstring(outcome.stdout.split("\n", 1)[1])
    suite = root.find("testsuite[@name='ictgate']")
    assert suite is not None
    [case] = suite.iter("testcase")
    assert case.get("name") == "proposals/*.toml"
    error = case.find("error")
    assert error is not None
    assert error.get("message") == "proposals/*.toml: no proposal file matches this pattern"
    assert root.get("errors") == "1"


def test_nothing_to_check_is_an_error_not_an_empty_report(tmp_path: Path) -> None:
    outcome = run_check(tmp_path, [".", "--format", "junit"])
    assert outcome.code == 2
    root = ET.fromstring(outcome.stdout.split("\n", 1)[1])
    assert [(c.get("name"), _status(c)) for c in root.iter("testcase")] == [("no proposal files", "error")]
