"""GitHub Actions annotations: file, line, rule id as title; escaped as the runner reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from ictgate.gate.reports.github import workflow_command

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
    return copy_repo(tmp_path_factory.mktemp("github"))


def test_annotations_for_the_repository(repo: Path) -> None:
    outcome = run_check(repo, ["proposals", "--format", "github", "--lang", "en"])
    assert outcome.code == 2
    lines = outcome.stdout.splitlines()
    assert [line.split("::", 2)[1] for line in lines] == [
        f"error file={FAIL_DATA_CENTRE},line=16,title=R-AUTH-2",
        f"warning file={PASS_WITH_WARNING},line=12,title=R-AUTH-3",
        f"error file={INVALID_SCHOOL_WIFI},line=12,title=ictgate/schema_violation",
        f"error file={INVALID_SCHOOL_WIFI},line=9,title=ictgate/schema_violation",
    ]
    assert lines[0].split("::", 2)[2].split("%0A") == [
        "Submit to the MOI computer-system management committee, not the Provincial committee for the "
        "administration and procurement of computer systems of MOI agencies: the budget of 7,850,000.00 THB "
        "exceeds 5,000,000.00 THB.",
        "source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02",
    ]
    assert lines[2].endswith("::/project/budget_thb: 1890000.005 has more than two decimals")


def test_a_passing_file_prints_nothing(repo: Path) -> None:
    outcome = run_check(repo, [PASS_E_OFFICE, "--format", "github"])
    assert (outcome.code, outcome.stdout) == (0, "")
    assert outcome.stderr == "ictgate: 1 file(s) checked: 1 pass; exit 0\n"


def test_unmatched_paths_are_errors_without_a_file(repo: Path) -> None:
    outcome = run_check(repo, [PASS_E_OFFICE, "nope/", "--format", "github"])
    assert outcome.code == 2
    assert outcome.stdout == "::error title=ictgate/unmatched_path::nope/: no such file or directory\n"


def test_workflow_command_escaping() -> None:
    assert workflow_command("error", "50% done\r\nnext", "R-X,1:2", "a,b:c.yaml", 3) == (
        "::error file=a%2Cb%3Ac.yaml,line=3,title=R-X%2C1%3A2::50%25 done%0D%0Anext"
    )
    assert workflow_command("notice", "m", "t") == "::notice title=t::m"
