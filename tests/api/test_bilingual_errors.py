"""Every 4xx problem in Thai and English: ``detail_th`` and ``errors[].message_th`` (docs/api.md#errors).

The Thai names the field by the Thai label the schema gives it, and says what
to fix without JSON Pointers or field codes; a Buddhist-era year is told apart
in both languages.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.core.auth import hash_key, new_key
from ictgate.core.settings import ApiKeyEntry, Settings
from ictgate.core.thai_errors import FieldLabels, thai_term
from ictgate.core.validation import SchemaSet
from ictgate.prechecker import Prechecker

from tests.support.cases import CCTV_BLOCK, submission

# A JSON Pointer, a snake_case code or a bare schema keyword: none belongs in a Thai sentence.
_CODE = re.compile(r"/[a-z]|\b[a-z]+_[a-z_]+\b|\b(?:required|minLength|oneOf|enum|pattern)\b")


def _errors(response: Any) -> dict[str, dict[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["detail_th"], body
    return {item.get("pointer") or item["parameter"]: item for item in body["errors"]}


def test_a_buddhist_era_date_is_named_in_both_languages(client: TestClient) -> None:
    errors = _errors(client.post("/v1/precheck", json=submission(submitted_on="2568-02-01")))
    assert errors["/submitted_on"] == {
        "pointer": "/submitted_on",
        "message": "2568 looks like a Buddhist-era year; use 2025",
        "message_th": "วันที่เสนอโครงการ: ปี 2568 เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช 2025",
        "keyword": "pattern",
    }


def test_a_buddhist_era_date_that_is_no_real_date_gets_one_hint(client: TestClient) -> None:
    # 2567-02-30 breaks both the pattern and the date format: one error, the hint.
    errors = _errors(client.post("/v1/precheck", json=submission(submitted_on="2567-02-30")))
    assert list(errors) == ["/submitted_on"]
    assert errors["/submitted_on"]["message"] == "2567 looks like a Buddhist-era year; use 2024"


def test_a_christian_era_fiscal_year_is_named_in_both_languages(client: TestClient) -> None:
    # fiscal_year is a Buddhist-era year (2500-2700): 2025 is the slip the other way round.
    errors = _errors(client.post("/v1/precheck", json=submission(project={"fiscal_year": 2025})))
    assert errors["/project/fiscal_year"]["message"] == (
        "2025 looks like a Christian-era year; this field takes the Buddhist-era year: use 2568"
    )
    assert errors["/project/fiscal_year"]["message_th"] == (
        "ปีงบประมาณ: ปี 2025 เป็นปีคริสต์ศักราช ช่องนี้ต้องระบุเป็นปีพุทธศักราช กรุณาระบุ 2568"
    )


def test_a_buddhist_era_as_of_is_named_in_both_languages(client: TestClient) -> None:
    response = client.post("/v1/precheck", json=submission(), params={"as_of": "2568-02-01"})
    assert _errors(response)["as_of"] == {
        "parameter": "as_of",
        "message": "2568 looks like a Buddhist-era year; use 2025",
        "message_th": "วันที่ที่ใช้ตรวจตามหลักเกณฑ์: ปี 2568 เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช 2025",
        "keyword": "format",
    }


def test_common_failures_in_thai(client: TestClient) -> None:
    bad = submission(
        agency={"kind": "ministry"},
        project={"budget_thb": -150000, "title": "", "category": "cctv"},
        cctv={**CCTV_BLOCK, "cameras": "12", "purposes": ["traffic", "traffic"], "colour": "red"},
    )
    del bad["agency"]["name"]
    response = client.post("/v1/precheck", json=bad)
    errors = _errors(response)
    thai = {pointer: item["message_th"] for pointer, item in errors.items()}
    assert thai["/agency/name"] == "กรุณาระบุชื่อหน่วยงาน"
    assert thai["/project/budget_thb"] == "วงเงินงบประมาณ ต้องมากกว่า 0 (ที่ระบุ: -150,000)"
    assert thai["/project/title"] == "กรุณาระบุชื่อโครงการ ช่องนี้เว้นว่างไม่ได้"
    assert thai["/cctv/cameras"] == "จำนวนกล้อง ต้องเป็นจำนวนเต็ม"
    assert thai["/cctv/purposes"] == ("วัตถุประสงค์ของการบันทึกภาพ มีรายการซ้ำกัน กรุณาระบุแต่ละรายการเพียงครั้งเดียว")
    assert thai["/cctv/colour"] == (
        "ข้อมูลระบบกล้องโทรทัศน์วงจรปิด (CCTV) และการแบ่งปันข้อมูล มีหัวข้อที่ไม่อยู่ในแบบที่กำหนด 1 รายการ "
        "กรุณาตรวจการสะกดหรือลบออก"
    )
    # A oneOf of constants lists the allowed values, by their Thai names, not their codes.
    assert thai["/agency/kind"].startswith(
        "ประเภทหน่วยงาน ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: ส่วนราชการสังกัดกระทรวงมหาดไทยในจังหวัด, "
    )
    assert "เทศบาลเมือง" in thai["/agency/kind"] and "town_municipality" not in thai["/agency/kind"]
    assert response.json()["detail_th"] == "ข้อมูลไม่ถูกต้องตามแบบที่กำหนด 7 รายการ กรุณาแก้ไขตามรายการ"
    for pointer, sentence in thai.items():
        assert not _CODE.search(sentence), (pointer, sentence)


def test_a_field_of_a_list_item_names_the_item(client: TestClient) -> None:
    sharing = [{"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "law_enforcement"}, {}]
    bad = submission(project={"category": "cctv"}, cctv={**CCTV_BLOCK, "sharing": sharing})
    thai = {p: e["message_th"] for p, e in _errors(client.post("/v1/precheck", json=bad)).items()}
    assert thai["/cctv/sharing/1/recipient"] == "กรุณาระบุชื่อผู้รับข้อมูล (การเปิดเผยหรือแบ่งปันข้อมูล รายการที่ 2)"


def test_query_parameters_are_refused_in_thai(client: TestClient) -> None:
    errors = _errors(client.get("/v1/decisions", params={"page": 0}))
    assert errors["page"]["message_th"] == "หน้า ต้องไม่น้อยกว่า 1"
    errors = _errors(client.post("/v1/committees/check", json={}, params={"category": "roads"}))
    assert errors["category"]["message_th"] == "ประเภทโครงการ ไม่ใช่ค่าที่กำหนด"


def test_every_problem_has_a_thai_detail(
    client: TestClient, settings: Settings, prechecker: Prechecker
) -> None:
    answers = {
        "malformed": client.post("/v1/precheck", content=b"{", headers={"content-type": "application/json"}),
        "media type": client.post("/v1/precheck", content=b"{}", headers={"content-type": "text/plain"}),
        "too large": client.post("/v1/precheck", json=submission(project={"description": "ก" * 2_000_000})),
        "not found": client.get("/v1/nothing"),
        "no rule": client.get("/v1/rules/R-NONE-1"),
        "method": client.get("/v1/precheck"),
    }
    secured = TestClient(
        create_app(
            settings.model_copy(
                update={
                    "dev_mode": False,
                    "api_keys": (
                        ApiKeyEntry(id="auditor-1", role="auditor", sha256=hash_key(key := new_key())),
                    ),
                }
            ),
            prechecker,
        )
    )
    answers["no key"] = secured.post("/v1/precheck", json=submission())
    answers["wrong role"] = secured.post(
        "/v1/precheck", json=submission(), headers={"authorization": f"Bearer {key}"}
    )
    details = {}
    for name, response in answers.items():
        assert 400 <= response.status_code < 500, name
        body = response.json()
        assert re.search(r"[\u0e00-\u0e7f]", body["detail_th"]), (name, body)
        assert body["detail"], name
        details[name] = body["detail_th"]
    assert details["malformed"] == "ไม่ใช่ JSON ที่ถูกต้อง: ผิดที่บรรทัด 1 ตำแหน่งที่ 2"
    assert details["no rule"] == "ไม่พบหลักเกณฑ์ R-NONE-1 ในรายการหลักเกณฑ์"
    assert details["no key"] == ("กรุณาส่งกุญแจ API ที่ผู้ดูแลระบบออกให้ (ส่วนหัว Authorization: Bearer หรือ X-API-Key)")


def test_the_openapi_document_describes_the_thai_fields(client: TestClient) -> None:
    problem = client.get("/openapi.json").json()["components"]["schemas"]["Problem"]
    assert "detail_th" in problem["required"]
    assert problem["properties"]["errors"]["items"]["required"] == ["message", "message_th"]


# -- the labels come from the schemas -----------------------------------------------------------


def test_thai_terms_are_read_from_descriptions() -> None:
    assert thai_term("Number of cameras (จำนวนกล้อง).") == "จำนวนกล้อง"
    assert thai_term("Total budget in Thai baht (วงเงินงบประมาณ, บาท): greater than 0") == "วงเงินงบประมาณ"
    assert thai_term("Whether ... (ราคามาตรฐาน / เกณฑ์ราคากลาง) of MDES") == "ราคามาตรฐาน"
    assert thai_term("One sharing arrangement.") is None


def test_every_labelled_field_of_the_schema_has_its_thai_label(schemas: SchemaSet) -> None:
    labels = schemas.labels["submission"]
    assert isinstance(labels, FieldLabels)
    document = schemas.documents["submission"]
    # Every description that gives a Thai term in parentheses gives the label.
    for name, child in document["$defs"]["cctv"]["properties"].items():
        term = thai_term(str(child.get("description", "")))
        if term and f"/cctv/{name}" not in {"/cctv/evidence_hold", "/cctv/notice_posted"}:
            assert labels.label(f"/cctv/{name}") in (term, labels.labels[f"/cctv/{name}"])
    assert labels.label("/cctv/cameras") == "จำนวนกล้อง"
    assert labels.label("/cctv/purposes/0") == "วัตถุประสงค์ของการบันทึกภาพ รายการที่ 1"
    assert labels.label("") == "เอกสาร"
    order = schemas.labels["committee_order"]
    assert order.label("/order/number") == "เลขที่คำสั่ง"


def test_labels_follow_a_schema_edit() -> None:
    documents: dict[str, Any] = {
        "x": {"type": "object", "properties": {"n": {"type": "integer", "description": "Count (จำนวน)."}}}
    }
    assert FieldLabels("x", documents).label("/n") == "จำนวน"
    assert json.dumps(FieldLabels("x", documents).labels, ensure_ascii=False) == '{"/n": "จำนวน"}'


@pytest.mark.parametrize("year", [2400, 2568, 2700])
def test_the_buddhist_era_range(client: TestClient, year: int) -> None:
    errors = _errors(client.post("/v1/precheck", json=submission(submitted_on=f"{year}-01-15")))
    assert errors["/submitted_on"]["message"] == f"{year} looks like a Buddhist-era year; use {year - 543}"
