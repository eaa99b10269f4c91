"""Security review, round two, items 2, 3 and 8: parsing and validation cost a bounded amount of CPU.

Each reproduction is the reviewer's input (or a smaller one of the same shape),
and the bound is CPU time (``time.process_time``), generous, so that a slow
machine passes and a quadratic path does not.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest
from ictgate.core.errors import MalformedInput, NestingTooDeep, SchemaViolation
from ictgate.core.validation import (
    MAX_REPORTED_ERRORS,
    SchemaSet,
    is_multiple,
    nesting_depth,
    parse_json,
)

from tests.support.cases import CCTV_BLOCK, submission


def cpu_seconds(action: Any, *arguments: Any) -> tuple[float, Any]:
    started = time.process_time()
    result = action(*arguments)
    return time.process_time() - started, result


def cctv(**block: Any) -> dict[str, Any]:
    return submission(project={"category": "cctv"}, cctv={**CCTV_BLOCK, **block})


# --- item 2: the depth check is linear ---------------------------------------------------------------


REVIEWER_BODY = '"' + '\\"' * 24_000  # 48 KB: took 8 s in nesting_depth (quadratic regex)


def test_fixed_escaped_quotes_cost_linear_time_in_the_depth_check() -> None:
    spent, depth = cpu_seconds(nesting_depth, REVIEWER_BODY)
    assert depth == 0
    assert spent < 0.25, f"{spent:.2f} s of CPU for 48 KB"


def test_fixed_escaped_quotes_are_malformed_json_quickly() -> None:
    started = time.process_time()
    with pytest.raises(MalformedInput):
        parse_json(REVIEWER_BODY.encode())
    assert time.process_time() - started < 0.25


@pytest.mark.parametrize(
    "text",
    [
        '"' + '\\"' * 400_000,  # 800 KB, unterminated
        '["' + "\\\\" * 300_000 + '"]',
        '"a",' * 200_000,
        "[]" * 400_000,
        '{"a": "\\u005b[[["}',
    ],
    ids=["escaped-quotes", "escaped-backslashes", "many-strings", "many-arrays", "brackets-in-strings"],
)
def test_the_depth_check_stays_linear_on_large_bodies(text: str) -> None:
    spent, _ = cpu_seconds(nesting_depth, text)
    assert spent < 0.5, f"{spent:.2f} s of CPU for {len(text) // 1024} KB"


def test_the_depth_check_still_counts_only_brackets_outside_strings() -> None:
    assert nesting_depth('{"a": "[[[[\\"]]", "b": [[1]]}') == 3
    assert nesting_depth('"unterminated [[[') == 0
    with pytest.raises(NestingTooDeep):
        parse_json(b"[" * 40 + b"]" * 40)


# --- item 3: schema errors are bounded -----------------------------------------------------------------


def test_fixed_unsortable_unique_items_cost_linear_time(schemas: SchemaSet) -> None:
    """Was 2.8/13/54 s of CPU at 2k/4k/8k items (pairwise comparison of unsortable items)."""
    document = parse_json(json.dumps(cctv(purposes=[{"a": n} for n in range(8000)])).encode())
    spent, report = cpu_seconds(schemas.report, "submission", document)
    assert spent < 0.5, f"{spent:.2f} s of CPU"
    assert [(e.pointer, e.keyword) for e in report.errors] == [("/cctv/purposes", "maxItems")]


def test_fixed_100k_integers_give_one_short_answer(schemas: SchemaSet) -> None:
    """Was a 29 MB answer with 200,001 errors after 8.7 s (a 690 KB body)."""
    body = json.dumps(cctv(purposes=list(range(100_000)))).encode()
    assert len(body) > 500_000
    started = time.process_time()
    with pytest.raises(SchemaViolation) as refused:
        from ictgate.core.validation import parse_json as parse

        schemas.check("submission", parse(body))
    assert time.process_time() - started < 1.0
    assert len(refused.value.errors) <= MAX_REPORTED_ERRORS
    assert len(json.dumps([e.as_dict() for e in refused.value.errors])) < 20_000


def test_at_most_50_errors_are_listed_with_their_total(schemas: SchemaSet) -> None:
    rows = [{"recipient_type": 5, "recipient": 3, "purpose": 4, "extra": True} for _ in range(100)]
    spent, report = cpu_seconds(schemas.report, "submission", cctv(sharing=rows))
    assert spent < 2.0
    assert len(report.errors) == MAX_REPORTED_ERRORS < report.total
    assert report.summary("submission").endswith(f"; the first {MAX_REPORTED_ERRORS} are listed")
    with pytest.raises(SchemaViolation) as refused:
        schemas.check("submission", cctv(sharing=rows))
    assert refused.value.total == report.total


def test_unique_items_are_still_judged_as_json_schema_judges_them(schemas: SchemaSet) -> None:
    assert [e.keyword for e in schemas.errors("submission", cctv(purposes=["traffic", "traffic"]))] == [
        "uniqueItems"
    ]
    assert schemas.errors("submission", cctv(purposes=["traffic", "crime_prevention"])) == []


# --- item 8: huge numbers are a 422, never a crash ---------------------------------------------------


@pytest.mark.parametrize("number", ["1e400", "1e30", "12345678901234567890123456789.5", "-1e999999999"])
def test_fixed_huge_budgets_are_schema_errors(schemas: SchemaSet, number: str) -> None:
    """Was: decimal.InvalidOperation in multipleOf (a 500) for 1e400."""
    document = parse_json(json.dumps(submission()).replace("3000000", number).encode())
    started = time.process_time()
    errors = schemas.errors("submission", document)
    assert time.process_time() - started < 0.5
    assert [e.pointer for e in errors] == ["/project/budget_thb"]


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        ("0.07", "0.01", True),
        ("0.071", "0.01", False),
        ("1e400", "0.01", True),
        ("1.5e-400", "0.01", False),
        ("3000000.10", "0.01", True),
        ("10", "3", False),
        ("9e999999999", "3", True),
        ("0", "0.01", True),
        ("2.50", "0.5", True),
        ("2.75", "0.5", False),
    ],
)
def test_multiples_are_exact_for_any_size(value: str, step: str, expected: bool) -> None:
    spent, answer = cpu_seconds(is_multiple, Decimal(value), Decimal(step))
    assert answer is expected
    assert spent < 0.1


def test_a_huge_integer_is_a_schema_error(schemas: SchemaSet) -> None:
    document = submission()
    document["project"]["budget_thb"] = 10**5000
    assert [e.pointer for e in schemas.errors("submission", document)] == ["/project/budget_thb"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [("name", "/agency/name"), ("key", "/agency")],
)
def test_fixed_lone_surrogates_are_schema_errors(schemas: SchemaSet, where: str, expected: str) -> None:
    """Was a 500 in the SQLite history query, or a 503 from the engine without system_id."""
    raw = json.dumps(submission(), ensure_ascii=True)
    raw = (
        raw.replace('"name": "', '"name": "\\ud800', 1)
        if where == "name"
        else raw.replace('"kind": "pao"', '"kind": "pao", "\\udfff": 1', 1)
    )
    errors = schemas.errors("submission", parse_json(raw.encode()))
    assert [(e.pointer, e.keyword) for e in errors] == [(expected, "text")]
    # The answer can be written: no surrogate is echoed.
    json.dumps([e.as_dict() for e in errors], ensure_ascii=False).encode("utf-8")
