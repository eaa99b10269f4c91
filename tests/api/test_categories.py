"""Categories instead of free text (issue #14 part 5): sharing purposes, recipient types and
PDPA lawful bases are codes with Thai and English labels; the API takes a code or its exact
Thai label and refuses anything else, naming the allowed values."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.core.labels import TERM_FIELDS, ThaiLabels

from tests.support.cases import samut_prakan_cctv, submission
from tests.support.helpers import ROOT, load_json

TERMS = load_json(ROOT / "policies/rulebook/terms/data.json")
SCHEMA = load_json(ROOT / "schemas/submission.schema.json")


def _schema_at(path: tuple[str, ...]) -> dict[str, Any]:
    node: dict[str, Any] = SCHEMA
    for part in path:
        if part == "*":
            node = node["items"]
        else:
            node = node["properties"][part]
        if "$ref" in node:
            node = SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


@pytest.mark.parametrize(
    ("path", "table"), TERM_FIELDS, ids=lambda v: "/".join(v) if isinstance(v, tuple) else v
)
def test_schema_codes_and_labels_are_the_term_tables(path: tuple[str, ...], table: str) -> None:
    # One label table: the schema (and so the form and the 422 answer) shows what the policy says.
    branches = _schema_at(path)["oneOf"]
    assert [b["const"] for b in branches] == list(TERMS[table])
    if table in ("recipient_types", "sharing_purposes", "lawful_bases"):
        labels = [f"{e['th']} ({e['en']})" for e in TERMS[table].values()]
        assert [b["description"] for b in branches] == labels


def test_thai_labels_become_codes_and_nothing_else_changes() -> None:
    labels = ThaiLabels(TERMS)
    written = samut_prakan_cctv(
        sharing=[
            {"recipient_type": "เจ้าหน้าที่ตำรวจ", "recipient": "สภ.บางปู", "purpose": " การบังคับใช้กฎหมาย "},
            {"recipient_type": "public", "recipient": "การบังคับใช้กฎหมาย", "purpose": "จราจร"},
        ],
        biometrics={"used": True, "lawful_basis": "ความยินยอมโดยชัดแจ้งของเจ้าของข้อมูล (มาตรา 26)"},
    )
    coded = labels.to_codes(written)
    assert coded["cctv"]["sharing"] == [
        {"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "law_enforcement"},
        # A free text that is no label stays as written, for the schema to refuse; names are not codes.
        {"recipient_type": "public", "recipient": "การบังคับใช้กฎหมาย", "purpose": "จราจร"},
    ]
    assert coded["cctv"]["biometrics"]["lawful_basis"] == "s26_explicit_consent"
    assert written["cctv"]["sharing"][0]["purpose"] == " การบังคับใช้กฎหมาย "  # the caller's copy untouched
    assert labels.to_codes(submission()) == submission()
    assert labels.to_codes([1]) == [1]


def test_a_thai_purpose_label_is_accepted_and_logged_as_its_code(client: TestClient) -> None:
    share = {"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "การสืบสวนสอบสวนคดีอาญา"}
    response = client.post("/v1/precheck", json=samut_prakan_cctv(sharing=[share]))
    assert response.status_code == 200, response.text
    verdict = response.json()
    (police,) = [f for f in verdict["findings"] if f["rule"] == "R-DATA-4"]
    assert police["outcome"] == "pass"
    assert police["message"]["th"] == (
        "การแบ่งปันข้อมูลกับเจ้าหน้าที่ตำรวจ (สภ.บางปู) เพื่อการสืบสวนสอบสวนคดีอาญา ทำได้และต้องบันทึกการแบ่งปันไว้"
    )
    assert police["message"]["en"] == (
        "Sharing with the police (สภ.บางปู) for criminal investigation is allowed and must be recorded."
    )


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        (
            {"sharing": [{"recipient_type": "police", "recipient": "x", "purpose": "จราจร"}]},
            "/cctv/sharing/0/purpose",
        ),
        (
            {
                "sharing": [
                    {"recipient_type": "public", "recipient": "x", "purpose": "other", "lawful_basis": "-"}
                ]
            },
            "/cctv/sharing/0/lawful_basis",
        ),
        ({"biometrics": {"used": True, "lawful_basis": "-"}}, "/cctv/biometrics/lawful_basis"),
        ({"biometrics": {"used": True, "lawful_basis": "PDPA s.26(1)(b)"}}, "/cctv/biometrics/lawful_basis"),
    ],
    ids=["free-text purpose", "dash lawful basis for the public", "dash biometric basis", "made-up clause"],
)
def test_anything_but_a_code_or_its_thai_label_is_422_listing_the_allowed_values(
    client: TestClient, changes: dict[str, Any], pointer: str
) -> None:
    response = client.post("/v1/precheck", json=samut_prakan_cctv(**changes))
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["pointer"] == pointer
    table = "sharing_purposes" if pointer.endswith("purpose") else "lawful_bases"
    first = next(iter(TERMS[table]))
    assert "allowed values" in error["message"]
    assert first in error["message"]
