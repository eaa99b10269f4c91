"""Thai for every refusal: schema errors, problem details and command-line errors.

An officer who sends a proposal with a mistake reads what to fix in Thai,
naming the field by the Thai label an officer knows, without JSON Pointers or
field codes in the sentence (the pointer stays beside it, in ``pointer``).
English stays in ``message``/``detail``; Thai is added as ``message_th`` and
``detail_th`` (docs/api.md#errors).

The labels are not typed here: ``FieldLabels`` reads them from the JSON
Schemas when they are loaded, from the Thai term each ``description`` gives in
parentheses ("Number of cameras (จำนวนกล้อง)" -> จำนวนกล้อง). A few leaves
whose description names no Thai term take the labels the pre-check form shows
(``LABELS_NOT_IN_SCHEMA``), so the form and its errors use the same words.

Buddhist-era years, the likeliest slip of a Thai officer, are told apart:
a date written with a year 2400–2700 ("2568-02-01") and, the other way round,
a Christian-era year (1900–2199) in a field whose range is in Buddhist-era
years (``fiscal_year``: 2500–2700), and a Buddhist-era year in a field whose
range is in Christian-era years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ictgate.core.errors import FieldError, IctgateError, SchemaViolation
from ictgate.core.thai_format import BE_OFFSET

__all__ = [
    "LABELS_NOT_IN_SCHEMA",
    "PARAMETER_LABELS",
    "FieldLabels",
    "be_year_hint",
    "be_year_of_date",
    "bilingual",
    "ce_year_hint",
    "detail_th",
    "schema_message_th",
    "thai_term",
]

_THAI = re.compile(r"[\u0e00-\u0e7f]")
# The first parenthesised text holding Thai, without nested parentheses.
_TERM = re.compile(r"\((?P<th>[^()]*[\u0e00-\u0e7f][^()]*)\)")
_ISO_DATE = re.compile(r"^\s*(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})\s*$")
_INDEX = re.compile(r"^[0-9]+$")

# Leaves whose description names no Thai term, and a few shorter labels: the same words the
# pre-check form shows beside its fields (ictgate/web/form.py reads this table too).
LABELS_NOT_IN_SCHEMA: dict[str, tuple[str, str]] = {
    "/submitted_on": ("วันที่เสนอโครงการ", "Date of submission"),
    "/project/standard_prices": ("ใช้ราคามาตรฐาน (ดศ./มท.)", "Uses the standard prices (MDES/MOI)"),
    "/requested_body": ("หน่วยงานที่จะเสนอขอความเห็นชอบ", "Body the agency submits to"),
    "/cctv/follows_provincial_manual": ("เป็นไปตามคู่มือ CCTV ของจังหวัด", "Follows the provincial CCTV manual"),
    "/cctv/evidence_hold": ("เก็บภาพไว้เป็นพยานหลักฐานเกินระยะเวลา", "Footage kept beyond retention as evidence"),
    "/cctv/notice_posted": ("มีป้ายแจ้งเตือนการบันทึกภาพ", "Notice to people recorded is posted"),
    "/cctv/biometrics": ("ข้อมูลชีวภาพ (เช่น การจดจำใบหน้า)", "Biometrics (e.g. face recognition)"),
    "/cctv/biometrics/used": ("ใช้การวิเคราะห์ข้อมูลชีวภาพ", "Biometric analytics used"),
    "/cctv/public_live_feed": (
        "ถ่ายทอดสดสู่สาธารณะโดยไม่ควบคุมการเข้าถึง",
        "Public live feed without access control",
    ),
    "/cctv/linked_to_provincial_center": (
        "เชื่อมโยงศูนย์ควบคุมระดับจังหวัด",
        "Linked to the provincial control centre",
    ),
    "/cctv/sharing/*/agreement": ("ข้อตกลงการแบ่งปันข้อมูล", "Data-sharing agreement"),
    "/cctv/sharing/*/agreement/reference": ("เลขที่ข้อตกลง", "Agreement reference"),
    "/cctv/sharing/*/agreement/approved_on": ("วันที่อนุมัติข้อตกลง", "Date approved"),
    "/cctv/sharing/*/agreement/approved_by": ("ผู้อนุมัติข้อตกลง", "Approved by"),
    "/cctv/sharing/*/purpose": ("วัตถุประสงค์ของการแบ่งปัน", "Purpose of sharing"),
    "/cctv": ("ข้อมูลระบบกล้องโทรทัศน์วงจรปิด (CCTV) และการแบ่งปันข้อมูล", "CCTV system and data sharing"),
    "/cctv/sharing": ("การเปิดเผยหรือแบ่งปันข้อมูล", "Sharing arrangements"),
    "/cctv/sharing/*": ("ข้อตกลงการแบ่งปัน", "Sharing arrangement"),
}

# Query parameters have no schema of their own: their labels are here.
PARAMETER_LABELS: dict[str, str] = {
    "as_of": "วันที่ที่ใช้ตรวจตามหลักเกณฑ์",
    "category": "ประเภทโครงการ",
    "page": "หน้า",
    "page_size": "จำนวนรายการต่อหน้า",
    "from": "วันที่บันทึกตั้งแต่",
    "to": "วันที่บันทึกถึง",
    "as_of_from": "วันที่ตรวจตามหลักเกณฑ์ตั้งแต่",
    "as_of_to": "วันที่ตรวจตามหลักเกณฑ์ถึง",
    "period": "รอบรายงาน",
    "format": "รูปแบบของรายงาน",
    "province": "จังหวัด",
    "verdict": "ผลการตรวจสอบ",
    "rule": "หลักเกณฑ์",
    "rule_outcome": "ผลของหลักเกณฑ์",
    "kind": "ประเภทการตรวจสอบ",
    "family": "กลุ่มหลักเกณฑ์",
    "filter": "เงื่อนไขการค้นหา",
}

_WHOLE_DOCUMENT = "เอกสาร"
_UNNAMED = "ข้อมูลช่องนี้"


def thai_term(description: str) -> str | None:
    """The Thai term a description gives in parentheses, shortened to its first part.

    "Total budget in Thai baht (วงเงินงบประมาณ, บาท): ..." -> "วงเงินงบประมาณ";
    "(ราคามาตรฐาน / เกณฑ์ราคากลาง)" -> "ราคามาตรฐาน".
    """
    match = _TERM.search(description)
    if not match:
        return None
    term = re.split(r",\s|\s/\s", match.group("th"))[0].strip()
    return term if _THAI.search(term) else None


def option_th(branch: Mapping[str, Any]) -> str:
    """A ``oneOf`` branch in Thai: its description before the English in parentheses, else its value."""
    description = str(branch.get("description", ""))
    match = re.match(r"^(?P<th>.*?)\s*\((?P<en>[^()]*)\)\s*$", description)
    if match and _THAI.search(match.group("th")):
        return match.group("th").strip()
    if description and _THAI.search(description):
        return description.strip()
    return str(branch.get("const", ""))


class FieldLabels:
    """Pointer -> Thai label of one schema, read when the schema is loaded."""

    def __init__(self, name: str, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self._documents = documents
        self._root = documents[name]
        self.labels: dict[str, str] = {}
        self._walk("", self._root, depth=0)
        if name == "submission":
            self.labels.update({pointer: pair[0] for pointer, pair in LABELS_NOT_IN_SCHEMA.items()})

    def _resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return schema
        document, _, fragment = ref.partition("#")
        target: Any = self._root
        if document:
            target = self._documents.get(document.removesuffix(".schema.json"), {})
        for part in fragment.strip("/").split("/") if fragment else ():
            target = target.get(part, {}) if isinstance(target, Mapping) else {}
        # The referring schema's own description is the one written for this place.
        return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}

    def _walk(self, pointer: str, schema: Mapping[str, Any], depth: int) -> None:
        if depth > 12:
            return
        schema = self._resolve(schema)
        term = thai_term(str(schema.get("description", "")))
        if term and pointer:
            self.labels.setdefault(pointer, term)
        for name, child in (schema.get("properties") or {}).items():
            if isinstance(child, Mapping):
                self._walk(f"{pointer}/{name}", child, depth + 1)
        items = schema.get("items")
        if isinstance(items, Mapping):
            self._walk(f"{pointer}/*", items, depth + 1)

    def label(self, pointer: str) -> str:
        """The field in Thai words: its label, and for a list's item which item of which list."""
        if not pointer:
            return _WHOLE_DOCUMENT
        parts = pointer.strip("/").split("/")
        pattern = "/" + "/".join("*" if _INDEX.match(part) else part for part in parts)
        own = self.labels.get(pattern)
        # Items of lists, outermost first: (label of the list, 1-based number).
        rows = [
            ("/" + "/".join("*" if _INDEX.match(p) else p for p in parts[:position]), int(part) + 1)
            for position, part in enumerate(parts)
            if _INDEX.match(part)
        ]
        if not rows:
            return own or _UNNAMED
        where = " ".join(f"{self.labels.get(lst, _UNNAMED)} รายการที่ {number}" for lst, number in rows)
        if pattern.endswith("/*"):
            # The item itself ("/cctv/purposes/1"): which item of which list.
            return where
        return f"{own or _UNNAMED} ({where})"


