"""The six-monthly report as a file to download: its content, media type and file name.

The API (``/v1/reports/semiannual?format=csv|xlsx``) and the auditors' pages
(``/audit/report.csv``, ``/audit/report.xlsx``) offer the same files; both ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ictgate.audit.semiannual import report_as_csv
from ictgate.audit.spreadsheet import XLSX, report_as_xlsx

__all__ = ["FORMATS", "ReportFile", "report_file"]

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ReportFile:
    content: str | bytes
    media_type: str
    filename: str

    @property
    def headers(self) -> dict[str, str]:
        return {"content-disposition": f'attachment; filename="{self.filename}"'}


def report_file(report: dict[str, Any], file_format: str) -> ReportFile:
    """The report in ``file_format`` ("csv": UTF-8 with a byte-order mark; "xlsx": a workbook)."""
    if file_format == "xlsx":
        return ReportFile(report_as_xlsx(report), XLSX, "semiannual-report.xlsx")
    if file_format == "csv":
        return ReportFile(report_as_csv(report), "text/csv; charset=utf-8", "semiannual-report.csv")
    raise ValueError(f"no report file format {file_format!r}; one of {', '.join(FORMATS)}")
