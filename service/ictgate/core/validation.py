"""Parsing and JSON Schema validation of documents (Draft 2020-12).

Numbers are parsed as ``Decimal`` so that "at most two decimals"
(``multipleOf: 0.01``) is checked exactly: with floats, 0.07 is not a
multiple of 0.01. After validation they become plain floats for the engine.

Two validators, one contract: jsonschema-rs (Rust) decides whether a document
is valid, in microseconds, on every request; only a document it refuses goes
through the Python ``jsonschema`` library, whose errors carry what the
messages to officers are built from. Measured on the CCTV example (docs/performance.md):
submission 715 µs -> 4 µs, verdict 3,100 µs -> 12 µs. A test keeps the two in
agreement on every example file.

Bounded work (security review, round two): the depth check is one linear
regular-expression pass (possessive quantifiers, no backtracking); before
either validator runs, text with U+0000 or a lone surrogate and arrays longer
than any array the schema allows are refused, so ``uniqueItems`` and the
per-item checks never see more than the schema's largest ``maxItems``;
``uniqueItems`` and ``multipleOf`` are checked by a linear pass and by exact
integer arithmetic (``1e400`` is a number too large, never a crash); and a
refusal lists at most ``MAX_REPORTED_ERRORS`` errors, with their total.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ictgate.core.errors import FieldError, MalformedInput, NestingTooDeep, SchemaViolation
from ictgate.core.thai_errors import FieldLabels, schema_message_th, schema_violation_th, year_hint

__all__ = [
    "MAX_COUNTED_ERRORS",
    "MAX_REPORTED_ERRORS",
    "SchemaErrors",
    "SchemaSet",
    "nesting_depth",
    "parse_json",
    "pointer_of",
    "to_engine_json",
]

# A refusal lists the first errors (by field) and says how many there are in all,
# counting up to MAX_COUNTED_ERRORS: a body of 100,000 bad items is one short answer.
MAX_REPORTED_ERRORS = 50
MAX_COUNTED_ERRORS = 10_000


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"duplicate key {key!r}")
        document[key] = value
    return document


# A string, possessively: once a character is taken it is never given back, so the
# scan is linear. The closing quote is optional: an unterminated string runs to the
# end of the text in one step, where a backtracking pattern retried it from every
# later quote (quadratic: 48 KB of \\" took 8 s on the event loop).
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
DEFAULT_MAX_DEPTH = 32


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest, strings aside: linear C-speed passes, no recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = (1 if bracket in "[{" else -1 for bracket in brackets)
    return max(accumulate(steps), default=0)


def parse_json(raw: bytes | str, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Strict JSON: UTF-8, no NaN or Infinity, no duplicate keys, nested at most ``max_depth`` deep."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        depth = nesting_depth(text)
        if depth > max_depth:
            raise NestingTooDeep(
                f"the document nests {depth} levels deep; the limit is {max_depth}",
                f"ข้อมูลซ้อนกันลึก {depth} ชั้น เกินกำหนด {max_depth} ชั้น",
            )
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_refuse_duplicates,
        )
    except UnicodeDecodeError as error:
        raise MalformedInput(
            f"the body is not UTF-8 text (byte {error.start})",
            f"ข้อมูลไม่ใช่ข้อความ UTF-8 (ไบต์ที่ {error.start})",
        ) from error
    except json.JSONDecodeError as error:
        raise MalformedInput(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            f"ไม่ใช่ JSON ที่ถูกต้อง: ผิดที่บรรทัด {error.lineno} ตำแหน่งที่ {error.colno}",
        ) from error
    except (ValueError, RecursionError) as error:
        raise MalformedInput(
            f"not valid JSON: {error}", "ไม่ใช่ JSON ที่ถูกต้อง (เช่น มีชื่อหัวข้อซ้ำ หรือค่า NaN)"
        ) from error


def to_engine_json(value: Any) -> Any:
    """The validated document as plain JSON types (Decimal -> int or float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: to_engine_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_engine_json(item) for item in value]
    return value


