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

__all__ = [
    "HELP",
    "Field",
    "FormSpec",
    "Group",
    "Option",
    "build_form",
    "field_place",
    "help_text",
    "place_errors",
    "submission_from_form",
]

_THAI = re.compile(r"[\u0e00-\u0e7f]")
# "Agency name (ชื่อหน่วยงาน), in Thai ..." -> English before the first parenthesis, Thai inside it.
_TERM = re.compile(r"^(?P<en>[^(]+?)\s*\((?P<th>[^)]*[\u0e00-\u0e7f][^)]*)\)")

# Labels for the schema leaves whose description names no Thai term (and a few shorter ones):
# shared with the Thai error messages, so a field and its error use the same words.
_LABELS = LABELS_NOT_IN_SCHEMA

# The small text under each field, (Thai, English): what an officer needs to fill it in. The
# schema's descriptions are written for developers (rule ids, parameter names), so they are
# not shown; a leaf missing here gets its description without the Thai term and rule ids.
HELP: dict[str, tuple[str, str]] = {
    "/submitted_on": (
        "วันที่ในหนังสือเสนอโครงการ ระบบตรวจตามหลักเกณฑ์ที่มีผลในวันนั้น ปีเป็นคริสต์ศักราช (2025 ไม่ใช่ 2568)",
        "The date of the proposal letter; the rules in force on that day are applied. "
        "Christian-era year (2025, not 2568).",
    ),
    "/requested_body": (
        "ไม่บังคับ: หน่วยงานที่ตั้งใจจะเสนอ ถ้าไม่ใช่หน่วยงานที่ถูกต้องหรือหน่วยงานนั้นสิ้นสุดแล้ว ระบบจะแจ้งในผลการตรวจ",
        "Optional: the body you mean to submit to. A wrong or lapsed body is pointed out in the result.",
    ),
    "/agency/name": ("ชื่อเต็มตามหัวหนังสือของหน่วยงาน", "The full name, as on the agency's letterhead."),
    "/agency/kind": (
        "ประเภทหน่วยงานเป็นตัวกำหนดว่าหลักเกณฑ์ใช้กับโครงการนี้หรือไม่",
        "The kind of agency decides whether the rules apply to the project.",
    ),
    "/agency/province": (
        "จังหวัดที่ตั้งของหน่วยงาน (เมืองพัทยามีรายการของตนเอง)",
        "The province of the agency (Pattaya City has its own entry).",
    ),
    "/project/title": ("ชื่อโครงการตามที่เสนอ", "The project's title as proposed."),
    "/project/category": (
        "โครงการกล้องโทรทัศน์วงจรปิด (CCTV) นับเป็นโครงการระบบคอมพิวเตอร์ด้วย และต้องกรอกส่วนข้อมูล CCTV",
        "A CCTV project counts as a computer-system project too, and needs the CCTV part filled in.",
    ),
    "/project/budget_thb": (
        "งบประมาณของปีนี้ เป็นบาท ทศนิยมไม่เกินสองตำแหน่ง ใส่จุลภาคคั่นหลักได้ (เช่น 3,000,000.00) "
        "เกิน 5,000,000 บาท คณะกรรมการระดับกระทรวงเป็นผู้อนุมัติ",
        "This year's budget in baht, at most two decimals; thousands separators are fine (3,000,000.00). "
        "Above 5,000,000 baht the ministry's committee approves.",
    ),
    "/project/total_value_thb": (
        "ไม่บังคับ: สำหรับโครงการหลายปี มูลค่ารวมทุกปีงบประมาณ ใช้แทนงบประมาณปีนี้ในการกำหนดผู้อนุมัติ "
        "และต้องไม่น้อยกว่างบประมาณปีนี้",
        "Optional, for a multi-year project: its value over all its fiscal years. It decides who approves "
        "instead of this year's budget, and cannot be below it.",
    ),
    "/project/standard_prices": (
        "โครงการใช้ราคามาตรฐาน (เกณฑ์ราคากลาง) ของกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม และของกระทรวงมหาดไทยหรือไม่",
        "Whether the project uses the standard prices of the digital ministry (MDES) and of MOI.",
    ),
    "/project/fiscal_year": (
        "ปีงบประมาณเป็นพุทธศักราช เช่น 2568 สำหรับ ต.ค. 2567 – ก.ย. 2568",
        "The fiscal year in the Buddhist era, e.g. 2568 for October 2024 to September 2025.",
    ),
    "/project/system_id": (
        "รหัสที่หน่วยงานใช้เรียกระบบนี้ ใช้รหัสเดียวกันทุกระยะของโครงการ เพื่อให้เห็นการแบ่งซื้อ (ตัวอักษรอังกฤษ ตัวเลข . _ -)",
        "Your agency's code for this system, the same in every phase, so that split purchases can be seen "
        "(Latin letters, digits, . _ -).",
    ),
    "/project/description": ("สรุปโครงการโดยย่อ", "A short summary of the project."),
    "/cctv/cameras": ("จำนวนกล้องทั้งหมดในโครงการ", "All the cameras of the project."),
    "/cctv/follows_provincial_manual": (
        "โครงการเป็นไปตามคู่มือแนวทางการจัดการระบบกล้องโทรทัศน์วงจรปิด (CCTV) สำหรับหน่วยงานในพื้นที่จังหวัดหรือไม่",
        "Whether the project follows the province's CCTV manual.",
    ),
    "/cctv/data_controller": (
        "ผู้รับผิดชอบภาพที่บันทึก โดยปกติคือหน่วยงานเอง",
        "Who is responsible for the footage; normally the agency itself.",
    ),
    "/cctv/purposes": ("เลือกได้มากกว่าหนึ่งข้อ", "Choose all that apply."),
    "/cctv/retention_days": ("เก็บภาพไว้กี่วันก่อนลบ", "How many days footage is kept before it is deleted."),
    "/cctv/evidence_hold": (
        "ภาพที่ใช้เป็นพยานหลักฐานในคดีเก็บไว้นานกว่าระยะเวลาปกติหรือไม่",
        "Whether footage needed as evidence in a case is kept beyond the usual period.",
    ),
    "/cctv/notice_posted": (
        "มีป้ายหรือวิธีอื่นแจ้งให้บุคคลทราบว่ากำลังถูกบันทึกภาพ (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล มาตรา 23)",
        "Signs or another notice tell people they are recorded (PDPA s.23).",
    ),
    "/cctv/biometrics/used": ("เช่น การจดจำใบหน้า", "Such as face recognition."),
    "/cctv/biometrics/lawful_basis": (
        "ฐานตาม พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล มาตรา 26 ที่ใช้ประมวลผลข้อมูลชีวภาพ",
        "The basis in PDPA s.26 for processing biometric data.",
    ),
    "/cctv/public_live_feed": (
        "ประชาชนทั่วไปดูภาพสดได้โดยไม่มีการควบคุมการเข้าถึงหรือไม่",
        "Whether anyone can watch the live feed without access control.",
    ),
    "/cctv/linked_to_provincial_center": (
        "ระบบเชื่อมต่อกับระบบเชื่อมโยงหรือศูนย์ควบคุมกล้องโทรทัศน์วงจรปิดระดับจังหวัดหรือไม่",
        "Whether the system is linked to the provincial CCTV linkage system or control centre.",
    ),
    "/cctv/security/access_control": ("จำกัดผู้ที่เข้าดูภาพได้", "Only authorised people can see the footage."),
    "/cctv/security/access_logging": ("บันทึกทุกครั้งที่มีผู้เข้าถึงภาพ", "Every access to the footage is logged."),
    "/cctv/security/encryption_in_transit": (
        "ภาพถูกเข้ารหัสระหว่างส่งผ่านเครือข่าย",
        "Footage is encrypted while sent over the network.",
    ),
    "/cctv/sharing/*/recipient_type": ("ผู้รับภาพเป็นใคร", "Who receives the footage."),
    "/cctv/sharing/*/recipient": (
        "ชื่อหน่วยงานหรือบริษัทที่ได้รับภาพ",
        "The body or company that receives the footage.",
    ),
    "/cctv/sharing/*/purpose": ("แบ่งปันภาพเพื่อใช้ทำอะไร", "What the footage is shared for."),
    "/cctv/sharing/*/lawful_basis": (
        "ฐานตาม พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล มาตรา 27 ประกอบมาตรา 24 หรือ 26 ที่ใช้เปิดเผยภาพ",
        "The basis for disclosing the footage (PDPA s.27 with s.24 or s.26).",
    ),
    "/cctv/sharing/*/agreement/reference": (
        "เลขที่ข้อตกลงการแบ่งปันข้อมูล (ต้องมีเมื่อแบ่งปันกับภาคเอกชน)",
        "The number of the data-sharing agreement (needed when sharing with a private party).",
    ),
    "/cctv/sharing/*/agreement/approved_on": (
        "วันที่คณะกรรมการระดับจังหวัดอนุมัติข้อตกลง",
        "The date the provincial committee approved the agreement.",
    ),
    "/cctv/sharing/*/agreement/approved_by": ("หน่วยงานที่อนุมัติข้อตกลง", "The body that approved the agreement."),
}

