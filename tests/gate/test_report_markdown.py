"""The Markdown summary (the GitHub Action's job summary): headline, counts, one row per finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ictgate.gate import FileResult, GateRun
from ictgate.gate.reports import ReportOptions, render
from ictgate.gate.reports.markdown import MAX_ROWS

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
    return copy_repo(tmp_path_factory.mktemp("markdown"))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def test_the_agency_repository_in_english(repo: Path) -> None:
    outcome = run_check(repo, ["proposals", "review", "--format", "markdown", "--lang", "en"])
    assert outcome.code == 2
    lines = outcome.stdout.splitlines()
    assert lines[:8] == [
        "## ⛔ ictgate: not checked: invalid input or no answer (exit 2)",
        "",
        "files checked: 5",
        "",
        "| pass | fail | needs review | invalid |",
        "|---:|---:|---:|---:|",
        "| 2 | 1 | 1 | 1 |",
        "",
    ]
    assert lines[8] == "|  | file | line | rule | field | message | source |"
    rows = [_cells(line)[:5] for line in lines[10:15]]
    assert rows == [
        [
            "❌",
            f"<code>{FAIL_DATA_CENTRE}</code>",
            "16",
            "<code>R-AUTH-2</code>",
            "<code>/requested_body</code>",
        ],
        [
            "❕",
            f"<code>{PASS_WITH_WARNING}</code>",
            "12",
            "<code>R-AUTH-3</code>",
            "<code>/project/standard_prices</code>",
        ],
        [
            "⛔",
            f"<code>{INVALID_SCHOOL_WIFI}</code>",
            "12",
            "<code>ictgate/schema_violation</code>",
            "<code>/project/budget_thb</code>",
        ],
        [
            "⛔",
            f"<code>{INVALID_SCHOOL_WIFI}</code>",
            "9",
            "<code>ictgate/schema_violation</code>",
            "<code>/project/standard_prices</code>",
        ],
        [
            "⚠️",
            "<code>review/cctv-market.yaml</code>",
            "8",
            "<code>R-CCTV-5</code>",
            "<code>/agency/province</code>",
        ],
    ]
    assert _cells(lines[10])[5:] == [
        "Submit to the MOI computer-system management committee, not the Provincial committee for the "
        "administration and procurement of computer systems of MOI agencies: the budget of 7,850,000.00 THB "
        "exceeds 5,000,000.00 THB.",
        "source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02",
    ]
    assert lines[15:] == []
    assert outcome.stdout.endswith(" |\n")


def test_thai_first_in_both_languages(repo: Path) -> None:
    outcome = run_check(repo, [FAIL_DATA_CENTRE, "--format", "markdown"])
    lines = outcome.stdout.splitlines()
    assert outcome.code == 1
    assert lines[0] == "## ❌ ictgate: ไม่ผ่าน / failed (exit 1)"
    assert lines[4] == "| ไม่ผ่าน / fail |"
    message = _cells(lines[10])[5]
    thai, english = message.split("<br>")
    assert thai.startswith("ต้องเสนอคณะกรรมการบริหารและจัดการระบบคอมพิวเตอร์ของกระทรวงมหาดไทย")
    assert english.startswith("Submit to the MOI")


def test_a_pass_lists_no_rows(repo: Path) -> None:
    outcome = run_check(repo, [PASS_E_OFFICE, "--format", "markdown", "--lang", "th"])
    assert (outcome.code, outcome.stdout) == (
        0,
        "## ✅ ictgate: ผ่าน (exit 0)\n\nไฟล์ที่ตรวจ: 1\n\n| ผ่าน |\n|---:|\n| 1 |\n",
    )


def test_review_and_review_ok(repo: Path) -> None:
    review = run_check(repo, ["review", "--format", "markdown", "--lang", "en"])
    assert review.code == 3
    assert review.stdout.splitlines()[0] == "## ⚠️ ictgate: needs an officer's review (exit 3)"
    accepted = run_check(repo, ["review", "--format", "markdown", "--lang", "en", "--review-ok"])
    assert accepted.code == 0
    lines = accepted.stdout.splitlines()
    assert lines[0] == "## ✅ ictgate: passed (exit 0)"
    assert lines[-1] == "--review-ok: proposals that need an officer's review do not fail the gate"


def test_nothing_to_check(repo: Path) -> None:
    outcome = run_check(repo, ["nope/", "--format", "markdown", "--lang", "en"])
    assert outcome.code == 2
    assert outcome.stdout.splitlines()[2:] == [
        "|  | file | line | rule | field | message | source |",
        "|---|---|---|---|---|---|---|",
        "| ⛔ | <code>nope/</code> |  | <code>ictgate/unmatched_path</code> |  | "
        "no such file or directory |  |",
        "| ⛔ |  |  | <code>ictgate/no_files</code> |  | "
        "no proposal files to check (looked for *.json, *.yaml, *.yml) |  |",
    ]


def _finding(number: int) -> dict[str, Any]:
    return {
        "rule": f"R-X-{number}",
        "outcome": "fail",
        "field": f"/f{number}",
        "message": {"th": "ผิด | <b>", "en": "wrong | <b>\nsecond line"},
        "citation": {"source": "S", "clause": "1"},
    }


def test_file_text_is_escaped_and_long_lists_are_cut() -> None:
    verdict = {"verdict": "fail", "findings": [_finding(n) for n in range(MAX_ROWS + 3)]}
    run = GateRun([FileResult(Path("a|<i>.json"), "submission", verdict=verdict)])
    lines = render("markdown", run, ReportOptions(lang="en")).splitlines()
    first = lines[10]
    assert first == (
        "| ❌ | <code>a\\|&lt;i&gt;.json</code> |  | <code>R-X-0</code> | <code>/f0</code> | "
        "wrong \\| &lt;b&gt;<br>second line | source: S 1 |"
    )
    assert len([line for line in lines if line.startswith("| ❌")]) == MAX_ROWS == 50
    assert lines[-2:] == ["", "and 3 more (see the full reports)"]
