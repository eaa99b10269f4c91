"""Where a JSON Pointer sits in a JSON or YAML file: the line a report points at.

Findings and schema errors name a field by JSON Pointer (``/project/budget_thb``);
code-scanning viewers, JUnit and GitHub annotations want a line. The line of an
object member is the line of its key, of an array item the line where the item
starts. A pointer that is not in the file (a required field that is missing)
takes the line of its nearest ancestor that is, so every problem lands somewhere
a person can fix it.

Only positions are read here; the values come from ``ictgate.gate.documents``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import yaml

__all__ = ["SourceMap", "json_error_line", "json_lines", "yaml_lines"]


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _ancestors(pointer: str) -> Iterator[str]:
    """The pointer itself, then each parent up to the root ("")."""
    while True:
        yield pointer
        if not pointer:
            return
        pointer = pointer[: pointer.rfind("/")]


class SourceMap:
    """Lines of the pointers of one document (1-based)."""

    def __init__(self, lines: dict[str, int]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def exact(self, pointer: str) -> int | None:
        return self._lines.get(pointer)

    def line(self, pointer: str) -> int | None:
        """The line of the pointer, else of its nearest ancestor in the file."""
        for candidate in _ancestors(pointer):
            if candidate in self._lines:
                return self._lines[candidate]
        return None


# --- JSON ---------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


class _ScanError(Exception):
    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset


class _JsonScanner:
    """A strict JSON reader that keeps offsets instead of values.

    It refuses what ``ictgate.core.validation.parse_json`` refuses beyond the JSON
    grammar (duplicate keys, NaN and Infinity), so it can also say on which line
    a file that parse_json rejected goes wrong.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets: dict[str, int] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def _skip(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        assert match is not None  # the pattern also matches the empty string
        return match.end()

    def run(self) -> None:
        index = self._skip(0)
        index = self._value(index, "")
        index = self._skip(index)
        if index != len(self.text):
            raise _ScanError(index, "extra data")

    def _value(self, index: int, pointer: str) -> int:
        text = self.text
        self.offsets.setdefault(pointer, index)
        char = text[index : index + 1]
        if char == "{":
            return self._object(index + 1, pointer)
        if char == "[":
            return self._array(index + 1, pointer)
        if char == '"':
            return int(scanstring(text, index + 1, True)[1])
        for literal in ("true", "false", "null"):
            if text.startswith(literal, index):
                return index + len(literal)
        match = _NUMBER.match(text, index)
        if match:
            return match.end()
        raise _ScanError(index, "expected a value")

    def _object(self, index: int, pointer: str) -> int:
        text = self.text
        seen: set[str] = set()
        index = self._skip(index)
        if text.startswith("}", index):
            return index + 1
        while True:
            if not text.startswith('"', index):
                raise _ScanError(index, "expected a key")
            key_offset = index
            key, index = scanstring(text, index + 1, True)
            if key in seen:
                raise _ScanError(key_offset, f"duplicate key {key!r}")
            seen.add(key)
            member = f"{pointer}/{_escape(key)}"
            self.offsets[member] = key_offset
            index = self._skip(index)
            if not text.startswith(":", index):
                raise _ScanError(index, "expected ':'")
            index = self._value(self._skip(index + 1), member)
            index = self._skip(index)
            if text.startswith("}", index):
                return index + 1
            if not text.startswith(",", index):
                raise _ScanError(index, "expected ',' or '}'")
            index = self._skip(index + 1)

    def _array(self, index: int, pointer: str) -> int:
        text = self.text
        index = self._skip(index)
        if text.startswith("]", index):
            return index + 1
        position = 0
        while True:
            index = self._value(index, f"{pointer}/{position}")
            position += 1
            index = self._skip(index)
            if text.startswith("]", index):
                return index + 1
            if not text.startswith(",", index):
                raise _ScanError(index, "expected ',' or ']'")
            index = self._skip(index + 1)


def json_lines(text: str) -> SourceMap:
    """Pointer -> line for a JSON text; as much as could be read if it is not valid JSON."""
    scanner = _JsonScanner(text)
    try:
        scanner.run()
    except (_ScanError, ValueError, IndexError, RecursionError):
        pass
    return SourceMap({pointer: scanner.line_at(offset) for pointer, offset in scanner.offsets.items()})


def json_error_line(text: str) -> int | None:
    """The line on which a JSON text stops being strict JSON, or None if it is not known."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return error.lineno
    except (ValueError, RecursionError):
        return None
    scanner = _JsonScanner(text)
    try:
        scanner.run()
    except _ScanError as error:
        return scanner.line_at(error.offset)
    except (ValueError, IndexError, RecursionError):
        return None
    return None


# --- YAML ---------------------------------------------------------------------


def _walk(node: yaml.Node, pointer: str, lines: dict[str, int], path: set[int]) -> None:
    # Each node once: an alias points back at an enclosing node (a loop) or at a node seen
    # before (a "billion laughs" bomb, walked once per reference, grew without bound).
    if id(node) in path:
        return
    path.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            member = f"{pointer}/{_escape(str(key_node.value))}"
            lines.setdefault(member, key_node.start_mark.line + 1)
            _walk(value_node, member, lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            member = f"{pointer}/{position}"
            lines.setdefault(member, item.start_mark.line + 1)
            _walk(item, member, lines, path)


def yaml_lines(text: str) -> SourceMap:
    """Pointer -> line for a YAML text (empty if it is not valid YAML)."""
    try:
        # libyaml's C composer when available; aliases were refused before (gate/documents.py).
        root: Any = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return SourceMap({})
    if root is None:
        return SourceMap({})
    lines = {"": root.start_mark.line + 1}
    try:
        _walk(root, "", lines, set())
    except RecursionError:
        pass
    return SourceMap(lines)