# -- Buddhist-era years -------------------------------------------------------------------------


def be_year_of_date(value: Any) -> int | None:
    """The year of a date written with a Buddhist-era year (2400–2700), else None."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    year = int(match.group("year"))
    return year if 2400 <= year <= 2700 else None


def be_year_hint(year: int) -> tuple[str, str]:
    """(English, Thai): a Buddhist-era year where a Christian-era year is asked for."""
    return (
        f"{year} looks like a Buddhist-era year; use {year - BE_OFFSET}",
        f"ปี {year} เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช {year - BE_OFFSET}",
    )


def ce_year_hint(year: int) -> tuple[str, str]:
    """(English, Thai): a Christian-era year where a Buddhist-era year is asked for (fiscal_year)."""
    return (
        f"{year} looks like a Christian-era year; this field takes the Buddhist-era year: "
        f"use {year + BE_OFFSET}",
        f"ปี {year} เป็นปีคริสต์ศักราช ช่องนี้ต้องระบุเป็นปีพุทธศักราช กรุณาระบุ {year + BE_OFFSET}",
    )


def _year_range_hint(instance: Any, schema: Mapping[str, Any]) -> tuple[str, str] | None:
    """A year in the other era for an integer field whose range is a range of years."""
    if isinstance(instance, bool) or not isinstance(instance, int | Decimal):
        return None
    # Compared before any conversion: int(Decimal("-1e999999999")) would build a billion digits.
    if not 1000 <= instance <= 3000:
        return None
    if isinstance(instance, Decimal) and instance != instance.to_integral_value():
        return None
    year = int(instance)
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is None or high is None:
        return None
    low, high = int(low), int(high)
    if 2400 <= low and high <= 2800 and 1900 <= year <= 2199 and low <= year + BE_OFFSET <= high:
        return ce_year_hint(year)
    if 1900 <= low and high <= 2300 and 2400 <= year <= 2700 and low <= year - BE_OFFSET <= high:
        return be_year_hint(year)
    return None


# -- schema errors ------------------------------------------------------------------------------


def _number(value: Any) -> str:
    """A number as an officer writes it: 1,000,000,000,000 and -150,000.50."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) and value.bit_length() > 3322:
        return "ตัวเลขที่ยาวเกิน 1,000 หลัก"  # str() of it would raise
    if isinstance(value, int | Decimal | float):
        number = Decimal(value) if not isinstance(value, Decimal) else value
        if not number.is_finite():
            return str(value)
        # adjusted(): the exponent, with no arithmetic (abs() of 1e999999999 overflows the context).
        if number.adjusted() >= 16:
            return str(value)
        if number == number.to_integral_value():
            return f"{int(number):,}"
        return f"{number:,f}"
    return str(value)


