"""Reading proposal files (JSON or YAML) for the command line.

YAML is read with the same care as JSON: decimals stay exact (Decimal), and
dates stay strings, as the JSON Schema expects (PyYAML would otherwise turn
2025-02-01 into a date object and 0.07 into a binary float).

A file that cannot be read as a document raises ``DocumentSyntaxError``, which
carries the line where it goes wrong when that is known; a file that can keeps
its bytes beside the document, so reports can point at the line of a field.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ictgate.core.errors import MalformedInput
from ictgate.core.validation import parse_json
from ictgate.gate.sourcemap import SourceMap, json_error_line, json_lines, yaml_lines

__all__ = [
    "DOCUMENT_SUFFIXES",
    "DocumentSyntaxError",
    "Source",
    "load_document",
    "parse_document",
    "read_source",
]

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")


class DocumentSyntaxError(MalformedInput):
    """Not a JSON or YAML document; ``line`` is where it goes wrong (1-based), if known."""

    def __init__(self, detail: str, line: int | None = None) -> None:
        super().__init__(detail)
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with exact decimals, dates as strings and no duplicate keys."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    line = node.start_mark.line + 1
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DocumentSyntaxError(f"line {line}: {text!r} is not a JSON number", line) from None
    if not value.is_finite():
        raise DocumentSyntaxError(f"line {line}: {text!r} is not a JSON number", line)
    return value


def _text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    document: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in document:
            line = key_node.start_mark.line + 1
            raise DocumentSyntaxError(f"line {line}: duplicate key {key!r}", line)
        document[key] = loader.construct_object(value_node, deep=True)
    return document


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _text)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _parse(path: Path, raw: bytes) -> Any:
    if _is_json(path):
        try:
            return parse_json(raw)
        except DocumentSyntaxError:
            raise
        except MalformedInput as error:
            try:
                line = json_error_line(raw.decode("utf-8"))
            except UnicodeDecodeError:
                line = None
            raise DocumentSyntaxError(error.detail, line) from error
    try:
        return yaml.load(raw.decode("utf-8"), Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError as error:
        raise DocumentSyntaxError(f"{path.name} is not UTF-8 text") from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DocumentSyntaxError(f"not valid YAML: {error}", mark.line + 1 if mark else None) from error
    except yaml.YAMLError as error:
        raise DocumentSyntaxError(f"not valid YAML: {error}") from error
    except RecursionError:
        raise DocumentSyntaxError(f"{path.name} is nested too deeply") from None


class Source:
    """One document file: its path, bytes and parsed document; lines on demand."""

    def __init__(self, path: Path, raw: bytes, document: Any) -> None:
        self.path = path
        self.raw = raw
        self.document = document
        self._map: SourceMap | None = None

    @property
    def is_json(self) -> bool:
        return _is_json(self.path)

    @property
    def source_map(self) -> SourceMap:
        # Built only when a report asks for a line: most findings of a clean run need none.
        if self._map is None:
            text = self.raw.decode("utf-8")
            self._map = json_lines(text) if self.is_json else yaml_lines(text)
        return self._map

    def line(self, pointer: str) -> int | None:
        """The line of a JSON Pointer in this file (or of its nearest ancestor that is there)."""
        return self.source_map.line(pointer)


def read_source(path: Path) -> Source:
    """Read and parse one file; raises DocumentSyntaxError if it is not a JSON or YAML document."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentSyntaxError(f"cannot read {path}: {error.strerror}") from error
    return Source(path, raw, _parse(path, raw))


def load_document(path: Path) -> Any:
    return read_source(path).document


def parse_document(raw: bytes, name: str) -> Any:
    """A document sent rather than read from disk (the web pages' upload): JSON if name ends .json."""
    return _parse(Path(name), raw)
