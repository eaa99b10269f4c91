"""Codes that may be written as their Thai labels.

An officer fills in a sharing purpose as "การบังคับใช้กฎหมาย", not
"law_enforcement". Where the law needs a category (sharing purposes, recipient
types, PDPA lawful bases, agency kinds, project categories) the submission
holds a code; this module turns an exact Thai label of the policy data's term
tables (``data.rulebook.terms``, the same tables the messages and the form use)
into its code before the schema is checked. Anything else is left as written,
so the schema refuses it with the allowed values. Parsing only: no judgement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Where a code of each term table sits in a submission ("*" is every item of a list).
TERM_FIELDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("agency", "kind"), "agency_kinds"),
    (("project", "category"), "categories"),
    (("cctv", "sharing", "*", "recipient_type"), "recipient_types"),
    (("cctv", "sharing", "*", "purpose"), "sharing_purposes"),
    (("cctv", "sharing", "*", "lawful_basis"), "lawful_bases"),
    (("cctv", "biometrics", "lawful_basis"), "lawful_bases"),
)


class ThaiLabels:
    """The Thai label → code tables of the policy data's terms."""

    def __init__(self, terms: Mapping[str, Any]) -> None:
        self._codes: dict[str, dict[str, str]] = {}
        for _, table in TERM_FIELDS:
            entries = terms.get(table, {})
            self._codes[table] = {
                str(entry["th"]): code for code, entry in entries.items() if isinstance(entry, Mapping)
            }

    def code_of(self, table: str, value: str) -> str:
        """The code a value stands for: itself, or the code of an exact Thai label."""
        return self._codes.get(table, {}).get(value.strip(), value) if value.strip() else value

    def to_codes(self, submission: Any) -> Any:
        """The submission with Thai labels replaced by codes (a copy where anything changed)."""
        if not isinstance(submission, dict):
            return submission
        result = submission
        for path, table in TERM_FIELDS:
            result = self._replace(result, path, table)
        return result

    def _replace(self, node: Any, path: tuple[str, ...], table: str) -> Any:
        head, rest = path[0], path[1:]
        if head == "*":
            if not isinstance(node, list):
                return node
            items = [self._replace(item, rest, table) for item in node]
            return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
        if not isinstance(node, dict) or head not in node:
            return node
        value = node[head]
        if rest:
            new = self._replace(value, rest, table)
        elif isinstance(value, str):
            new = self.code_of(table, value)
        else:
            new = value
        return node if new is value or new == value else {**node, head: new}
