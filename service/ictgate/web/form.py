"""The pre-check form, drawn from schemas/submission.schema.json.

Every field of the form is a leaf of the schema, named by its JSON Pointer
(``/agency/name``, ``/cctv/sharing/0/recipient``), so the pointers of a 422
land on the field they name. What the browser checks before sending
(required, maxLength, pattern, minimum, the options of a select) is read from
the schema when the form is built, never typed twice; the server still
validates everything with the same schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ictgate.core.errors import FieldError
from ictgate.core.thai_errors import LABELS_NOT_IN_SCHEMA

__all__ = ["Field", "FormSpec", "Group", "Option", "build_form", "place_errors", "submission_from_form"]

_THAI = re.compile(r"[\u0e00-\u0e7f]")
# "Agency name (ชื่อหน่วยงาน), in Thai ..." -> English before the first parenthesis, Thai inside it.
_TERM = re.compile(r"^(?P<en>[^(]+?)\s*\((?P<th>[^)]*[\u0e00-\u0e7f][^)]*)\)")

# Labels for the schema leaves whose description names no Thai term (and a few shorter ones):
# shared with the Thai error messages, so a field and its error use the same words.
_LABELS = LABELS_NOT_IN_SCHEMA


@dataclass(frozen=True)
class Option:
    value: str
    th: str
    en: str


@dataclass
class Field:
    """One input of the form: a schema leaf (``kind`` says how it is entered)."""

    pointer: str  # with "*" for the index of a sharing row
    kind: str  # text, date, integer, number, boolean, select, multi, textarea
    th: str
    en: str
    help: str
    required: bool
    attrs: dict[str, str] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)

    def name(self, index: int | str | None = None) -> str:
        return self.pointer if index is None else self.pointer.replace("*", str(index))

    def html_id(self, index: int | str | None = None) -> str:
        return "f" + self.name(index).replace("/", "-").replace("_", "-")


@dataclass
class Group:
    """A fieldset: an object of the schema."""

    pointer: str
    th: str
    en: str
    items: list[Field | Group]
    repeated: bool = False  # an array of objects: rows the officer adds and removes

    @property
    def fields(self) -> list[Field]:
        found: list[Field] = []
        for item in self.items:
            found.extend([item] if isinstance(item, Field) else item.fields)
        return found


@dataclass
class FormSpec:
    groups: list[Group]
    sharing: Group

    def all_fields(self) -> list[Field]:
        return [f for group in self.groups for f in group.fields]


def _split(description: str) -> tuple[str, str]:
    match = _TERM.match(description)
    if match:
        return match.group("th").strip(), match.group("en").strip()
    return description.rstrip("."), description.rstrip(".")


def _option(branch: dict[str, Any]) -> Option:
    description = str(branch.get("description", branch["const"]))
    # "ระบบคอมพิวเตอร์ (computer system)": Thai, then English in the last parentheses.
    match = re.match(r"^(?P<th>.*?)\s*\((?P<en>[^()]*)\)\s*$", description)
    if match and _THAI.search(match.group("th")):
        return Option(str(branch["const"]), match.group("th"), match.group("en"))
    return Option(str(branch["const"]), description, description)


class _Builder:
    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents
        self.root = documents["submission"]

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        if not ref:
            return schema
        if ref.startswith("#/$defs/"):
            target = self.root["$defs"][ref.removeprefix("#/$defs/")]
        else:
            target = self.documents[ref.removesuffix(".schema.json")]
        # The referring schema's own description is the one written for this place.
        return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}

    def label(self, pointer: str, schema: dict[str, Any]) -> tuple[str, str]:
        if pointer in _LABELS:
            return _LABELS[pointer]
        return _split(str(schema.get("description", pointer.rsplit("/", 1)[-1])))

    def leaf(self, pointer: str, schema: dict[str, Any], required: bool) -> Field:
        th, en = self.label(pointer, schema)
        attrs: dict[str, str] = {}
        options: list[Option] = []
        kind = "text"
        kind_of = schema.get("type")
        if "oneOf" in schema and all("const" in b for b in schema["oneOf"]):
            kind = "select"
            options = [_option(b) for b in schema["oneOf"]]
        elif kind_of == "array":
            kind = "multi"
            options = [_option(b) for b in self.resolve(schema["items"])["oneOf"]]
        elif kind_of == "boolean":
            kind = "boolean"
        elif kind_of == "integer":
            kind = "integer"
            attrs["inputmode"] = "numeric"
            attrs["pattern"] = "[0-9]+"
        elif kind_of == "number":
            kind = "number"
            attrs["inputmode"] = "decimal"
            # Thousands separators are accepted (3,000,000.00); at most two decimals (multipleOf 0.01).
            attrs["pattern"] = r"[0-9][0-9,]*(\.[0-9]{1,2})?"
        elif schema.get("format") == "date":
            kind = "date"
        elif int(schema.get("maxLength", 0)) > 1000:
            kind = "textarea"
        if kind in ("text", "textarea", "date"):
            if "maxLength" in schema:
                attrs["maxlength"] = str(schema["maxLength"])
            if "minLength" in schema and kind != "date":
                attrs["minlength"] = str(schema["minLength"])
            if "pattern" in schema and kind == "text":
                # Browsers compile pattern with the v flag, where a "-" closing a class must be escaped.
                pattern = str(schema["pattern"]).removeprefix("^").removesuffix("$")
                attrs["pattern"] = pattern.replace("-]", "\\-]")
        for key in ("minimum", "maximum"):
            if key in schema:
                attrs[f"data-{key}"] = str(schema[key])
        help_text = str(schema.get("description", ""))
        return Field(pointer, kind, th, en, help_text, required, attrs, options)

    def group(self, pointer: str, schema: dict[str, Any], required: bool = True) -> Group:
        schema = self.resolve(schema)
        th, en = self.label(pointer, schema)
        needed = set(schema.get("required", ())) if required else set()
        # Parts the schema requires conditionally (cctv for a CCTV project, its if/then) are
        # marked required too: the page shows them only when the condition holds.
        needed |= {n for rule in schema.get("allOf", ()) for n in rule.get("then", {}).get("required", ())}
        items: list[Field | Group] = []
        for name, child in schema["properties"].items():
            child_pointer = f"{pointer}/{name}"
            child = self.resolve(child)
            if child.get("type") == "object":
                items.append(self.group(child_pointer, child, name in needed))
            elif child.get("type") == "array" and self.resolve(child["items"]).get("type") == "object":
                row = self.group(f"{child_pointer}/*", child["items"])
                row.repeated = True
                items.append(Group(child_pointer, *self.label(child_pointer, child), [row]))
            else:
                items.append(self.leaf(child_pointer, child, name in needed))
        return Group(pointer, th, en, items)


def build_form(documents: dict[str, dict[str, Any]]) -> FormSpec:
    """The form of the submission schema: one fieldset per top-level part."""
    builder = _Builder(documents)
    whole = builder.group("", builder.root)
    general: list[Field | Group] = [item for item in whole.items if isinstance(item, Field)]
    parts = [item for item in whole.items if isinstance(item, Group)]
    first = Group("/general", "การเสนอ", "Submission", general)
    groups = [first, *parts]
    cctv = next(g for g in parts if g.pointer == "/cctv")
    sharing = next(item for item in cctv.items if isinstance(item, Group) and item.pointer == "/cctv/sharing")
    return FormSpec(groups, sharing)


def _number(text: str, integer: bool) -> Any:
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return text  # the schema names it: "'abc' is not of type 'number'"
    if not value.is_finite():
        return text
    if value == value.to_integral_value() and "." not in cleaned:
        return int(value)
    return text if integer else value


def _convert(spec: Field, raw: list[str]) -> Any:
    values = [v.strip() for v in raw if v.strip()]
    if spec.kind == "multi":
        return values or None
    if not values:
        return None
    text = values[0] if spec.kind != "textarea" else raw[0]
    if spec.kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if spec.kind in ("integer", "number"):
        return _number(text, spec.kind == "integer")
    return text


def _put(document: dict[str, Any], pointer: str, value: Any) -> None:
    parts = pointer.strip("/").split("/")
    node: Any = document
    for index, part in enumerate(parts[:-1]):
        following = parts[index + 1]
        if isinstance(node, list):
            position = int(part)
            while len(node) <= position:
                node.append({})
            node = node[position]
            continue
        node = node.setdefault(part, [] if following.isdigit() else {})
    node[parts[-1]] = value


_ROW = re.compile(r"^/cctv/sharing/([0-9]{1,3})/")


def sharing_rows(form: dict[str, list[str]]) -> list[int]:
    """The indices of the sharing rows sent, in order (rows the officer removed are gone)."""
    return sorted({int(m.group(1)) for name in form if (m := _ROW.match(name))})


def submission_from_form(spec: FormSpec, form: dict[str, list[str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The submission a filled form means, and the values to show again (by field name).

    Empty fields are left out, so the schema names what is missing. The CCTV
    part is sent only for a CCTV project (the page shows it always when
    scripts are off); empty sharing rows are dropped and rows renumbered.
    """
    document: dict[str, Any] = {"agency": {}, "project": {}}
    shown: dict[str, Any] = {}
    category = (form.get("/project/category") or [""])[0]
    for spec_field in spec.all_fields():
        if "*" in spec_field.pointer:
            continue
        if spec_field.pointer.startswith("/cctv/") and category != "cctv":
            shown[spec_field.name()] = form.get(spec_field.name(), [])
            continue
        raw = form.get(spec_field.name(), [])
        shown[spec_field.name()] = raw
        value = _convert(spec_field, raw)
        if value is not None:
            _put(document, spec_field.pointer, value)
    row_fields = spec.sharing.fields
    kept = 0
    for index in sharing_rows(form):
        values = [(f, _convert(f, form.get(f.name(index), []))) for f in row_fields]
        if all(v is None for _, v in values):
            continue
        for row_field, value in values:
            shown[row_field.name(kept)] = form.get(row_field.name(index), [])
            if value is not None and category == "cctv":
                _put(document, row_field.name(kept), value)
        kept += 1
    shown["_rows"] = kept
    if category == "cctv":
        document.setdefault("cctv", {})
    return document, shown


def place_errors(spec: FormSpec, errors: list[FieldError], rows: int) -> list[tuple[FieldError, str]]:
    """Each error with the field it is shown at: the one it names, or the first inside the object it names."""
    names = [f.name() for f in spec.all_fields() if "*" not in f.pointer]
    names += [f.name(i) for i in range(rows) for f in spec.sharing.fields]
    placed = []
    for error in errors:
        target = error.pointer if error.pointer in names else None
        if target is None and error.pointer:
            target = next((n for n in names if n.startswith(error.pointer + "/")), None)
        placed.append((error, target or ""))
    return placed
