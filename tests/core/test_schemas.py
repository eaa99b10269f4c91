"""The public JSON Schemas: well-formed, documented, and run on their examples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ictgate.core.validation import SchemaSet, parse_json
from jsonschema import Draft202012Validator

from tests.support.helpers import ROOT

SCHEMA_DIR = ROOT / "schemas"
EXAMPLES = SCHEMA_DIR / "examples"
NAMES = sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json"))
WITH_EXAMPLE_FILES = ["committee_order", "resolution", "submission", "verdict"]


def _raw(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
    return schema


def _subschemas(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _subschemas(value, f"{where}/{index}")


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = _raw(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://ictgate.github.io/schemas/v1/{name}.schema.json"
    assert schema["title"] and schema["description"] and schema["examples"]


@pytest.mark.parametrize("name", NAMES)
def test_every_property_is_described(name: str) -> None:
    undocumented = [
        f"{where}/properties/{prop}"
        for where, node in _subschemas(_raw(name))
        if isinstance(node.get("properties"), dict) and "/if" not in where
        for prop, sub in node["properties"].items()
        if isinstance(sub, dict) and not sub.get("description")
    ]
    assert undocumented == []


@pytest.mark.parametrize("name", NAMES)
def test_objects_refuse_unknown_fields(name: str) -> None:
    open_objects = [
        where
        for where, node in _subschemas(_raw(name))
        if "properties" in node and node.get("additionalProperties") is not False and "/if" not in where
    ]
    assert open_objects == []


@pytest.mark.parametrize("name", NAMES)
def test_enums_are_documented_one_of_const(name: str) -> None:
    bare_enums = [where for where, node in _subschemas(_raw(name)) if "enum" in node]
    assert bare_enums == []
    for where, node in _subschemas(_raw(name)):
        for branch in node.get("oneOf", []):
            if "const" in branch:
                assert branch.get("description"), f"{where}: const {branch['const']} has no description"


@pytest.mark.parametrize("name", NAMES)
def test_schema_examples_are_valid(schemas: SchemaSet, name: str) -> None:
    for example in schemas.documents[name]["examples"]:
        assert schemas.errors(name, example) == []


def _example_files(name: str, kind: str) -> list[Path]:
    return sorted(p for p in (EXAMPLES / name / kind).glob("*.json") if p.name != "expected-errors.json")


@pytest.mark.parametrize("name", WITH_EXAMPLE_FILES)
def test_valid_example_files_pass(schemas: SchemaSet, name: str) -> None:
    files = _example_files(name, "valid")
    assert files, f"no valid examples for {name}"
    for path in files:
        assert schemas.errors(name, parse_json(path.read_bytes())) == [], path.name


@pytest.mark.parametrize("name", WITH_EXAMPLE_FILES)
def test_invalid_example_files_fail_exactly_where_expected(schemas: SchemaSet, name: str) -> None:
    expected: dict[str, list[str]] = json.loads(
        (EXAMPLES / name / "invalid" / "expected-errors.json").read_text()
    )
    files = _example_files(name, "invalid")
    assert sorted(expected) == [p.name for p in files], "every invalid example needs its expected pointers"
    for path in files:
        pointers = sorted({e.pointer for e in schemas.errors(name, parse_json(path.read_bytes()))})
        assert pointers == sorted(expected[path.name]), path.name


def test_valid_submissions_get_a_verdict_that_matches_the_verdict_schema(prechecker: Any) -> None:
    for path in _example_files("submission", "valid"):
        verdict = prechecker.precheck(parse_json(path.read_bytes()))
        assert prechecker.schemas.errors("verdict", verdict) == [], path.name


@pytest.mark.parametrize("name", ["submission", "committee_order", "resolution"])
def test_every_input_string_and_array_is_bounded(name: str) -> None:
    """Issue 7's limits: no unbounded text or list in what callers send."""
    unbounded = [
        where
        for where, node in _subschemas(_raw(name))
        if (
            node.get("type") == "string"
            and not {"maxLength", "oneOf", "const", "format", "$ref"} & node.keys()
        )
        or (node.get("type") == "array" and "maxItems" not in node)
    ]
    assert unbounded == []


@pytest.mark.parametrize("name", WITH_EXAMPLE_FILES)
def test_the_fast_and_the_detailed_validator_agree(schemas: SchemaSet, name: str) -> None:
    """jsonschema-rs decides; the Python jsonschema library explains. They must never disagree."""
    for kind in ("valid", "invalid"):
        for path in _example_files(name, kind):
            document = parse_json(path.read_bytes())
            detailed = list(schemas.validator(name).iter_errors(document))
            assert schemas.is_valid(name, document) is (not detailed), path.name
            assert schemas.is_valid(name, document) is (kind == "valid"), path.name