# "(R-AUTH-8)", ", R-DATA-7", "R-AUTH-2 and R-AUTH-3": rule ids are for developers, not for the form.
_RULE_IDS = re.compile(r",?\s*\(?\bR-[A-Z]+-[0-9]+(?:(?:,\s*|\s+and\s+)R-[A-Z]+-[0-9]+)*\)?")
_THAI_TERM = re.compile(r"\s*\([^()]*[\u0e00-\u0e7f][^()]*\)")


def help_text(pointer: str, description: str) -> tuple[str, str]:
    """The help under a field, (Thai, English): from ``HELP``, else the description cleaned up."""
    if pointer in HELP:
        return HELP[pointer]
    english = _RULE_IDS.sub("", _THAI_TERM.sub("", description)).strip()
    return "", english


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
    help_th: str
    help_en: str
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
        help_th, help_en = help_text(pointer, str(schema.get("description", "")))
        return Field(pointer, kind, th, en, help_th, help_en, required, attrs, options)

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
    return [(error, _target(names, error.pointer)) for error in errors]


def _target(names: list[str], pointer: str) -> str:
    """The field ``pointer`` names, or the first field inside the object it names ("" for none)."""
    if pointer in names:
        return pointer
    if not pointer:
        return ""
    return next((n for n in names if n.startswith(pointer + "/")), "")


