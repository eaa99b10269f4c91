"""Reading proposal files (JSON or YAML) for the command line.

YAML is read with the same care as JSON: decimals stay exact (Decimal), and
dates stay strings, as the JSON Schema expects (PyYAML would otherwise turn
2025-02-01 into a date object and 0.07 into a binary float).

A file that cannot be read as a document raises ``DocumentSyntaxError``, which
carries the line where it goes wrong when that is known; a file that can keeps
its bytes beside the document, so reports can point at the line of a field.

Bounded (security review, round two): a document is at most
``MAX_DOCUMENT_BYTES`` (the service's body limit; a file is never read past
it), YAML aliases are refused (a 477-byte "billion laughs" file expanded
without bound), and a YAML document may hold at most ``MAX_YAML_NODES``
values nested at most ``DEFAULT_MAX_DEPTH`` deep, checked on the event stream
of libyaml's C parser before anything is built. Every such refusal names the file.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ictgate.core.errors import MalformedInput, PayloadTooLarge
from ictgate.core.validation import DEFAULT_MAX_DEPTH, parse_json
from ictgate.gate.sourcemap import SourceMap, json_error_line, json_lines, yaml_lines

__all__ = [
    "DOCUMENT_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "MAX_YAML_NODES",
    "DocumentSyntaxError",
    "DocumentTooLarge",
    "Source",
    "load_document",
    "parse_document",
    "read_source",
]

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
# The service's body limit (ICTGATE_MAX_BODY_BYTES' default): a file the service would refuse.
MAX_DOCUMENT_BYTES = 1_048_576
# Values (scalars, lists, mappings) in one YAML document: a proposal with 100 sharing
# arrangements holds about 1,500; building 150,000 took libyaml and PyYAML 2 s.
MAX_YAML_NODES = 20_000

# libyaml's C parser when PyYAML was built with it (the wheels are), else PyYAML's own.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentSyntaxError(MalformedInput):
    """Not a JSON or YAML document; ``line`` is where it goes wrong (1-based), if known."""

    def __init__(self, detail: str, line: int | None = None, detail_th: str = "") -> None:
        super().__init__(detail, detail_th or "อ่านไฟล์ไม่ได้: ไม่ใช่เอกสาร JSON หรือ YAML ที่ถูกต้อง")
        self.line = line


class DocumentTooLarge(DocumentSyntaxError):
    """A document over the size limit (413 in the service; exit 2 from ``ictgate check``)."""

    code = PayloadTooLarge.code
    title = PayloadTooLarge.title
    status = PayloadTooLarge.status


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
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
        if isinstance(key, list | dict):  # "? [a]": a key JSON cannot have, and not hashable
            line = key_node.start_mark.line + 1
            raise DocumentSyntaxError(f"line {line}: a key must be text, not a list or mapping", line)
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


def _screen_yaml(text: str, name: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Refuses aliases, deep nesting and too many values, reading only the parser's events.

    Nothing is built here: an alias bomb is refused at its first ``*alias``,
    before any value exists, and a document is never nested deeper than the
    recursive constructors can take.
    """
    depth = values = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark else None
            raise DocumentSyntaxError(
                f"{name}, line {line}: YAML aliases (*{event.anchor}) are not accepted; write the value "
                "out in full (ไม่รับการอ้างอิงซ้ำ (alias) ใน YAML: กรุณาเขียนค่าให้ครบ)",
                line,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            values += 1
            if depth > max_depth:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise DocumentSyntaxError(
                    f"{name}, line {line}: nested more than {max_depth} levels deep "
                    f"(ซ้อนกันเกิน {max_depth} ชั้น)",
                    line,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
        if values > MAX_YAML_NODES:
            raise DocumentTooLarge(
                f"{name}: more than {MAX_YAML_NODES:,} values in one YAML document "
                f"(มีค่าเกิน {MAX_YAML_NODES:,} รายการ)"
            )


def _parse(path: Path, raw: bytes) -> Any:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise _too_large(path.name, len(raw))
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
        text = raw.decode("utf-8")
        _screen_yaml(text, path.name)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError as error:
        raise DocumentSyntaxError(f"{path.name} is not UTF-8 text") from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DocumentSyntaxError(f"not valid YAML: {error}", mark.line + 1 if mark else None) from error
    except yaml.YAMLError as error:
        raise DocumentSyntaxError(f"not valid YAML: {error}") from error
    except RecursionError:
        raise DocumentSyntaxError(f"{path.name} is nested too deeply") from None
    except ValueError as error:  # an integer of more than 4,300 digits, which Python refuses to read
        raise DocumentSyntaxError(f"{path.name}: not a usable document: {error}") from None


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


def _too_large(name: str, size: int | None = None) -> DocumentTooLarge:
    size_text = f"{size:,} bytes" if size is not None else "larger than the limit"
    return DocumentTooLarge(
        f"{name} is {size_text}; a document may be at most {MAX_DOCUMENT_BYTES:,} bytes "
        f"(ไฟล์มีขนาดเกิน {MAX_DOCUMENT_BYTES:,} ไบต์)",
        detail_th=f"ไฟล์ {name} มีขนาดเกิน {MAX_DOCUMENT_BYTES:,} ไบต์",
    )


def read_source(path: Path) -> Source:
    """Read and parse one file; raises DocumentSyntaxError if it is not a JSON or YAML document."""
    try:
        with path.open("rb") as file:
            # Never more than the limit (and one byte to tell): /dev/zero is not read to the end.
            raw = file.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise DocumentSyntaxError(
            f"cannot read {path}: {error.strerror}", detail_th=f"อ่านไฟล์ {path} ไม่ได้ ({error.strerror})"
        ) from error
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise _too_large(path.name)
    return Source(path, raw, _parse(path, raw))


def load_document(path: Path) -> Any:
    return read_source(path).document


def parse_document(raw: bytes, name: str) -> Any:
    """A document sent rather than read from disk (the web pages' upload): JSON if name ends .json."""
    return _parse(Path(name), raw)
