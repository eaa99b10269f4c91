"""Reading proposal files (JSON or YAML) for the command line.

YAML is read with the same care as JSON: decimals stay exact (Decimal), and
dates stay strings, as the JSON Schema expects (PyYAML would otherwise turn
2025-02-01 into a date object and 0.07 into a binary float).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import MalformedInput
from .validation import parse_json

__all__ = ["load_document", "DOCUMENT_SUFFIXES"]

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with exact decimals, dates as strings and no duplicate keys."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise MalformedInput(f"line {node.start_mark.line + 1}: {text!r} is not a JSON number") from None
    if not value.is_finite():
        raise MalformedInput(f"line {node.start_mark.line + 1}: {text!r} is not a JSON number")
    return value


def _text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    document: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in document:
            raise MalformedInput(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        document[key] = loader.construct_object(value_node, deep=True)
    return document


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _text)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_document(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise MalformedInput(f"cannot read {path}: {error.strerror}") from error
    if path.suffix.lower() == ".json":
        return parse_json(raw)
    try:
        return yaml.load(raw.decode("utf-8"), Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError as error:
        raise MalformedInput(f"{path.name} is not UTF-8 text") from error
    except yaml.YAMLError as error:
        raise MalformedInput(f"not valid YAML: {error}") from error
    except RecursionError:
        raise MalformedInput(f"{path.name} is nested too deeply") from None
