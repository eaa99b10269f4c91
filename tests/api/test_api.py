"""The HTTP API on the embedded engine: verdicts, problem details, fail-closed."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.api.deps import get_prechecker
from ictgate.audit.spreadsheet import XLSX
from ictgate.core.errors import EngineTimeout, EngineUnavailable
from ictgate.prechecker import Prechecker

from tests.support.api_checks import assert_case, post_case
from tests.support.cases import CASES, Case, submission


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rulebook_edge_cases(client: TestClient, case: Case) -> None:
    assert_case(post_case(client, case), case)


def test_verdict_is_stamped(client: TestClient, bundle: Any) -> None:
    verdict = client.post("/v1/precheck", json=submission()).json()
    uuid.UUID(verdict["decision_id"])
    assert verdict["policy"] == {"revision": bundle.revision, "digest": bundle.digest}
    assert verdict["engine"] == "opa 1.20.2 (embedded)"
    assert verdict["evaluated_at"].endswith("Z")


def test_two_decisions_have_two_ids(client: TestClient) -> None:
    first = client.post("/v1/precheck", json=submission()).json()
    second = client.post("/v1/precheck", json=submission()).json()
    assert first["decision_id"] != second["decision_id"]
    assert {k: v for k, v in first.items() if k not in ("decision_id", "evaluated_at")} == {
        k: v for k, v in second.items() if k not in ("decision_id", "evaluated_at")
    }


def test_failing_finding_explains_in_thai_and_english_with_citation(client: TestClient) -> None:
    verdict = client.post(
        "/v1/precheck",
        json=submission(project={"budget_thb": 7500000}, requested_body="provincial_committee"),
    ).json()
    failing = [f for f in verdict["findings"] if f["outcome"] == "fail"]
    assert failing == [
        {
            "rule": "R-AUTH-2",
            "outcome": "fail",
            "severity": "error",
            "field": "/requested_body",
            "message": {
                "th": "ต้องเสนอคณะกรรมการบริหารและจัดการระบบคอมพิวเตอร์ของกระทรวงมหาดไทย ไม่ใช่"
                "คณะกรรมการบริหารและจัดหาระบบคอมพิวเตอร์ของหน่วยงานในสังกัดกระทรวงมหาดไทย ระดับจังหวัด: "
                "งบประมาณ 7,500,000.00 บาท เกิน 5,000,000.00 บาท",
                "en": "Submit to the MOI computer-system management committee, not the Provincial committee "
                "for the administration and procurement of computer systems of MOI agencies: the budget of "
                "7,500,000.00 THB exceeds 5,000,000.00 THB.",
            },
            "citation": {
                "source": "MOI-MEMO-2010",
                "clause": "ข้อ 3.2 (§3.2)",
                "date": "2010-02-02",
                "reference": "มท 0210.5/231",
                "reference_as_read": "มท 0210.5 / 231",
                "reading_note": {"th": "", "en": ""},
                "title": {
                    "th": "บันทึกข้อความ ศทส. สป. ที่ มท 0210.5/231 ลงวันที่ 2 กุมภาพันธ์ 2553",
                    "en": "MOI ICT Centre memorandum No. มท 0210.5/231 of 2 February 2010",
                },
                "interpretation": False,
            },
            "params": {
                "body_en": "MOI computer-system management committee",
                "body_th": "คณะกรรมการบริหารและจัดการระบบคอมพิวเตอร์ของกระทรวงมหาดไทย",
                "amount_en": "budget of 7,500,000.00 THB",
                "amount_th": "งบประมาณ 7,500,000.00 บาท",
                "requested_en": "Provincial committee for the administration and procurement of computer "
                "systems of MOI agencies",
                "requested_th": "คณะกรรมการบริหารและจัดหาระบบคอมพิวเตอร์ของหน่วยงานในสังกัดกระทรวงมหาดไทย ระดับจังหวัด",
                "threshold": "5,000,000.00",
            },
        }
    ]


# --- bad input: the right 4xx problem, every offending field named ---------------------------


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:ictgate:problem:{code}"
    assert body["instance"] == "/v1/precheck"
    assert "Traceback" not in response.text
    return body


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/v1/precheck", content=b'{"agency": ', headers={"content-type": "application/json"}
    )
    body = _problem(response, 400, "malformed_json")
    assert "line 1" in body["detail"]


@pytest.mark.parametrize(
    "raw",
    [b'{"budget": NaN}', b'{"a": 1, "a": 2}', b"\xff\xfe{}", b'{"a": Infinity}'],
    ids=["NaN", "duplicate key", "not UTF-8", "Infinity"],
)
def test_json_that_is_not_strict_json_is_400(client: TestClient, raw: bytes) -> None:
    _problem(
        client.post("/v1/precheck", content=raw, headers={"content-type": "application/json"}),
        400,
        "malformed_json",
    )


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_not_json_is_415(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/v1/precheck", content=json.dumps(submission()).encode(), headers=headers)
    _problem(response, 415, "unsupported_media_type")


def test_problem_json_media_type_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/v1/precheck",
        content=json.dumps(submission()).encode(),
        headers={"content-type": "application/vnd.ictgate+json; charset=utf-8"},
    )
    assert response.status_code == 200


def test_oversize_body_is_413(client: TestClient) -> None:
    big = submission(project={"description": "ก" * 2_000_000})
    _problem(client.post("/v1/precheck", json=big), 413, "payload_too_large")


def test_oversize_body_without_content_length_is_413(client: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(300):
            yield b" " * 10_000

    response = client.post("/v1/precheck", content=chunks(), headers={"content-type": "application/json"})
    _problem(response, 413, "payload_too_large")


def test_schema_errors_name_every_field(client: TestClient) -> None:
    bad = {
        "submitted_on": "2025-02-30",
        "agency": {"name": "", "kind": "ministry", "province": "TH-99"},
        "project": {
            "title": "x",
            "category": "computer_system",
            "budget_thb": 1000.005,
            "standard_prices": "yes",
        },
        "requested_body": "governor",
        "extra": 1,
    }
    body = _problem(client.post("/v1/precheck", json=bad), 422, "schema_violation")
    assert [e["pointer"] for e in body["errors"]] == [
        "/agency/kind",
        "/agency/name",
        "/agency/province",
        "/extra",
        "/project/budget_thb",
        "/project/standard_prices",
        "/requested_body",
        "/submitted_on",
    ]
    messages = {e["pointer"]: e["message"] for e in body["errors"]}
    assert messages["/project/budget_thb"] == "1000.005 has more than two decimals"
    assert messages["/extra"] == "unknown field(s): extra"
    assert messages["/submitted_on"] == "'2025-02-30' is not a valid date"


@pytest.mark.parametrize("budget", [0, -1, 0.001])
def test_budget_must_be_positive_with_two_decimals(client: TestClient, budget: float) -> None:
    body = _problem(
        client.post("/v1/precheck", json=submission(project={"budget_thb": budget})), 422, "schema_violation"
    )
    assert [e["pointer"] for e in body["errors"]] == ["/project/budget_thb"]


@pytest.mark.parametrize("budget", [0.07, 0.29, 1234567.89, 19.99, 5000000.01])
def test_two_decimal_budgets_are_exact(client: TestClient, budget: float) -> None:
    assert client.post("/v1/precheck", json=submission(project={"budget_thb": budget})).status_code == 200


def test_missing_required_fields_are_named(client: TestClient) -> None:
    body = _problem(client.post("/v1/precheck", json={"agency": {}}), 422, "schema_violation")
    assert [e["pointer"] for e in body["errors"]] == [
        "/agency/kind",
        "/agency/name",
        "/agency/province",
        "/project",
        "/submitted_on",
    ]


def test_cctv_block_is_required_for_cctv_projects(client: TestClient) -> None:
    body = _problem(
        client.post("/v1/precheck", json=submission(project={"category": "cctv"})), 422, "schema_violation"
    )
    assert body["errors"] == [
        {
            "pointer": "/cctv",
            "message": "cctv is required",
            "message_th": "กรุณาระบุข้อมูลระบบกล้องโทรทัศน์วงจรปิด (CCTV) และการแบ่งปันข้อมูล",
            "keyword": "required",
        }
    ]


def test_cctv_block_is_refused_for_computer_systems(client: TestClient) -> None:
    from tests.support.cases import CCTV_BLOCK

    body = _problem(client.post("/v1/precheck", json=submission(cctv=CCTV_BLOCK)), 422, "schema_violation")
    assert [e["pointer"] for e in body["errors"]] == ["/cctv"]
    assert "only allowed when project.category is cctv" in body["errors"][0]["message"]


@pytest.mark.parametrize("document", [[], "text", 42, None, [submission()]], ids=repr)
def test_body_that_is_not_an_object_is_422(client: TestClient, document: Any) -> None:
    raw = json.dumps(document).encode()
    response = client.post("/v1/precheck", content=raw, headers={"content-type": "application/json"})
    body = _problem(response, 422, "schema_violation")
    assert body["errors"][0]["pointer"] == ""


def test_deeply_nested_body_is_refused_not_crashed(client: TestClient) -> None:
    raw = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    response = client.post("/v1/precheck", content=raw, headers={"content-type": "application/json"})
    assert response.status_code in (400, 413)


def test_bad_as_of_is_422_naming_the_parameter(client: TestClient) -> None:
    response = client.post("/v1/precheck", json=submission(), params={"as_of": "2025-02-31"})
    body = _problem(response, 422, "schema_violation")
    assert body["errors"] == [
        {
            "parameter": "as_of",
            "message": "'2025-02-31' is not a date (YYYY-MM-DD, years 1900-2199)",
            "message_th": "วันที่ที่ใช้ตรวจตามหลักเกณฑ์ ไม่ใช่วันที่ กรุณาระบุแบบปีคริสต์ศักราช ปี-เดือน-วัน เช่น 2025-02-01",
            "keyword": "format",
        }
    ]


def test_thai_text_everywhere_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/v1/precheck",
        json=submission(
            agency={"name": "เทศบาลตำบลบ้านใหม่ 🏛️"},
            project={"title": "โครงการ «ทดสอบ» ๑๒๓", "description": "ข" * 4000},
        ),
    )
    assert response.status_code == 200


# --- engine failures: 503, never pass -----------------------------------------------------


class _BrokenEngine:
    def __init__(self, error: Exception | None = None, answer: Any = None) -> None:
        self._error = error
        self._answer = answer

    description = "broken"

    def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        if self._error:
            raise self._error
        return self._answer

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("engine", "code"),
    [
        (_BrokenEngine(EngineUnavailable("down")), "engine_unavailable"),
        (_BrokenEngine(EngineTimeout("slow")), "engine_timeout"),
        (_BrokenEngine(answer=None), "engine_bad_result"),
        (_BrokenEngine(answer=[]), "engine_bad_result"),
        (_BrokenEngine(answer={"verdict": "pass"}), "engine_bad_result"),
        (
            _BrokenEngine(
                answer={"verdict": "approved", "as_of": "2025-02-01", "findings": [], "obligations": []}
            ),
            "engine_bad_result",
        ),
    ],
    ids=["unavailable", "timeout", "undefined", "not an object", "incomplete pass", "unknown verdict"],
)
def test_engine_failure_is_503_never_pass(
    client: TestClient, prechecker: Prechecker, engine: _BrokenEngine, code: str
) -> None:
    broken = Prechecker(prechecker.bundle, engine, prechecker.schemas)
    client.app.dependency_overrides[get_prechecker] = lambda: broken  # type: ignore[attr-defined]
    try:
        response = client.post("/v1/precheck", json=submission())
    finally:
        client.app.dependency_overrides.clear()  # type: ignore[attr-defined]
    body = _problem(response, 503, code)
    assert "verdict" not in body
    assert response.headers["retry-after"] == "5"


def test_readyz_is_503_when_the_engine_does_not_answer(client: TestClient, prechecker: Prechecker) -> None:
    broken = Prechecker(prechecker.bundle, _BrokenEngine(EngineUnavailable("down")), prechecker.schemas)
    client.app.dependency_overrides[get_prechecker] = lambda: broken  # type: ignore[attr-defined]
    try:
        response = client.get("/readyz")
    finally:
        client.app.dependency_overrides.clear()  # type: ignore[attr-defined]
    assert response.status_code == 503
    assert response.json()["code"] == "not_ready"


def test_readyz_and_healthz(client: TestClient, bundle: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["policy"]["digest"] == bundle.digest


def test_unknown_path_and_method_are_problems(client: TestClient) -> None:
    assert client.get("/v1/nothing").json()["code"] == "not_found"
    response = client.get("/v1/precheck")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- OpenAPI publishes the real schemas ---------------------------------------------------


def test_openapi_shows_the_real_schemas_and_examples(client: TestClient, schemas: Any) -> None:
    spec = client.get("/openapi.json").json()
    components = spec["components"]["schemas"]
    submission_schema = components["Submission"]
    assert submission_schema["properties"]["project"]["properties"]["budget_thb"]["multipleOf"] == 0.01
    assert submission_schema["properties"]["agency"]["properties"]["province"]["$ref"] == (
        "#/components/schemas/Province"
    )
    assert submission_schema["properties"]["cctv"]["$ref"] == "#/components/schemas/Submission_cctv"
    assert len(components["Province"]["oneOf"]) == 78
    operation = spec["paths"]["/v1/precheck"]["post"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["examples"]["example1"]["value"] == schemas.plain_documents["submission"]["examples"][0]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Verdict"
    }
    assert set(operation["responses"]) == {"200", "400", "401", "403", "413", "415", "422", "503"}
    assert operation["security"] == [{"apiKey": []}]
    assert operation["responses"]["422"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert "$defs" not in json.dumps(spec)
    assert client.get("/docs").status_code == 200


def test_app_builds_its_own_engine_from_settings(settings: Any) -> None:
    with TestClient(create_app(settings)) as own:
        assert own.post("/v1/precheck", json=submission()).json()["verdict"] == "pass"


def test_openapi_documents_every_file_the_report_gives(client: TestClient) -> None:
    # format=json, csv and xlsx of the six-monthly report: the fuzz test holds the answers to these.
    report = client.get("/openapi.json").json()["paths"]["/v1/reports/semiannual"]["get"]
    assert set(report["responses"]["200"]["content"]) == {"application/json", "text/csv", XLSX}