_INDEX = re.compile(r"/([0-9]+)(?=/|$)")


def _english_label(spec: FormSpec, pattern: str) -> str:
    if pattern in _LABELS:
        return _LABELS[pattern][1]
    groups: list[Field | Group] = list(spec.groups)
    while groups:
        item = groups.pop()
        if item.pointer == pattern:
            return item.en
        if isinstance(item, Group):
            groups.extend(item.items)
    return pattern.rsplit("/", 1)[-1].replace("_", " ")


def field_place(spec: FormSpec, thai: str, pointer: str, rows: int) -> tuple[str, str, str]:
    """A finding's field as the form names it: (Thai label, English label, form field name or "").

    ``thai`` is the Thai label of the decision log and error messages (core/thai_errors.py
    ``FieldLabels.label``, which says which sharing arrangement); the English one is the form's,
    with the arrangement's number.
    """
    pattern = _INDEX.sub("/*", pointer)
    numbers = [int(n) + 1 for n in _INDEX.findall(pointer)]
    if pattern.endswith("/*"):
        # An item itself ("/cctv/sharing/1"): which item of which list.
        english = f"{_english_label(spec, pattern[:-2])}, item {numbers[-1]}"
    else:
        english = _english_label(spec, pattern)
        english += "".join(f" (sharing arrangement {n})" for n in numbers)
    names = [f.name() for f in spec.all_fields() if "*" not in f.pointer]
    names += [f.name(i) for i in range(rows) for f in spec.sharing.fields]
    return thai, english, _target(names, pointer)
