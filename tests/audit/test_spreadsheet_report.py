"""The six-monthly report as a spreadsheet (XLSX): the same rows as the CSV, one sheet per
section, Thai headings, amounts as numbers, typed text never a formula."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ictgate.audit.spreadsheet import report_as_xlsx
from ictgate.cli.main import main
from ictgate.core.settings import get_settings

REPORT: dict[str, Any] = {
    "periods": [
        {
            "period": "FY2568-H1",
            "provinces": [
                {
                    "province": "TH-11",
                    "count": 1,
                    "total_budget_thb": "3000000.00",
                    "projects": [
                        {
                            "decision_id": "d-1",
                            "resolution_id": "r-1",
                            "agency_name": '=HYPERLINK("http://x")',
                            "agency_kind": "town_municipality",
                            "project_title": "ติดตั้งกล้องโทรทัศน์วงจรปิด",
                            "category": "cctv",
                            "system_id": "s-1",
                            "budget_thb": "3000000.00",
                            "verdict": "pass",
                        }
                    ],
                }
            ],
        }
    ],
    "pending": [],
    "chain_head": None,
}


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml")}


def test_the_workbook_has_a_sheet_per_section_with_thai_headings() -> None:
    parts = _parts(report_as_xlsx(REPORT))
    names = re.findall(r'<sheet name="([^"]+)"', parts["xl/workbook.xml"])
    assert names == ["อนุมัติแล้ว (approved)", "รอมติ (pending)", "หัวสายโซ่ (chain head)"]
    strings = parts["xl/sharedStrings.xml"]
    assert "วงเงิน (บาท)" in strings and "ชื่อโครงการ" in strings
    assert "ติดตั้งกล้องโทรทัศน์วงจรปิด" in strings


def test_amounts_are_numbers_and_typed_text_is_never_a_formula() -> None:
    parts = _parts(report_as_xlsx(REPORT))
    approved = parts["xl/worksheets/sheet1.xml"]
    assert "<f>" not in approved  # no formula cell anywhere
    assert "=HYPERLINK" in parts["xl/sharedStrings.xml"].replace("&quot;", '"')
    # The project's budget and the province's total, as numbers.
    assert approved.count("<v>3000000</v>") == 2


def test_the_cli_writes_the_workbook_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ICTGATE_DECISION_LOG", str(tmp_path / "decisions.sqlite3"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["report", "semiannual", "--format", "xlsx"]) == 2
        assert "--output" in capsys.readouterr().err
        target = tmp_path / "report.xlsx"
        assert main(["report", "semiannual", "--format", "xlsx", "--output", str(target)]) == 0
        assert target.read_bytes()[:2] == b"PK"
        assert "อนุมัติแล้ว (approved)" in _parts(target.read_bytes())["xl/workbook.xml"]
    finally:
        get_settings.cache_clear()
