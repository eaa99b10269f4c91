"""The six-monthly report as a spreadsheet (XLSX), the format provincial offices file.

The same rows as the CSV (``semiannual.report_table``), one sheet per section: approved
projects, pending pre-checks, and the chain head. Column headings in Thai, with the
English beneath; amounts and counts are numbers with thousands separators. Every text cell
is written as a string, never as a formula, so nothing an agency typed can run in Excel.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter

from ictgate.audit.semiannual import CSV_COLUMNS, report_table

__all__ = ["XLSX", "report_as_xlsx"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column headings: Thai, then English (the CSV's column name).
HEADINGS_TH = {
    "section": "ส่วน",
    "row": "ประเภทแถว",
    "period": "รอบรายงาน",
    "province": "จังหวัด",
    "decision_id": "เลขที่การตรวจสอบ",
    "resolution_id": "เลขที่มติ",
    "agency_name": "หน่วยงาน",
    "agency_kind": "ประเภทหน่วยงาน",
    "project_title": "ชื่อโครงการ",
    "category": "ประเภทโครงการ",
    "system_id": "รหัสระบบ",
    "budget_thb": "วงเงิน (บาท)",
    "verdict": "ผลการตรวจ",
    "meeting_number": "ครั้งที่ประชุม",
    "meeting_date": "วันที่ประชุม",
    "outcome": "มติ",
    "conditions": "เงื่อนไข",
    "accepted_findings": "ข้อที่ยอมรับ",
    "reference": "อ้างอิงมติ",
    "count": "จำนวนโครงการ",
}

SHEETS = (("approved", "อนุมัติแล้ว (approved)"), ("pending", "รอมติ (pending)"), ("", "หัวสายโซ่ (chain head)"))


def report_as_xlsx(report: dict[str, Any]) -> bytes:
    """The report's rows as an XLSX workbook, one sheet per section."""
    rows = report_table(report)
    body = rows[1:]
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    heading = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    whole = workbook.add_format({"num_format": "#,##0"})
    total = workbook.add_format({"bold": True, "num_format": "#,##0.00"})
    budget_at, count_at = CSV_COLUMNS.index("budget_thb"), CSV_COLUMNS.index("count")
    for section, title in SHEETS:
        sheet = workbook.add_worksheet(title[:31])
        for column, name in enumerate(CSV_COLUMNS):
            sheet.write_string(0, column, f"{HEADINGS_TH[name]}\n{name}", heading)
        sheet.set_row(0, 32)
        sheet.freeze_panes(1, 0)
        line = 1
        for row in body:
            if row[0] != section:
                continue
            is_total = row[1] == "total"
            for column, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                    fmt = (
                        total
                        if is_total and column == budget_at
                        else (whole if column == count_at else money)
                    )
                    sheet.write_number(line, column, float(value), fmt)
                else:
                    sheet.write_string(line, column, str(value))
            line += 1
        sheet.set_column(0, len(CSV_COLUMNS) - 1, 16)
        sheet.set_column(CSV_COLUMNS.index("project_title"), CSV_COLUMNS.index("project_title"), 40)
    workbook.close()
    return output.getvalue()
