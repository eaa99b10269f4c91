"""examples/agency-repo: the documented exit codes, in every format, and the CI files as tested."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.agency import (
    AGENCY_REPO,
    FAIL_DATA_CENTRE,
    INVALID_SCHOOL_WIFI,
    PASS_E_OFFICE,
    PASS_WITH_WARNING,
    copy_repo,
    run_check,
)

FORMATS = ["text", "json", "junit", "sarif", "github"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("agency"))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("paths", "code"),
    [
        ([PASS_E_OFFICE], 0),
        ([PASS_WITH_WARNING], 0),  # a warning does not block
        ([PASS_E_OFFICE, PASS_WITH_WARNING], 0),
        ([FAIL_DATA_CENTRE], 1),
        (["proposals/fy2568"], 1),
        ([INVALID_SCHOOL_WIFI], 2),
        (["proposals"], 2),  # invalid beats fail
        (["proposals/**/*.json"], 0),
        (["proposals/*/e-*.yaml", "proposals/*/data-*.yaml"], 1),
        (["proposals/fy2570"], 2),  # does not exist
        (["proposals/**/*.toml"], 2),  # matches nothing
        ([PASS_E_OFFICE, "proposals/fy2570"], 2),  # a typo never passes
        (["README.md", PASS_E_OFFICE], 2),  # named explicitly, so read, and not a proposal
    ],
)
def test_exit_codes_are_the_same_in_every_format(repo: Path, fmt: str, paths: list[str], code: int) -> None:
    assert run_check(repo, [*paths, "--format", fmt]).code == code


def test_a_directory_without_proposals_exits_2_and_says_so(repo: Path) -> None:
    (repo / "empty").mkdir(exist_ok=True)
    outcome = run_check(repo, ["empty", "--format", "sarif"])
    assert outcome.code == 2
    assert "ictgate: no proposal files to check (looked for *.json, *.yaml, *.yml)" in outcome.stderr
    notifications = json.loads(outcome.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notifications] == ["ictgate/no_files"]


def test_the_whole_repository_in_json(repo: Path) -> None:
    outcome = run_check(repo, ["proposals", "--format", "json"])
    assert outcome.code == 2
    report = json.loads(outcome.stdout)
    assert report["exit_code"] == 2
    assert report["summary"] == {
        "files": 4,
        "pass": 2,
        "fail": 1,
        "needs_review": 0,
        "not_applicable": 0,
        "invalid": 1,
        "error": 0,
    }
    assert [(item["file"], item["state"]) for item in report["files"]] == [
        (FAIL_DATA_CENTRE, "fail"),
        (PASS_E_OFFICE, "pass"),
        (PASS_WITH_WARNING, "pass"),
        (INVALID_SCHOOL_WIFI, "invalid"),
    ]
    failing = report["files"][0]
    findings = [(f["rule"], f["outcome"], f["field"]) for f in failing["verdict"]["findings"]]
    assert [finding for finding in findings if finding[1] != "pass"] == [
        ("R-AUTH-2", "fail", "/requested_body")
    ]
    assert {("R-AUTH-8", "pass", "/agency/kind"), ("R-AUTH-10", "pass", "/agency/province")} <= set(findings)
    assert failing["verdict"]["route"]["body"] == "moi_committee"
    assert {
        field: failing["lines"][field] for field in ("/requested_body", "/agency/kind", "/agency/province")
    } == {
        "/requested_body": 16,
        "/agency/kind": 7,
        "/agency/province": 8,
    }
    assert set(failing["lines"]) == {finding[2] for finding in findings}
    assert report["files"][3]["error"] == {
        "code": "schema_violation",
        "detail": "2 errors against submission.schema.json",
        "line": None,
        "errors": [
            {
                "pointer": "/project/budget_thb",
                "message": "1890000.005 has more than two decimals",
                "keyword": "multipleOf",
                "line": 12,
            },
            {
                "pointer": "/project/standard_prices",
                "message": "standard_prices is required",
                "keyword": "required",
                "line": 9,
            },
        ],
    }
    assert outcome.stderr.strip() == "ictgate: 4 file(s) checked: 2 pass, 1 fail, 1 invalid; exit 2"


def test_the_whole_repository_in_text(repo: Path) -> None:
    outcome = run_check(repo, ["proposals", "--lang", "en"])
    lines = outcome.stdout.splitlines()
    assert outcome.code == 2
    assert "proposals/fy2568/data-centre.yaml: FAIL" in lines
    assert "  ✗ R-AUTH-2 fail  /requested_body (line 16)" in lines
    assert "  ! R-AUTH-3 warn  /project/standard_prices (line 12)" in lines
    assert "  ✓ R-AUTH-1 pass  /project/standard_prices" in lines  # passes need no line
    assert (
        f"{INVALID_SCHOOL_WIFI}: invalid (schema_violation): 2 errors against submission.schema.json" in lines
    )
    assert "  /project/budget_thb (line 12): 1890000.005 has more than two decimals" in lines
    assert "  /project/standard_prices (line 9): standard_prices is required" in lines
    assert lines[-1] == "4 file(s) checked: 2 pass, 1 fail, 1 invalid"
    assert "\033[" not in outcome.stdout  # not a terminal: no colour


def test_the_lines_reported_are_the_lines_of_the_fields(repo: Path) -> None:
    report = json.loads(run_check(repo, ["proposals", "--format", "json"]).stdout)
    for item in report["files"]:
        text = (repo / item["file"]).read_text("utf-8").splitlines()
        errors = item.get("error", {}).get("errors", [])
        located = item.get("lines", {}) | {error["pointer"]: error["line"] for error in errors}
        for pointer, line in located.items():
            key = pointer.rsplit("/", 1)[-1]
            if (item["file"], pointer) == (INVALID_SCHOOL_WIFI, "/project/standard_prices"):
                key = "project"  # missing: placed on its parent
            if pointer:
                assert text[line - 1].lstrip(' "').startswith(key), (item["file"], pointer, line)


def _steps_running_ictgate(commands: list[str]) -> list[list[str]]:
    found = []
    for command in commands:
        argv = shlex.split(command)
        if argv and argv[0].endswith("/ictgate") and argv[1] == "check":
            found.append(argv[2:])
    return found


def _github_commands(workflow: dict[str, Any]) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def test_the_github_workflow_runs_the_gate_as_tested(tmp_path: Path) -> None:
    workflow = yaml.safe_load((AGENCY_REPO / ".github/workflows/ictgate.yml").read_text("utf-8"))
    steps = workflow["jobs"]["precheck"]["steps"]
    assert "make -C .ictgate .venv/.runtime" in _github_commands(workflow)
    [arguments] = _steps_running_ictgate(_github_commands(workflow))
    repo = copy_repo(tmp_path)
    outcome = run_check(repo, arguments)
    assert outcome.code == 2
    # The annotations on stdout, the reports where the upload steps look for them.
    assert outcome.stdout.splitlines()[0].startswith(
        "::error file=proposals/fy2568/data-centre.yaml,line=16,title=R-AUTH-2::"
    )
    uploads = {step["uses"].split("@")[0]: step for step in steps if "uses" in step}
    sarif = uploads["github/codeql-action/upload-sarif"]
    assert sarif["if"] == "always()"
    assert json.loads(outcome.read(sarif["with"]["sarif_file"]))["version"] == "2.1.0"
    artifact = uploads["actions/upload-artifact"]
    assert artifact["if"] == "always()"
    kept = sorted(p.name for p in (repo / artifact["with"]["path"]).iterdir())
    assert kept == ["ictgate-junit.xml", "ictgate.sarif", "ictgate.txt"]
    assert workflow["permissions"]["security-events"] == "write"


def test_the_gitlab_job_runs_the_gate_as_tested(tmp_path: Path) -> None:
    pipeline = yaml.safe_load((AGENCY_REPO / ".gitlab-ci.yml").read_text("utf-8"))
    job = pipeline["ictgate"]
    assert "make -C .ictgate .venv/.runtime" in job["before_script"]
    [arguments] = _steps_running_ictgate(job["script"])
    repo = copy_repo(tmp_path)
    outcome = run_check(repo, arguments)
    assert outcome.code == 2
    assert job["artifacts"]["when"] == "always"
    junit = outcome.read(job["artifacts"]["reports"]["junit"])
    assert junit.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ictgate check"')
    assert (repo / "reports/ictgate.sarif").is_file()
    assert outcome.stdout.splitlines()[-1] == "4 file(s) checked: 2 pass, 1 fail, 1 invalid"


def test_hidden_ci_files_are_not_taken_for_proposals(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    report = json.loads(run_check(repo, [".", "--format", "json"]).stdout)
    assert sorted(item["file"] for item in report["files"]) == sorted(
        [FAIL_DATA_CENTRE, PASS_E_OFFICE, PASS_WITH_WARNING, INVALID_SCHOOL_WIFI, "review/cctv-market.yaml"]
    )
