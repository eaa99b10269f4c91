"""needs_review and engine failures through every format (exit 3, --review-ok, exit 2).

No proposal of the current rulebook reliably needs review, so a thin wrapper
around the real embedded engine turns one finding into ``review`` (as the
committee rules do for a CCTV project with no order on file); everything after
the engine is the real code path.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import pytest
from ictgate import compose
from ictgate.cli import main as cli
from ictgate.compose import build_prechecker
from ictgate.core.errors import EngineUnavailable
from ictgate.core.settings import Settings
from ictgate.gate import GateRun, LocalEvaluator, ServerEvaluator, check_files
from ictgate.gate.documents import Source, read_source
from ictgate.gate.reports import FORMATS, ReportOptions, render
from ictgate.prechecker import Prechecker

from tests.support.agency import FAIL_DATA_CENTRE, PASS_E_OFFICE, PASS_WITH_WARNING, copy_repo, run_check


class _NeedsReview(LocalEvaluator):
    """The real pre-check, with R-AUTH-10 reported as undecided."""

    def precheck(self, source: Source, as_of: str | None) -> dict[str, Any]:
        verdict = super().precheck(source, as_of)
        if verdict["verdict"] == "pass":
            verdict["verdict"] = "needs_review"
            for finding in verdict["findings"]:
                if finding["rule"] == "R-AUTH-10":
                    finding["outcome"] = "review"
        return verdict


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cli, "LocalEvaluator", _NeedsReview)
    return copy_repo(tmp_path)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_needs_review_exits_3_or_0_with_review_ok(repo: Path, fmt: str) -> None:
    assert run_check(repo, [PASS_E_OFFICE, "--format", fmt]).code == 3
    assert run_check(repo, [PASS_E_OFFICE, "--format", fmt, "--review-ok"]).code == 0
    # fail beats needs_review
    assert run_check(repo, [PASS_E_OFFICE, FAIL_DATA_CENTRE, "--format", fmt, "--review-ok"]).code == 1


def test_review_in_each_report(repo: Path) -> None:
    junit = run_check(repo, [PASS_E_OFFICE, "--format", "junit"]).stdout
    case = ET.fromstring(junit.split("\n", 1)[1]).find("testsuite/testcase[@name='R-AUTH-10']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "review"
    accepted = run_check(repo, [PASS_E_OFFICE, "--format", "junit", "--review-ok"]).stdout
    case = ET.fromstring(accepted.split("\n", 1)[1]).find("testsuite/testcase[@name='R-AUTH-10']")
    assert case is not None
    skipped = case.find("skipped")
    assert skipped is not None
    assert (skipped.get("message") or "").startswith("needs review (accepted by --review-ok): ")

    sarif = json.loads(run_check(repo, [PASS_E_OFFICE, "--format", "sarif"]).stdout)
    [result] = sarif["runs"][0]["results"]
    assert (result["ruleId"], result["level"], result["properties"]["outcome"]) == (
        "R-AUTH-10",
        "warning",
        "review",
    )
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 8}

    github = run_check(repo, [PASS_E_OFFICE, "--format", "github"]).stdout
    assert github.startswith(f"::warning file={PASS_E_OFFICE},line=8,title=R-AUTH-10::")
    github = run_check(repo, [PASS_E_OFFICE, "--format", "github", "--review-ok"]).stdout
    assert github.startswith(f"::notice file={PASS_E_OFFICE},line=8,title=R-AUTH-10::")

    text = run_check(repo, [PASS_E_OFFICE, "--lang", "en"]).stdout
    assert "  ? R-AUTH-10 review  /agency/province (line 8)" in text.splitlines()
    assert text.splitlines()[-1] == "1 file(s) checked: 1 needs_review"


def test_an_engine_failure_stops_the_run_and_reports_every_file(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    local = LocalEvaluator(build_prechecker(Settings(), with_log=False))
    try:
        verdict = local.precheck(read_source(repo / PASS_E_OFFICE), None)
    finally:
        local.close()
    answers = [httpx.Response(200, json=verdict)]

    def server(request: httpx.Request) -> httpx.Response:
        # One verdict, then the service's engine stops answering.
        if answers:
            return answers.pop()
        problem = {
            "code": "engine_timeout",
            "detail": "the policy engine did not answer within 2 s",
            "status": 503,
        }
        return httpx.Response(503, json=problem, headers={"content-type": "application/problem+json"})

    evaluator = ServerEvaluator("http://127.0.0.1:9", transport=httpx.MockTransport(server))
    files = [repo / PASS_E_OFFICE, repo / FAIL_DATA_CENTRE, repo / PASS_WITH_WARNING]
    results = check_files(files, evaluator, None)
    evaluator.close()
    assert [(r.state, r.problem.code if r.problem else None) for r in results] == [
        ("pass", None),
        ("error", "engine_timeout"),
        ("error", "not_checked"),
    ]
    run = GateRun(results, evaluator="test")
    assert run.exit_code == 2
    options = ReportOptions(cwd=repo)
    sarif = json.loads(render("sarif", run, options))
    [invocation] = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [n["descriptor"]["id"] for n in invocation["toolExecutionNotifications"]] == [
        "ictgate/engine_timeout",
        "ictgate/not_checked",
    ]
    junit = ET.fromstring(render("junit", run, options).split("\n", 1)[1])
    assert [(c.get("name"), c.find("error") is not None) for c in junit.iter("testcase")][-2:] == [
        ("ictgate/engine_timeout", True),
        ("ictgate/not_checked", True),
    ]
    assert render("github", run, options).splitlines() == [
        f"::error file={FAIL_DATA_CENTRE},title=ictgate/engine_timeout::POST http://127.0.0.1:9/v1/precheck "
        "answered 503: the policy engine did not answer within 2 s",
        f"::error file={PASS_WITH_WARNING},title=ictgate/not_checked::"
        f"not checked: no verdict could be given for {repo / FAIL_DATA_CENTRE} (engine_timeout)",
    ]


def test_an_engine_that_cannot_start_exits_2(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(settings: Settings, with_log: bool = True) -> Prechecker:
        raise EngineUnavailable("policy folder not found: /nowhere")

    monkeypatch.setattr(compose, "build_prechecker", broken)
    outcome = run_check(repo, [PASS_E_OFFICE, "--format", "json"])
    assert outcome.code == 2
    assert "ictgate: cannot start: policy folder not found: /nowhere" in outcome.stderr
    [item] = json.loads(outcome.stdout)["files"]
    assert (item["state"], item["error"]["code"]) == ("error", "engine_unavailable")
