"""CSV for spreadsheets: a UTF-8 byte-order mark, and no formula injection.

Every CSV the product writes (the six-monthly report, from the API, the
auditors' page and ``ictgate report``) goes through ``csv_text``:

- it starts with a UTF-8 byte-order mark, so that Excel reads the Thai as
  Thai (without it Excel assumes the system's code page and shows garbage);
- a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is written with a single quote in front (OWASP's advice on CSV
  injection): an agency name or project title typed as ``=HYPERLINK(...)``
  is then shown as text, never run as a formula. Only text is neutralised;
  numbers the program writes (``Decimal``, ``int``) are written as they are,
  so a negative amount stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["BOM", "csv_text", "safe_cell"]

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell as it may be written: text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows as CSV text (``\\n`` line ends), with the byte-order mark and every text cell made safe."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