def _with_decimals(value: Any) -> Any:
    """Floats from Python callers as the decimals they print as (0.07 -> Decimal("0.07"))."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _with_decimals(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_decimals(item) for item in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_INT_BITS = 3322  # 10**1000
NUL_MESSAGE = "text may not contain the NUL character (U+0000) (ข้อความมีอักขระ NUL ซึ่งไม่อนุญาต)"
SURROGATE_MESSAGE = (
    "text holds a lone surrogate (\\ud800–\\udfff), which is not Unicode text (ข้อความมีรหัสอักขระที่ไม่ใช่ Unicode)"
)
_TEXT_PROBLEMS_TH = {
    NUL_MESSAGE: "ข้อความมีอักขระ NUL ซึ่งไม่อนุญาต",
    SURROGATE_MESSAGE: "ข้อความมีรหัสอักขระที่ไม่ใช่ Unicode",
}


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return NUL_MESSAGE
    if _SURROGATE.search(text):
        return SURROGATE_MESSAGE
    return None


def _refusals(document: Any, max_items: int | None) -> Iterator[FieldError]:
    """What no schema may see: text no database stores, and arrays longer than any the schema allows.

    U+0000 and lone surrogates (``"\\ud800"`` is valid JSON, but not Unicode text)
    cannot be encoded as UTF-8, so neither an engine nor a database can take them.
    An array longer than ``max_items`` (the largest ``maxItems`` of the schema) is
    refused at once and not looked into, so no keyword ever walks a long array.
    One iterative walk, linear in the document.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                yield FieldError(pointer_of(path), problem, "text", message_th=_TEXT_PROBLEMS_TH[problem])
        elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_INT_BITS:
            # Python cannot even print it (4,300 digits); no schema here allows anything near it.
            yield FieldError(
                pointer_of(path),
                "a number of more than 1,000 digits (ตัวเลขยาวเกินไป)",
                "maximum",
                message_th="ตัวเลขยาวเกินไป (เกิน 1,000 หลัก)",
            )
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                problem = _text_problem(key) if isinstance(key, str) else None
                if problem:
                    # The name itself is never echoed: it cannot be written as UTF-8.
                    yield FieldError(
                        pointer_of(path),
                        f"a field name here: {problem}",
                        "text",
                        message_th=f"ชื่อหัวข้อในส่วนนี้: {_TEXT_PROBLEMS_TH[problem]}",
                    )
                else:
                    stack.append((item, (*path, key)))
        elif isinstance(value, list):
            if max_items is not None and len(value) > max_items:
                yield FieldError(
                    pointer_of(path),
                    f"{len(value)} items; no list of this document may hold more than {max_items} "
                    f"(รายการมากเกินกำหนด: ไม่เกิน {max_items} รายการ)",
                    "maxItems",
                    message_th=f"มี {len(value):,} รายการ มากเกินกำหนด: รายการใดในเอกสารนี้มีได้ไม่เกิน "
                    f"{max_items:,} รายการ",
                )
                continue
            stack.extend((item, (*path, index)) for index, item in reversed(list(enumerate(value))))


def _largest_max_items(schema: Any) -> int | None:
    """The largest ``maxItems`` in a schema; None when some array has no maximum."""
    found: list[int] = []
    unbounded = False
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "array" or "items" in node:
                if "maxItems" in node:
                    found.append(int(node["maxItems"]))
                else:
                    unbounded = True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None if unbounded else max(found, default=0)


def _digits_mod(digits: tuple[int, ...], modulus: int) -> int:
    """The integer written with ``digits`` modulo ``modulus``, in chunks (no 4,300-digit int limit)."""
    remainder = 0
    for start in range(0, len(digits), 1000):
        chunk = digits[start : start + 1000]
        remainder = (remainder * pow(10, len(chunk), modulus) + int("".join(map(str, chunk)))) % modulus
    return remainder


