"""ictgate check in Thai: schema errors, the Buddhist-era hint, and the run's own errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ictgate.cli.main import main

from tests.support.cases import submission


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    return path


def test_lang_th_prints_the_thai_of_each_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = submission(submitted_on="2568-02-01", project={"budget_thb": -150000})
    path = _write(tmp_path / "p.json", bad)
    assert main(["check", str(path), "--lang", "th"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert f"{path}: ไฟล์ไม่ถูกต้อง (schema_violation): ข้อมูลไม่ถูกต้องตามแบบที่กำหนด 2 รายการ กรุณาแก้ไขตามรายการ" in out
    assert "  /project/budget_thb (บรรทัด 11): วงเงินงบประมาณ ต้องมากกว่า 0 (ที่ระบุ: -150,000)" in out
    assert "  /submitted_on (บรรทัด 2): วันที่เสนอโครงการ: ปี 2568 เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช 2025" in out
    assert not any("must be greater" in line for line in out)


def test_both_languages_put_thai_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "p.json", submission(submitted_on="2568-02-01"))
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr().out.splitlines()
    at = out.index(
        "  /submitted_on (บรรทัด / line 2): วันที่เสนอโครงการ: ปี 2568 เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช 2025"
    )
    assert out[at + 1] == "      2568 looks like a Buddhist-era year; use 2025"


def test_lang_en_stays_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "p.json", submission(submitted_on="2568-02-01"))
    assert main(["check", str(path), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "  /submitted_on (line 2): 2568 looks like a Buddhist-era year; use 2025" in out
    assert "พุทธศักราช" not in out


def test_a_buddhist_era_as_of_is_refused_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["check", "x.json", "--as-of", "2568-02-01"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert (
        "as_of: 2568 looks like a Buddhist-era year; use 2025 (ปี 2568 เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช 2025)"
    ) in err


def test_the_runs_own_errors_in_thai(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing-here.json"
    assert main(["check", str(missing), "--lang", "th"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"ictgate: {missing}: ไม่พบไฟล์หรือโฟลเดอร์นี้",
        "ictgate: ไม่มีไฟล์ข้อเสนอโครงการให้ตรวจ (ค้นหาไฟล์ *.json, *.yaml, *.yml)",
    ]
    # Both languages: a Thai line, then the English one (which scripts may grep for, as before).
    assert main(["check", str(missing)]) == 2
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"ictgate: {missing}: ไม่พบไฟล์หรือโฟลเดอร์นี้",
        f"ictgate: {missing}: no such file or directory",
    ]


def test_a_file_that_is_no_document_says_so_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("agency: [unclosed\n")
    assert main(["check", str(path), "--lang", "th"]) == 2
    out = capsys.readouterr().out
    assert "ไฟล์ไม่ถูกต้อง (malformed_json) ที่บรรทัด" in out
    assert "อ่านไฟล์ไม่ได้: ไม่ใช่เอกสาร JSON หรือ YAML ที่ถูกต้อง" in out
