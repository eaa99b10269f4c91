"""ictgate check: exit codes, reports, and invalid files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ictgate.cli.main import _exit_code, main

from tests.support.cases import submission
from tests.support.helpers import ROOT

PASSING = ROOT / "examples/proposals/bangpu-cctv.json"
FAILING = ROOT / "examples/proposals/korat-gis-over-threshold.yaml"


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


def test_passing_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PASSING)]) == 0
    out = capsys.readouterr().out
    assert "bangpu-cctv.json: ผ่าน / pass" in out
    assert "✓ R-AUTH-1 pass  /project/standard_prices" in out
    assert out.strip().splitlines()[-1] == "1 file(s) checked: 1 pass"


def test_failing_yaml_file_exits_1_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FAILING), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "korat-gis-over-threshold.yaml: FAIL" in out
    assert "✗ R-AUTH-2 fail  /requested_body" in out
    assert "Submit to the MOI computer-system management committee" in out
    assert "source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02" in out
    assert "อ้างอิง" not in out


def test_directory_is_searched_and_worst_verdict_wins(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "examples/proposals")]) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2 file(s) checked: 1 pass, 1 fail"


def test_json_format_carries_the_verdicts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PASSING), str(FAILING), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(item["file"].rsplit("/", 1)[-1], item["verdict"]["verdict"]) for item in report["files"]] == [
        ("bangpu-cctv.json", "pass"),
        ("korat-gis-over-threshold.yaml", "fail"),
    ]


def test_as_of_changes_the_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "p.json", submission())
    assert main(["check", str(path), "--as-of", "2009-01-01", "--lang", "en"]) == 0
    assert "p.json: NOT APPLICABLE" in capsys.readouterr().out


def test_invalid_file_is_reported_with_its_fields_and_others_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(
        tmp_path / "a-bad.json", submission(project={"budget_thb": 12.345}, agency={"province": "XX"})
    )
    good = _write(tmp_path / "b-good.json", submission())
    assert main(["check", str(bad), str(good), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "a-bad.json: invalid (schema_violation): 2 errors against submission.schema.json" in out
    assert "  /agency/province (line 1): 'XX' is not one of the allowed values" in out
    assert "  /project/budget_thb (line 1): 12.345 has more than two decimals" in out
    assert "b-good.json: PASS" in out


def test_file_that_is_not_json_or_yaml_is_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("agency: [unclosed\n")
    assert main(["check", str(path), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "p.yaml: invalid (malformed_json) at line 2: not valid YAML" in out


def test_yaml_keeps_decimals_exact_and_dates_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "submitted_on: 2025-02-01\nagency: {name: x, kind: sao, province: TH-30}\n"
        "project: {title: t, category: computer_system, budget_thb: 0.07, standard_prices: true}\n"
    )
    assert main(["check", str(path)]) == 0


def test_no_files_found_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "readme.txt").write_text("nothing here")
    assert main(["check", str(tmp_path)]) == 2
    assert "no proposal files to check" in capsys.readouterr().err


def test_missing_path_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PASSING), "/no/such/file.json"]) == 2
    assert "/no/such/file.json: no such file or directory" in capsys.readouterr().err


def test_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["check", str(PASSING), "--as-of", "tomorrow"])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert "argument --as-of: as_of: 'tomorrow' is not a date (YYYY-MM-DD)" in captured.err
    assert captured.out == ""  # nothing was checked


@pytest.mark.parametrize(
    ("verdicts", "invalid", "review_ok", "code"),
    [
        (["pass", "not_applicable"], 0, False, 0),
        (["pass", "fail", "needs_review"], 0, False, 1),
        (["pass", "needs_review"], 0, False, 3),
        (["pass", "needs_review"], 0, True, 0),
        (["fail"], 1, False, 2),
        ([], 0, False, 0),
    ],
)
def test_exit_codes_follow_the_contract(
    verdicts: list[str], invalid: int, review_ok: bool, code: int
) -> None:
    assert _exit_code(verdicts, invalid, review_ok) == code


def test_check_does_not_import_the_web_framework() -> None:
    script = (
        "import sys\nfrom ictgate.cli.main import main\n"
        f"code = main(['check', {str(PASSING)!r}, '--format', 'json'])\n"
        "print('LOADED', sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "LOADED []"


def test_check_against_a_server_does_not_load_the_engine() -> None:
    # Nothing listens on port 9: the run fails closed (exit 2) without loading either engine.
    script = (
        "import sys\nfrom ictgate.cli.main import main\n"
        f"code = main(['check', {str(PASSING)!r}, '--format', 'json', '--server', 'http://127.0.0.1:9'])\n"
        "heavy = ('fastapi', 'uvicorn', 'starlette', 'regorus', 'opa_bindings')\n"
        "print('EXIT', code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "EXIT 2 []"
