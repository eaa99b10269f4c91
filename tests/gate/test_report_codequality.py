"""GitLab Code Quality: the documented fields, field by field, on the agency repository and edge cases.

GitLab's "Code Quality report format": a JSON array of objects with description,
check_name, fingerprint, severity (info, minor, major, critical, blocker),
location.path and location.lines.begin.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ictgate.gate import FileResult, GateRun, Problem
from ictgate.gate.reports import FORMATS, ReportOptions, render
from ictgate.gate.reports.codequality import SEVERITIES

from tests.support.agency import (
    FAIL_DATA_CENTRE,
    INVALID_SCHOOL_WIFI,
    PASS_E_OFFICE,
    PASS_WITH_WARNING,
    copy_repo,
    run_check,
)

REVIEW_CCTV = "review/cctv-market.yaml"

# The documented fields as a schema: exactly these keys, all required.
GITLAB_CODE_QUALITY: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "additionalProperties": False,
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},
                    "lines": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("codequality"))


def _issues(repo: Path, *arguments: str) -> tuple[int, list[dict[str, Any]]]:
    outcome = run_check(repo, [*arguments, "--format", "codequality"])
    issues = json.loads(outcome.stdout)
    jsonschema.validate(issues, GITLAB_CODE_QUALITY)
    return outcome.code, issues


def test_it_is_a_format_of_check() -> None:
    assert list(FORMATS) == ["text", "json", "junit", "sarif", "github", "codequality", "markdown"]
    assert SEVERITIES == ("info", "minor", "major", "critical", "blocker")


def test_the_agency_repository_field_by_field(repo: Path) -> None:
    code, issues = _issues(repo, "proposals", "review", "--lang", "en")
    assert code == 2
    assert [
        (i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
        for i in issues
    ] == [
        ("R-AUTH-2", "major", FAIL_DATA_CENTRE, 16),
        ("R-AUTH-3", "info", PASS_WITH_WARNING, 12),
        ("ictgate/schema_violation", "blocker", INVALID_SCHOOL_WIFI, 12),
        ("ictgate/schema_violation", "blocker", INVALID_SCHOOL_WIFI, 9),
        ("R-CCTV-5", "minor", REVIEW_CCTV, 8),
    ]
    assert issues[0]["description"] == (
        "R-AUTH-2: Submit to the MOI computer-system management committee, not the Provincial committee "
        "for the administration and procurement of computer systems of MOI agencies: the budget of "
        "7,850,000.00 THB exceeds 5,000,000.00 THB. (source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, "
        "2010-02-02)"
    )
    assert issues[2]["description"] == (
        "ictgate/schema_violation: /project/budget_thb: 1890000.005 has more than two decimals"
    )
    assert issues[3]["description"] == (
        "ictgate/schema_violation: /project/standard_prices: standard_prices is required"
    )
    assert [i["fingerprint"] for i in issues] == [
        _sha256(FAIL_DATA_CENTRE, "R-AUTH-2", "/requested_body"),
        _sha256(PASS_WITH_WARNING, "R-AUTH-3", "/project/standard_prices"),
        _sha256(INVALID_SCHOOL_WIFI, "ictgate/schema_violation", "/project/budget_thb\0multipleOf"),
        _sha256(INVALID_SCHOOL_WIFI, "ictgate/schema_violation", "/project/standard_prices\0required"),
        _sha256(REVIEW_CCTV, "R-CCTV-5", "/agency/province"),
    ]


def test_descriptions_follow_lang_thai_first(repo: Path) -> None:
    [th] = _issues(repo, FAIL_DATA_CENTRE, "--lang", "th")[1]
    [both] = _issues(repo, FAIL_DATA_CENTRE)[1]
    assert th["description"].startswith(
        "R-AUTH-2: ต้องเสนอคณะกรรมการบริหารและจัดการระบบคอมพิวเตอร์ของกระทรวงมหาดไทย"
    )
    assert th["description"].endswith("(อ้างอิง: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02)")
    assert "Submit to" not in th["description"]
    thai, english = both["description"].split(" / ", 1)
    assert thai == th["description"].split(" (อ้างอิง")[0]
    assert english.startswith("Submit to the MOI computer-system management committee")
    assert both["description"].endswith(
        "(อ้างอิง / source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02)"
    )
    # The fingerprint does not depend on the language: the same finding is the same issue.
    assert th["fingerprint"] == both["fingerprint"]


def test_fingerprints_are_stable_from_run_to_run_and_from_where_the_run_starts(repo: Path) -> None:
    first = _issues(repo, "proposals")[1]
    again = _issues(repo, "proposals")[1]
    absolute = _issues(repo, str(repo / "proposals"))[1]  # an absolute argument, still relative paths
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in absolute]
    assert [i["location"]["path"] for i in absolute] == [i["location"]["path"] for i in first]
    assert len({i["fingerprint"] for i in first}) == len(first) == 4


def test_a_passing_file_is_no_issue(repo: Path) -> None:
    assert _issues(repo, PASS_E_OFFICE) == (0, [])


def test_review_is_minor_and_info_with_review_ok(repo: Path) -> None:
    assert [(i["check_name"], i["severity"]) for i in _issues(repo, REVIEW_CCTV)[1]] == [
        ("R-CCTV-5", "minor")
    ]
    code, issues = _issues(repo, REVIEW_CCTV, "--review-ok")
    assert code == 0
    assert [(i["check_name"], i["severity"]) for i in issues] == [("R-CCTV-5", "info")]


def test_paths_that_match_nothing_and_no_files_are_blockers(repo: Path) -> None:
    code, issues = _issues(repo, PASS_E_OFFICE, "nope/")
    assert code == 2
    assert issues == [
        {
            "description": "ictgate/unmatched_path: nope/: no such file or directory",
            "check_name": "ictgate/unmatched_path",
            "fingerprint": _sha256("nope/", "ictgate/unmatched_path", ""),
            "severity": "blocker",
            "location": {"path": "nope/", "lines": {"begin": 1}},
        }
    ]
    (repo / "empty").mkdir(exist_ok=True)
    code, issues = _issues(repo, "empty")
    assert code == 2
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("ictgate/no_files", "blocker", {"path": ".", "lines": {"begin": 1}})
    ]


def test_a_file_that_is_not_yaml_is_a_blocker_at_its_line(repo: Path) -> None:
    (repo / "broken.yaml").write_text("agency:\n  kind: pao\n   : [\n", "utf-8")
    code, issues = _issues(repo, "broken.yaml", "--lang", "en")
    assert code == 2
    [issue] = issues
    assert (issue["check_name"], issue["severity"]) == ("ictgate/malformed_json", "blocker")
    assert issue["location"] == {"path": "broken.yaml", "lines": {"begin": 3}}
    assert issue["description"].startswith("ictgate/malformed_json: ")
    assert "not valid YAML: while parsing a block mapping" in issue["description"]
    assert "\n" not in issue["description"]  # one line in the merge request widget


def _finding(rule: str, outcome: str, field: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "outcome": outcome,
        "severity": "error",
        "field": field,
        "message": {"th": "ข้อความ", "en": "message"},
        "citation": {"source": "MOI-2024", "clause": "item 3", "date": "2024-05-31"},
    }


def _verdict(verdict: str, *findings: dict[str, Any]) -> dict[str, Any]:
    return {"verdict": verdict, "findings": list(findings), "decision_id": "d", "as_of": "2025-01-01"}


def test_warn_and_not_applicable_are_info_and_the_same_fingerprint_is_never_repeated() -> None:
    same = _finding("R-X-1", "warn", "/a")
    run = GateRun(
        [
            FileResult(Path("p.json"), "submission", verdict=_verdict("pass", same, same)),
            FileResult(
                Path("q.json"),
                "submission",
                verdict=_verdict("not_applicable", _finding("R-AUTH-8", "not_applicable", "/agency/kind")),
            ),
        ]
    )
    issues = json.loads(render("codequality", run, ReportOptions(lang="en")))
    jsonschema.validate(issues, GITLAB_CODE_QUALITY)
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("R-X-1", "info", {"path": "p.json", "lines": {"begin": 1}}),
        ("R-X-1", "info", {"path": "p.json", "lines": {"begin": 1}}),
        ("R-AUTH-8", "info", {"path": "q.json", "lines": {"begin": 1}}),
    ]
    first = _sha256("p.json", "R-X-1", "/a")
    assert issues[0]["fingerprint"] == first
    assert issues[1]["fingerprint"] == hashlib.sha256(f"{first}\0{2}".encode()).hexdigest()
    assert issues[0]["description"] == "R-X-1: message (source: MOI-2024 item 3, 2024-05-31)"


def test_an_engine_that_gave_no_answer_is_a_blocker() -> None:
    run = GateRun(
        [
            FileResult(Path("a.yaml"), problem=Problem("error", "engine_timeout", "no answer within 2 s")),
            FileResult(Path("b.yaml"), problem=Problem("error", "not_checked", "not checked")),
        ]
    )
    issues = json.loads(render("codequality", run, ReportOptions()))
    jsonschema.validate(issues, GITLAB_CODE_QUALITY)
    assert [(i["check_name"], i["severity"], i["description"]) for i in issues] == [
        ("ictgate/engine_timeout", "blocker", "ictgate/engine_timeout: no answer within 2 s"),
        ("ictgate/not_checked", "blocker", "ictgate/not_checked: not checked"),
    ]


def test_the_schema_above_rejects_what_gitlab_would_not_read() -> None:
    good = {
        "description": "d",
        "check_name": "c",
        "fingerprint": "0" * 64,
        "severity": "major",
        "location": {"path": "p.yaml", "lines": {"begin": 1}},
    }
    jsonschema.validate([good], GITLAB_CODE_QUALITY)
    for bad in (
        {**good, "severity": "error"},
        {**good, "location": {"path": "p.yaml", "lines": {"begin": 0}}},
        {**good, "location": {"path": "/abs/p.yaml", "lines": {"begin": 1}}},
        {key: value for key, value in good.items() if key != "check_name"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([bad], GITLAB_CODE_QUALITY)