_TYPES_TH = {
    "integer": "จำนวนเต็ม",
    "number": "ตัวเลข",
    "string": "ข้อความ",
    "boolean": "ใช่หรือไม่ใช่ (true หรือ false)",
    "object": "ชุดข้อมูลที่มีหัวข้อย่อย",
    "array": "รายการ",
    "null": "ค่าว่าง",
}


def _type_th(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " หรือ ".join(_TYPES_TH.get(str(name), str(name)) for name in names)


def _choices_th(branches: Iterable[Any]) -> str:
    shown = [option_th(b) if isinstance(b, Mapping) else str(b) for b in branches]
    text = ", ".join(shown[:12])
    return text + (f" … (ทั้งหมด {len(shown)} ค่า)" if len(shown) > 12 else "")


def _is_date_field(schema: Mapping[str, Any]) -> bool:
    return schema.get("format") == "date" or "[0-9]{2}-[0-9]{2}" in str(schema.get("pattern", ""))


# The bounds of a number, and of a list's length, in the words of a Thai sentence.
_BOUNDS_TH = {
    "minimum": "ต้องไม่น้อยกว่า",
    "exclusiveMinimum": "ต้องมากกว่า",
    "maximum": "ต้องไม่เกิน",
    "exclusiveMaximum": "ต้องน้อยกว่า",
}
_ITEMS_TH = {"minItems": "ต้องมีอย่างน้อย", "maxItems": "มีได้ไม่เกิน"}


def _is_choice(keyword: str, value: Any) -> bool:
    """An ``enum``, or a ``oneOf`` of ``const`` branches (the term tables): a list of allowed values."""
    if not isinstance(value, list):
        return False
    if keyword == "enum":
        return True
    return keyword == "oneOf" and all(isinstance(branch, Mapping) and "const" in branch for branch in value)


def schema_message_th(
    keyword: str,
    label: str,
    instance: Any,
    value: Any,
    schema: Mapping[str, Any],
    extras: int = 0,
    missing_label: str = "",
) -> str:
    """One schema error as a Thai sentence about the field ``label``.

    ``value`` is the keyword's value in the schema (the minimum, the allowed
    branches); ``missing_label`` names the missing field of ``required``;
    ``extras`` counts the unknown fields of ``additionalProperties``.
    """
    if keyword == "required":
        return f"กรุณาระบุ{missing_label or _UNNAMED}"
    if keyword == "type":
        return f"{label} ต้องเป็น{_type_th(value)}"
    if keyword in _BOUNDS_TH:
        return f"{label} {_BOUNDS_TH[keyword]} {_number(value)} (ที่ระบุ: {_number(instance)})"
    if keyword == "multipleOf":
        if str(value) in ("0.01", "0.010"):
            return f"{label} มีทศนิยมได้ไม่เกินสองตำแหน่ง"
        return f"{label} ต้องเป็นผลคูณของ {_number(value)}"
    if keyword == "minLength":
        if isinstance(instance, str) and not instance.strip():
            return f"กรุณาระบุ{label} ช่องนี้เว้นว่างไม่ได้"
        return f"{label} ต้องยาวอย่างน้อย {_number(value)} ตัวอักษร"
    if keyword == "maxLength":
        length = len(instance) if isinstance(instance, str) else 0
        return f"{label} ยาวได้ไม่เกิน {_number(value)} ตัวอักษร (ที่ระบุมี {_number(length)} ตัวอักษร)"
    if _is_choice(keyword, value):
        return f"{label} ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {_choices_th(value)}"
    if keyword == "const":
        return f"{label} ต้องเป็น {value}"
    if keyword == "pattern":
        if _is_date_field(schema):
            return f"{label} ต้องเป็นวันที่แบบปีคริสต์ศักราช ปี-เดือน-วัน (ปปปป-ดด-วว) เช่น 2025-02-01"
        examples = schema.get("examples")
        example = f" เช่น {examples[0]}" if isinstance(examples, list) and examples else ""
        return f"{label} มีรูปแบบไม่ถูกต้อง{example}"
    if keyword == "format":
        if value == "date":
            return f"{label} ไม่ใช่วันที่ที่มีอยู่จริง กรุณาระบุแบบปีคริสต์ศักราช ปี-เดือน-วัน เช่น 2025-02-01"
        return f"{label} มีรูปแบบไม่ถูกต้อง"
    if keyword == "additionalProperties":
        count = max(extras, 1)
        return f"{label} มีหัวข้อที่ไม่อยู่ในแบบที่กำหนด {count} รายการ กรุณาตรวจการสะกดหรือลบออก"
    if keyword in _ITEMS_TH:
        return f"{label} {_ITEMS_TH[keyword]} {_number(value)} รายการ"
    if keyword == "uniqueItems":
        return f"{label} มีรายการซ้ำกัน กรุณาระบุแต่ละรายการเพียงครั้งเดียว"
    if keyword == "not":
        return f"ไม่ต้องระบุ{label}ในกรณีนี้ กรุณาลบออก หรือแก้ข้อมูลที่เกี่ยวข้อง"
    return f"{label} ไม่ถูกต้องตามแบบที่กำหนด"


def year_hint(keyword: str, instance: Any, schema: Mapping[str, Any]) -> tuple[str, str] | None:
    """(English, Thai) when the error is a year written in the other era, else None."""
    if keyword in ("pattern", "format") and _is_date_field(schema):
        year = be_year_of_date(instance)
        return be_year_hint(year) if year is not None else None
    if keyword in _BOUNDS_TH:
        return _year_range_hint(instance, schema)
    return None


# -- errors built without Thai ------------------------------------------------------------------

_PARAMETER_TH = {
    "format": "{label} ไม่ใช่วันที่ กรุณาระบุแบบปีคริสต์ศักราช ปี-เดือน-วัน เช่น 2025-02-01",
    "enum": "{label} ไม่ใช่ค่าที่กำหนด",
    "filter": "{label} ไม่ถูกต้อง",
}


def bilingual(item: FieldError, value: Any = None) -> FieldError:
    """``item`` with a Thai message: its own, or one made from its keyword and field.

    ``value`` is what was sent, when known (a query parameter's text): a
    Buddhist-era date there gets the same hint, in both languages, as in a document.
    """
    if item.parameter and isinstance(value, str):
        year = be_year_of_date(value)
        if year is not None:
            english, thai = be_year_hint(year)
            return replace(item, message=english, message_th=f"{_parameter_label(item)}: {thai}")
    if item.message_th:
        return item
    if item.parameter:
        label = _parameter_label(item)
        template = _PARAMETER_TH.get(item.keyword, "{label} ไม่ถูกต้อง")
        return replace(item, message_th=template.format(label=label))
    if _THAI.search(item.message):
        # Messages that already carry their Thai in parentheses (refused text, huge numbers).
        match = _TERM.search(item.message)
        return replace(item, message_th=match.group("th") if match else item.message)
    return replace(item, message_th="ข้อมูลช่องนี้ไม่ถูกต้องตามแบบที่กำหนด")


def _parameter_label(item: FieldError) -> str:
    return PARAMETER_LABELS.get(item.parameter, "ค่าที่ส่งมากับคำขอ")


# -- problem details ----------------------------------------------------------------------------

DETAIL_TH: dict[str, str] = {
    "invalid_input": "ข้อมูลที่ส่งมาใช้ไม่ได้",
    "malformed_json": "อ่านข้อมูลไม่ได้: ไม่ใช่ JSON ที่ถูกต้อง",
    "nesting_too_deep": "ข้อมูลซ้อนกันลึกเกินกำหนด",
    "unsupported_media_type": "กรุณาส่งข้อมูลเป็น JSON (Content-Type: application/json)",
    "payload_too_large": "ข้อมูลที่ส่งมีขนาดเกินกำหนด",
    "auth_error": "ไม่มีสิทธิ์ใช้งาน",
    "unauthenticated": "กรุณาส่งกุญแจ API ที่ผู้ดูแลระบบออกให้",
    "forbidden": "บทบาทของกุญแจนี้ไม่มีสิทธิ์ใช้งานส่วนนี้",
    "engine_error": "ระบบประมวลผลหลักเกณฑ์ตอบไม่ได้ในขณะนี้ กรุณาลองใหม่ภายหลัง",
    "engine_unavailable": "ระบบประมวลผลหลักเกณฑ์ไม่พร้อมใช้งาน กรุณาลองใหม่ภายหลัง",
    "engine_timeout": "ระบบประมวลผลหลักเกณฑ์ตอบไม่ทันเวลา กรุณาลองใหม่ภายหลัง",
    "engine_bad_result": "ระบบประมวลผลหลักเกณฑ์ให้ผลที่ใช้ไม่ได้ กรุณาแจ้งผู้ดูแลระบบ",
    "decision_log_unavailable": "บันทึกผลการตรวจสอบไม่พร้อมใช้งาน จึงยังให้ผลไม่ได้ กรุณาลองใหม่ภายหลัง",
    "not_found": "ไม่พบสิ่งที่ขอ",
    "method_not_allowed": "ใช้วิธีเรียกนี้กับที่อยู่นี้ไม่ได้",
    "not_ready": "ระบบยังไม่พร้อมให้บริการ กรุณาลองใหม่ภายหลัง",
    "internal_error": "ระบบขัดข้อง บันทึกข้อผิดพลาดไว้แล้ว",
    "http_error": "คำขอไม่ถูกต้อง",
    "not_checked": "ไม่ได้ตรวจ เพราะระบบประมวลผลหลักเกณฑ์ตอบไม่ได้",
}


def schema_violation_th(total: int, listed: int, lower_bound: bool = False) -> str:
    count = f"{total:,} รายการขึ้นไป" if lower_bound else f"{total:,} รายการ"
    text = f"ข้อมูลไม่ถูกต้องตามแบบที่กำหนด {count} กรุณาแก้ไขตามรายการ"
    if listed < total:
        text += f" (แสดง {listed:,} รายการแรก)"
    return text


def detail_th(error: IctgateError | None = None, code: str = "") -> str:
    """The Thai detail of an error: its own, else the one of its code."""
    if error is not None:
        if error.detail_th:
            return error.detail_th
        if isinstance(error, SchemaViolation):
            return schema_violation_th(error.total, len(error.errors))
        code = error.code
    return DETAIL_TH.get(code, "คำขอไม่ถูกต้อง")
