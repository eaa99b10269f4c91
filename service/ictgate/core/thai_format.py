"""Dates, times and amounts as people in Thailand read them, for the pages (never for JSON).

- Times are shown in Thailand time (ICT, UTC+7 all year: no daylight saving,
  so a fixed offset is exact); the decision log keeps UTC.
- Thai pages write dates in the Buddhist era with Thai month names:
  "1 ธ.ค. 2569 06:10 น." (abbreviated, in tables), "1 ธันวาคม 2569" (full, in
  sentences); English pages keep the Christian era: "1 Dec 2026 06:10 ICT".
- Amounts have thousands separators and two decimals: "3,000,000.00".

A value that cannot be read as a date or an amount is shown as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["BE_OFFSET", "THAILAND", "amount", "in_thailand", "thai_date", "thai_datetime"]

BE_OFFSET = 543
THAILAND = dt.timezone(dt.timedelta(hours=7), "ICT")

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_EN_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def in_thailand(moment: str | dt.datetime) -> dt.datetime | None:
    """An instant (ISO 8601 text, "…Z" or with an offset; naive means UTC) in Thailand time."""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(THAILAND)


def _day(value: str | dt.date) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def thai_date(value: str | dt.date, lang: str = "th", full: bool = False) -> str:
    """A calendar date: "1 ธ.ค. 2569" (or full: "1 ธันวาคม 2569"); in English "1 Dec 2026"."""
    day = _day(value)
    if day is None:
        return str(value)
    if lang == "th":
        month = (MONTHS_TH if full else MONTHS_TH_SHORT)[day.month - 1]
        return f"{day.day} {month} {day.year + BE_OFFSET}"
    month = (MONTHS_EN if full else MONTHS_EN_SHORT)[day.month - 1]
    return f"{day.day} {month} {day.year}"


def thai_datetime(moment: str | dt.datetime, lang: str = "th") -> str:
    """An instant in Thailand time: "1 ธ.ค. 2569 06:10 น."; in English "1 Dec 2026 06:10 ICT"."""
    local = in_thailand(moment)
    if local is None:
        return str(moment)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if lang == "th":
        return f"{thai_date(local.date(), 'th')} {clock} น."
    return f"{thai_date(local.date(), 'en')} {clock} ICT"


def amount(value: Any) -> str:
    """An amount of baht with thousands separators and two decimals: 3000000 -> "3,000,000.00"."""
    if isinstance(value, bool) or value is None or value == "":
        return "" if value in (None, "") else str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    return f"{number:,.2f}"
