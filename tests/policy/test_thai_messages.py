"""Thai message templates are written for officers (issue #15, part 1).

Outside its ``{placeholders}``, no Thai template of the rule catalog holds a
Gregorian ISO date, an ASCII identifier with an underscore (a field name or a
code) or a JSON Pointer: dates reach a Thai message through the ``*_th``
parameters that ``policies/lib/thai.rego`` formats as Buddhist-era dates, and
codes through the Thai labels of ``policies/rulebook/terms``. The rendered
messages of both engines are checked by ``policy_tests/lib/thai_messages_test.rego``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULEBOOK = ROOT / "policies" / "rulebook"
CATALOG = json.loads((RULEBOOK / "catalog" / "data.json").read_text("utf-8"))["rules"]
TERMS = json.loads((RULEBOOK / "terms" / "data.json").read_text("utf-8"))
SCHEMAS = ROOT / "schemas"

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
UNDERSCORE_IDENTIFIER = re.compile(r"[A-Za-z0-9]+_[A-Za-z0-9_]+")
JSON_POINTER = re.compile(r"(?<![\w.])/[a-z_]+(?:/[\w-]+)*")
# Date parameters a Thai template shows only in their Thai form.
DATE_PARAMS = {
    "as_of", "from", "lapsed_on", "window_from", "next_from", "effective_from",
    "signed_on", "approved_on", "meeting_date", "precheck_date", "period_start", "period_end",
}  # fmt: skip

TEMPLATES = [
    (f"{rule_id}/{key}", message["th"])
    for rule_id, rule in CATALOG.items()
    for key, message in rule.get("messages", {}).items()
]


@pytest.mark.parametrize(("case", "template"), TEMPLATES, ids=[case for case, _ in TEMPLATES])
def test_thai_template_text_is_for_officers(case: str, template: str) -> None:
    text = PLACEHOLDER.sub("", template)
    assert not ISO_DATE.search(text), f"{case}: an ISO date in Thai text"
    assert not UNDERSCORE_IDENTIFIER.search(text), f"{case}: a code or field name in Thai text"
    assert not JSON_POINTER.search(text), f"{case}: a JSON Pointer in Thai text"


@pytest.mark.parametrize(("case", "template"), TEMPLATES, ids=[case for case, _ in TEMPLATES])
def test_thai_template_shows_dates_in_thai(case: str, template: str) -> None:
    shown = {name[1:-1] for name in PLACEHOLDER.findall(template)}
    assert shown & DATE_PARAMS == set(), f"{case}: show the Thai form of a date, {{<name>_th}}"


def test_the_checks_see_what_they_look_for() -> None:
    text = PLACEHOLDER.sub("", "ตั้งแต่ {from_th} ระบุ follows_provincial_manual (/cctv/purposes) 2024-07-17")
    assert ISO_DATE.search(text) and UNDERSCORE_IDENTIFIER.search(text) and JSON_POINTER.search(text)
    assert not JSON_POINTER.search("ที่ มท 0210.5/231 ข้อตกลง DSA-2568/07 มาตรา 37 (1)")


def _codes(schema: dict[str, Any], *path: str) -> set[str]:
    node = schema
    for key in path:
        node = node[key]
    return {choice["const"] for choice in node["oneOf"]}


# Every code a Thai message may name has a Thai label in the terms tables.
@pytest.mark.parametrize(
    ("schema_file", "path", "table"),
    [
        (
            "submission.schema.json",
            ("$defs", "cctv", "properties", "purposes", "items"),
            "recording_purposes",
        ),
        ("committee_order.schema.json", ("$defs", "member", "properties", "position"), "positions"),
        ("committee_order.schema.json", ("properties", "powers", "items"), "powers"),
    ],
)
def test_every_code_has_a_thai_label(schema_file: str, path: tuple[str, ...], table: str) -> None:
    schema = json.loads((SCHEMAS / schema_file).read_text("utf-8"))
    assert _codes(schema, *path) <= set(TERMS[table])
    assert all(entry["th"].strip() and entry["en"].strip() for entry in TERMS[table].values())