def _stripped(value: Decimal) -> tuple[tuple[int, ...], int]:
    """A finite, non-zero decimal as (digits without trailing zeros, exponent): exact, no context."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    end = len(digits)
    while end > 1 and digits[end - 1] == 0:
        end -= 1
    return tuple(digits[:end]), exponent + (len(digits) - end)


def is_multiple(value: Any, divisor: Any) -> bool:
    """Whether ``value`` is a whole multiple of ``divisor``, exactly, for any size of number.

    ``Decimal("1e400") % Decimal("0.01")`` raises (the quotient needs 403 digits), so
    the check is made on the digits: value = m·10^e, divisor = c·10^f (trailing zeros
    stripped). If e < f the quotient has a fraction (m ends in a non-zero digit);
    otherwise it is whole when c divides m·10^(e−f), computed modulo c.
    """
    number = Decimal(value) if not isinstance(value, Decimal) else value
    step = Decimal(divisor) if not isinstance(divisor, Decimal) else divisor
    if not number.is_finite() or not step.is_finite() or step == 0:
        return False
    if number == 0:
        return True
    digits, exponent = _stripped(number)
    step_digits, step_exponent = _stripped(abs(step))
    if exponent < step_exponent:
        return False
    modulus = int("".join(map(str, step_digits)))
    if modulus == 1:
        return True
    return _digits_mod(digits, modulus) * pow(10, exponent - step_exponent, modulus) % modulus == 0


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "number") and not is_multiple(instance, divisor):
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


def _unique_key(value: Any) -> Any:
    """A hashable key equal for exactly the values JSON Schema calls equal (1 == 1.0, true != 1)."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(value) if not isinstance(value, Decimal) else value
        if not number.is_finite() or number == 0:
            return ("number", str(number) if not number.is_finite() else "0")
        return ("number", number.is_signed(), *_stripped(number))
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_unique_key(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, _unique_key(item)) for key, item in value.items()))
    return ("other", repr(value))


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """uniqueItems in one pass over hashable keys (jsonschema compares unsortable items pairwise)."""
    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[Any] = set()
    for item in instance:
        key = _unique_key(item)
        if key in seen:
            yield ValidationError(f"{instance!r} has non-unique elements")
            return
        seen.add(key)


_Validator: Any = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"uniqueItems": _unique_items, "multipleOf": _multiple_of}
)


@dataclass(frozen=True)
class SchemaErrors:
    """The errors of one document: the first ``MAX_REPORTED_ERRORS`` by field, and how many in all."""

    errors: list[FieldError]
    total: int
    total_is_lower_bound: bool = False

    def summary(self, name: str) -> str:
        noun = "error" if self.total == 1 else "errors"
        count = f"{self.total:,} or more" if self.total_is_lower_bound else f"{self.total}"
        text = f"{count} {noun} against {name}.schema.json"
        if len(self.errors) < self.total:
            text += f"; the first {len(self.errors)} are listed"
        return text


def _escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer_of(path: Iterable[str | int]) -> str:
    return "".join("/" + _escape(part) for part in path)


def _describe(error: ValidationError, labels: FieldLabels) -> FieldError:
    """One schema error as a field pointer and a sentence an officer can act on, in English and Thai."""
    english = _describe_en(error)
    path = list(error.absolute_path)
    keyword = str(error.validator)
    instance: Any = error.instance
    schema: Any = error.schema
    hint = year_hint(keyword, instance, schema)
    if hint is not None:
        thai = f"{labels.label(english.pointer)}: {hint[1]}"
        return FieldError(english.pointer, hint[0], english.keyword, message_th=thai)
    missing = ""
    extras = 0
    if keyword == "required":
        missing = labels.label(english.pointer)
        child = schema.get("properties", {}).get(english.pointer.rsplit("/", 1)[-1], {})
        if isinstance(child, dict) and child.get("type") == "boolean":
            missing = f"ว่า{missing} หรือไม่"
    elif keyword == "additionalProperties":
        extras = len(set(instance) - set(schema.get("properties", {})))
    subject = english.pointer if keyword == "not" else pointer_of(path)
    thai = schema_message_th(
        keyword, labels.label(subject), instance, error.validator_value, schema, extras, missing
    )
    return FieldError(english.pointer, english.message, english.keyword, message_th=thai)


def _describe_en(error: ValidationError) -> FieldError:
    """One schema error as a field pointer and a sentence an officer can act on."""
    path = list(error.absolute_path)
    keyword = str(error.validator)
    # The stubs type these as "maybe unset"; for errors from iter_errors they are always set.
    instance: Any = error.instance
    value: Any = error.validator_value
    schema: Any = error.schema
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return FieldError(pointer_of([*path, missing]), f"{missing} is required", keyword)
    if keyword == "additionalProperties":
        extras = sorted(set(instance) - set(schema.get("properties", {})))
        pointer = pointer_of([*path, extras[0]]) if extras else pointer_of(path)
        shown = ", ".join(extras[:10]) + (f", … ({len(extras)} in all)" if len(extras) > 10 else "")
        return FieldError(pointer, f"unknown field(s): {shown}", keyword)
    if keyword == "oneOf" and all("const" in branch for branch in value):
        allowed = [str(branch["const"]) for branch in value]
        shown = ", ".join(allowed[:12]) + (", …" if len(allowed) > 12 else "")
        return FieldError(pointer_of(path), f"{instance!r} is not one of the allowed values: {shown}", "enum")
    if keyword == "multipleOf":
        return FieldError(pointer_of(path), f"{_short(instance)} has more than two decimals", keyword)
    if keyword == "exclusiveMinimum":
        return FieldError(pointer_of(path), f"{instance} must be greater than {value}", keyword)
    if keyword == "not" and set(value) == {"required"}:
        names = value["required"]
        message = schema.get("x-message") or f"{', '.join(names)} is not allowed here"
        return FieldError(pointer_of([*path, names[0]]), str(message), "not")
    if keyword == "format":
        return FieldError(pointer_of(path), f"{instance!r} is not a valid {value}", keyword)
    return FieldError(pointer_of(path), error.message, keyword)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-10:]} ({len(text)} characters)"


