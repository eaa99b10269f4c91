"""JSON Pointer -> line, for JSON and YAML files, and the line where a file stops being valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from ictgate.gate.documents import DocumentSyntaxError, read_source
from ictgate.gate.sourcemap import json_error_line, json_lines, yaml_lines

JSON_TEXT = """{
  "submitted_on": "2025-02-01",
  "agency": {"name": "x", "kind": "pao",
             "province": "TH-30"},
  "project": {
    "budget_thb": 12.345,
    "a/b": 1,
    "m~n": 2
  },
  "cctv": {
    "purposes": [
      "traffic",
      {"k": [1,
             2]}
    ]
  }
}
"""

YAML_TEXT = """# a comment first
submitted_on: 2025-02-01
agency: {name: x, kind: pao,
  province: TH-30}
project:
  budget_thb: 12.345
  a/b: 1
  m~n: 2
cctv:
  purposes:
    - traffic
    - k:
        - 1
        - 2
"""


@pytest.mark.parametrize(
    ("pointer", "json_line", "yaml_line"),
    [
        ("", 1, 2),
        ("/submitted_on", 2, 2),
        ("/agency", 3, 3),
        ("/agency/province", 4, 4),
        ("/project/budget_thb", 6, 6),
        ("/project/a~1b", 7, 7),
        ("/project/m~0n", 8, 8),
        ("/cctv/purposes/0", 12, 11),
        ("/cctv/purposes/1", 13, 12),
        ("/cctv/purposes/1/k/1", 14, 14),
        # Not in the file: the nearest ancestor that is.
        ("/project/standard_prices", 5, 5),
        ("/cctv/purposes/7/x", 11, 10),
        ("/nowhere/at/all", 1, 2),
    ],
)
def test_pointer_lines(pointer: str, json_line: int, yaml_line: int) -> None:
    assert json_lines(JSON_TEXT).line(pointer) == json_line
    assert yaml_lines(YAML_TEXT).line(pointer) == yaml_line


def test_exact_lookup_does_not_fall_back() -> None:
    assert json_lines(JSON_TEXT).exact("/project/standard_prices") is None
    assert yaml_lines(YAML_TEXT).exact("/project") == 5


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{\n  "a": 1,\n  "b": }', 3),  # grammar: json's own position
        ('{\n  "a": 1,\n  "a": 2\n}', 3),  # duplicate key: the second one
        ('{\n  "a":\n  NaN\n}', 3),  # NaN is not JSON
        ('{"a": 1}', None),  # nothing wrong
    ],
)
def test_json_error_line(text: str, line: int | None) -> None:
    assert json_error_line(text) == line


@pytest.mark.parametrize(
    ("name", "text", "line", "detail"),
    [
        ("p.yaml", "a: 1\nb: [unclosed\nc: 2\n", 3, "not valid YAML"),
        ("p.yaml", "a: 1\nb: 2\na: 3\n", 3, "line 3: duplicate key 'a'"),
        ("p.yml", "a: 1\nb: .nan\n", 2, "line 2: '.nan' is not a JSON number"),
        ("p.json", '{\n  "a": 1,\n  "a": 2\n}', 3, "duplicate key 'a'"),
        ("p.json", "{\n  \n  'a': 1}", 3, "not valid JSON"),
    ],
)
def test_unreadable_documents_say_where(tmp_path: Path, name: str, text: str, line: int, detail: str) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    with pytest.raises(DocumentSyntaxError) as caught:
        read_source(path)
    assert caught.value.line == line
    assert caught.value.code == "malformed_json"
    assert detail in caught.value.detail


def test_a_yaml_alias_loop_does_not_hang() -> None:
    assert yaml_lines("a: &x [1, *x]\n").line("/a/1/0") == 1


def test_a_file_that_is_not_utf8_has_no_line(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(DocumentSyntaxError) as caught:
        read_source(path)
    assert caught.value.line is None
