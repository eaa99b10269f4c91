"""CSV exports a spreadsheet opens safely, and the pages' Thai dates, times and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ictgate.audit.semiannual import report_as_csv
from ictgate.core.csv_export import csv_text, safe_cell
from ictgate.core.thai_format import amount, in_thailand, thai_date, thai_datetime

from tests.support.helpers import one_project_report


@pytest.mark.parametrize("text", ["=1+1", "+66 2 123 4567", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_a_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["เทศบาลเมืองบางปู", "a=b", "", Decimal("-1500.50"), -3, 0])
def test_other_cells_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_csv_bytes_have_the_byte_order_mark_and_safe_cells() -> None:
    text = csv_text([["name", "budget"], ['=HYPERLINK("http://x")', Decimal("-12.50")], ["ก,ข", 3]])
    assert text.encode("utf-8") == (
        b'\xef\xbb\xbfname,budget\n"\'=HYPERLINK(""http://x"")",-12.50\n"\xe0\xb8\x81,\xe0\xb8\x82",3\n'
    )


def test_the_semiannual_csv_neutralises_what_an_agency_typed() -> None:
    report = one_project_report(
        recorded_at="2025-02-01T03:00:00.000Z",
        as_of="2025-02-01",
        agency_name="@cmd|' /C calc'!A0",
        project_title="-ระบบกล้อง",
    )
    lines = report_as_csv(report).encode("utf-8").split(b"\n")
    assert lines[0].startswith(b"\xef\xbb\xbfsection,row,period,province,")
    assert lines[1] == (
        b"approved,project,FY2568-H1,TH-11,d-1,,'@cmd|' /C calc'!A0,"
        b"town_municipality,'-\xe0\xb8\xa3\xe0\xb8\xb0\xe0\xb8\x9a\xe0\xb8\x9a\xe0\xb8\x81\xe0\xb8\xa5"
        b"\xe0\xb9\x89\xe0\xb8\xad\xe0\xb8\x87,cctv,s-1,3000000.00,pass,,,,,,,"
    )
    assert lines[2] == b"approved,total,FY2568-H1,TH-11,,,,,,,,3000000.00,,,,,,,,1"


def test_times_are_shown_in_thailand_time() -> None:
    assert thai_datetime("2026-11-30T23:10:05.123Z") == "1 ธ.ค. 2569 06:10 น."
    assert thai_datetime("2026-11-30T23:10:05.123Z", "en") == "1 Dec 2026 06:10 ICT"
    assert thai_datetime(dt.datetime(2025, 1, 1, 0, 0)) == "1 ม.ค. 2568 07:00 น."  # naive is UTC
    local = in_thailand("2025-06-30T17:00:00+00:00")
    assert local is not None and local.isoformat() == "2025-07-01T00:00:00+07:00"
    assert thai_datetime("not a time") == "not a time"


def test_dates_in_the_buddhist_era_on_thai_pages() -> None:
    assert thai_date("2024-07-17") == "17 ก.ค. 2567"
    assert thai_date("2024-07-17", full=True) == "17 กรกฎาคม 2567"
    assert thai_date("2024-10-01", "en") == "1 Oct 2024"
    assert thai_date("FY2568") == "FY2568"


def test_amounts_have_separators() -> None:
    assert amount("3000000") == "3,000,000.00"
    assert amount(Decimal("5000000.01")) == "5,000,000.01"
    assert amount(1234.5) == "1,234.50"
    assert amount("abc") == "abc"
    assert amount(None) == ""