class SchemaSet:
    """The schemas of ``schemas/``, each validator built once."""

    def __init__(self, schema_dir: Path) -> None:
        self._dir = schema_dir
        self.documents: dict[str, dict[str, Any]] = {}
        for path in sorted(schema_dir.glob("*.schema.json")):
            document = json.loads(path.read_text("utf-8"), parse_float=Decimal)
            self.documents[path.name.removesuffix(".schema.json")] = document
        self._registry: Registry[Any] = Registry().with_resources(
            (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
            for doc in self.documents.values()
        )
        self._validators: dict[str, Draft202012Validator] = {}
        # Pointer -> Thai label of each schema, for the Thai of its errors (thai_errors.py).
        self.labels = {name: FieldLabels(name, self.documents) for name in self.documents}
        # The longest array each schema allows anywhere: longer ones are refused before validation.
        self._max_items = {name: _largest_max_items(doc) for name, doc in self.documents.items()}
        plain = [(doc["$id"], to_engine_json(doc)) for doc in self.documents.values()]
        fast_registry = jsonschema_rs.Registry(plain)
        self._fast = {
            name: jsonschema_rs.Draft202012Validator(schema, registry=fast_registry, validate_formats=True)
            for (_, schema), name in zip(plain, self.documents, strict=True)
        }

    def validator(self, name: str) -> Draft202012Validator:
        if name not in self._validators:
            self._validators[name] = _Validator(
                self.documents[name],
                registry=self._registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
        return self._validators[name]

    def is_valid(self, name: str, document: Any) -> bool:
        return bool(self._fast[name].is_valid(document))

    def errors(self, name: str, document: Any) -> list[FieldError]:
        """The first ``MAX_REPORTED_ERRORS`` errors of ``document``, by field (``report`` has the total)."""
        return self.report(name, document).errors

    def report(self, name: str, document: Any) -> SchemaErrors:
        refused = list(islice(_refusals(document, self._max_items.get(name)), MAX_COUNTED_ERRORS))
        if refused:
            return _listed(refused, len(refused) >= MAX_COUNTED_ERRORS)
        if self.is_valid(name, document):
            return SchemaErrors([], 0)
        exact = _with_decimals(document)
        raw = list(islice(self.validator(name).iter_errors(exact), MAX_COUNTED_ERRORS))
        labels = self.labels[name]
        found = [_describe(error, labels) for error in raw]
        if not found:
            # The validators disagree (they should not): the fast one's refusal stands.
            found = [
                FieldError(pointer_of(error.instance_path), str(error.message), type(error.kind).__name__)
                for error in islice(self._fast[name].iter_errors(document), MAX_COUNTED_ERRORS)
            ]
        return _listed(found, len(raw) >= MAX_COUNTED_ERRORS)

    def check(self, name: str, document: Any) -> None:
        report = self.report(name, document)
        if report.errors:
            raise SchemaViolation(
                report.summary(name),
                report.errors,
                report.total,
                schema_violation_th(report.total, len(report.errors), report.total_is_lower_bound),
            )

    @cached_property
    def plain_documents(self) -> dict[str, dict[str, Any]]:
        """The schemas with plain floats, for OpenAPI and other JSON output."""
        return {name: to_engine_json(doc) for name, doc in self.documents.items()}


def _listed(found: list[FieldError], lower_bound: bool) -> SchemaErrors:
    unique = sorted(
        {(item.pointer, item.message): item for item in found}.values(),
        key=lambda item: (item.pointer, item.message),
    )
    return SchemaErrors(unique[:MAX_REPORTED_ERRORS], len(unique), lower_bound)
