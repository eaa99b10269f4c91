"""examples/cctv/: one compliant Samut Prakan CCTV project and one failing
example per rule family, through the HTTP API, with the exact answer."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.support.helpers import ROOT

EXAMPLES = ROOT / "examples" / "cctv"

EXPECTED = {
    "samut-prakan-compliant.json": ("pass", "provincial_committee", []),
    # An approval chain: the Samut Prakan committee first (SPK-2024), then MOI above 5,000,000 THB.
    "samut-prakan-above-threshold-chain.json": ("pass", "moi_committee", []),
    "defunct-national-committee.json": ("fail", "provincial_committee", [("R-CCTV-1", "/requested_body")]),
    "no-provincial-manual.json": (
        "fail",
        "provincial_committee",
        [("R-CCTV-4", "/cctv/follows_provincial_manual")],
    ),
    "private-sharing-without-agreement.json": (
        "fail",
        "provincial_committee",
        [("R-DATA-3", "/cctv/sharing/1/agreement")],
    ),
    "open-public-live-feed.json": ("fail", "provincial_committee", [("R-DATA-5", "/cctv/public_live_feed")]),
    "linked-centre-without-access-logging.json": (
        "fail",
        "provincial_committee",
        [("R-DATA-6", "/cctv/security/access_logging")],
    ),
}


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gives_the_documented_answer(client: TestClient, name: str) -> None:
    verdict_name, body, failures = EXPECTED[name]
    response = client.post("/v1/precheck", json=json.loads((EXAMPLES / name).read_text("utf-8")))
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["verdict"] == verdict_name
    assert verdict["route"]["body"] == body
    assert verdict["route"]["steps"][0]["province"] == "TH-11"
    assert [(f["rule"], f["field"]) for f in verdict["findings"] if f["outcome"] == "fail"] == failures
    for finding in verdict["findings"]:
        assert finding["message"]["th"] and finding["message"]["en"]
        assert "{" not in finding["message"]["th"] + finding["message"]["en"]


def test_a_failing_example_says_what_to_change_and_where_it_is_written(client: TestClient) -> None:
    example = json.loads((EXAMPLES / "private-sharing-without-agreement.json").read_text("utf-8"))
    verdict = client.post("/v1/precheck", json=example).json()
    (failure,) = [f for f in verdict["findings"] if f["outcome"] == "fail"]
    assert failure["message"]["en"] == (
        "Sharing with the private sector (บริษัท ตัวอย่าง จำกัด) has no data-sharing agreement "
        "approved by the provincial committee: give its reference, approval date and approver, "
        "or stop the sharing (PDPA s.27)."
    )
    thai = failure["message"]["th"]
    assert thai.startswith("การแบ่งปันข้อมูลกับภาคเอกชน (บริษัท ตัวอย่าง จำกัด) ไม่มีข้อตกลง")
    assert failure["citation"]["source"] == "MOI-2024"
    assert failure["citation"]["clause"] == "ข้อ 3 (item 3)"


def test_defunct_body_finding_names_the_body_to_use(client: TestClient) -> None:
    example = json.loads((EXAMPLES / "defunct-national-committee.json").read_text("utf-8"))
    verdict = client.post("/v1/precheck", json=example).json()
    (failure,) = [f for f in verdict["findings"] if f["outcome"] == "fail"]
    english = failure["message"]["en"]
    # The letters give no day for the lapse: the message says so, with the latest date it can be.
    assert english.startswith(
        "The National CCTV integration committee lapsed when the previous government left office "
        "(the letters give no day; by 2023-09-05 at the latest)"
    )
    assert english.endswith(
        "submit to the Provincial committee for the administration and procurement of computer "
        "systems of MOI agencies of Samut Prakan instead."
    )
    assert failure["citation"]["source"] == "OPM-2024"


def test_the_chain_example_names_both_bodies_in_order(client: TestClient) -> None:
    example = json.loads((EXAMPLES / "samut-prakan-above-threshold-chain.json").read_text("utf-8"))
    route = client.post("/v1/precheck", json=example).json()["route"]
    assert [(s["body"], s.get("province"), s["role"], s["rule"]) for s in route["steps"]] == [
        ("provincial_committee", "TH-11", "endorsement", "R-CCTV-3"),
        ("moi_committee", None, "approval", "R-AUTH-2"),
    ]
    assert [s["citation"]["source"] for s in route["steps"]] == ["SPK-2024", "MOI-MEMO-2010"]
