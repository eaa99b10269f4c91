"""examples/agency-repo: the documented exit codes, in every format, and the CI files as tested."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ictgate import __version__
from ictgate.gate.reports import FORMATS

from tests.gate.ci_files import (
    DEV_VENV,
    EXAMPLE_GITLAB,
    EXAMPLE_WORKFLOW,
    GITLAB_TEMPLATE,
    gitlab_job,
    load_yaml,
    run_action,
    run_gitlab_job,
)
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
    return copy_repo(tmp_path_factory.mktemp("agency"))


@pytest.mark.parametrize("fmt", list(FORMATS))
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
        "detail_th": "ข้อมูลไม่ถูกต้องตามแบบที่กำหนด 2 รายการ กรุณาแก้ไขตามรายการ",
        "line": None,
        "errors": [
            {
                "pointer": "/project/budget_thb",
                "message": "1890000.005 has more than two decimals",
                "message_th": "วงเงินงบประมาณ มีทศนิยมได้ไม่เกินสองตำแหน่ง",
                "keyword": "multipleOf",
                "line": 12,
            },
            {
                "pointer": "/project/standard_prices",
                "message": "standard_prices is required",
                "message_th": "กรุณาระบุว่าใช้ราคามาตรฐาน (ดศ./มท.) หรือไม่",
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


def test_the_github_workflow_runs_the_gate_as_tested(tmp_path: Path) -> None:
    """The example's step `uses: ictgate/ictgate@v…` with its inputs, run by the action's own script."""
    workflow = load_yaml(EXAMPLE_WORKFLOW)
    steps = workflow["jobs"]["precheck"]["steps"]
    [gate] = [step for step in steps if step.get("uses", "").startswith("ictgate/ictgate@")]
    assert gate["uses"] == f"ictgate/ictgate@v{__version__}"
    repo = copy_repo(tmp_path)
    run = run_action("check", repo, tmp_path, gate["with"])
    assert run.code == 0  # the verdict is the action's last step's: its exit-code output
    assert run.outputs == {
        "exit-code": "2",
        "report-dir": "ictgate-reports",
        "sarif-file": "ictgate-reports/ictgate.sarif",
        "upload-sarif": "true",
    }
    # The annotations on stdout, the reports where the upload step looks for them.
    assert run.stdout.splitlines()[0].startswith(
        "::error file=proposals/fy2568/data-centre.yaml,line=16,title=R-AUTH-2::"
    )
    assert json.loads((repo / run.outputs["sarif-file"]).read_text("utf-8"))["version"] == "2.1.0"
    [artifact] = [step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert artifact["if"] == "always()"
    kept = sorted(p.name for p in (repo / artifact["with"]["path"]).iterdir())
    assert kept == ["ictgate-junit.xml", "ictgate.sarif", "ictgate.txt"]
    assert run.summary.startswith("## ⛔ ictgate: ตรวจไม่ได้: ไฟล์ไม่ถูกต้องหรือไม่มีคำตอบ / not checked")
    assert workflow["permissions"]["security-events"] == "write"


def test_the_gitlab_job_runs_the_gate_as_tested(tmp_path: Path) -> None:
    """The example includes the template; its job's script, run on this checkout's ictgate."""
    pipeline = load_yaml(EXAMPLE_GITLAB)
    assert pipeline["include"] == [
        {
            "remote": f"https://raw.githubusercontent.com/ictgate/ictgate/v{__version__}"
            "/ci/gitlab/ictgate.gitlab-ci.yml"
        }
    ]
    job = gitlab_job(pipeline, load_yaml(GITLAB_TEMPLATE))
    repo = copy_repo(tmp_path)
    home = tmp_path / "ictgate-home"
    home.mkdir()
    (home / "venv").symlink_to(DEV_VENV)
    done = run_gitlab_job(job, repo, {"ICTGATE_HOME": str(home)}, before=False)
    assert done.returncode == 2
    assert job["artifacts"]["when"] == "always"
    reports = job["artifacts"]["reports"]
    junit = (repo / reports["junit"]).read_text("utf-8")
    assert junit.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ictgate check"')
    issues = json.loads((repo / reports["codequality"]).read_text("utf-8"))
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("R-AUTH-2", "major"),
        ("R-AUTH-3", "info"),
        ("ictgate/schema_violation", "blocker"),
        ("ictgate/schema_violation", "blocker"),
    ]
    assert sorted(p.name for p in (repo / "ictgate-reports").iterdir()) == [
        "ictgate-codequality.json",
        "ictgate-junit.xml",
        "ictgate.sarif",
        "ictgate.txt",
    ]
    assert done.stdout.splitlines()[-1] == "4 file(s) checked: 2 pass, 1 fail, 1 invalid"


def test_hidden_ci_files_are_not_taken_for_proposals(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    report = json.loads(run_check(repo, [".", "--format", "json"]).stdout)
    assert sorted(item["file"] for item in report["files"]) == sorted(
        [FAIL_DATA_CENTRE, PASS_E_OFFICE, PASS_WITH_WARNING, INVALID_SCHOOL_WIFI, "review/cctv-market.yaml"]
    )
