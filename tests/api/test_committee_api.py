"""POST /v1/committees/check: the committee order against the rules of a date."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from unittest import mock

import pytest
from fastapi.testclient import TestClient
from ictgate.prechecker import today_in_thailand

from tests.support.helpers import ROOT, triples

ORDER_2024 = json.loads(
    (ROOT / "schemas/examples/committee_order/valid/samut-prakan-2024-amended.json").read_text()
)
ORDER_2010 = json.loads(
    (ROOT / "schemas/examples/committee_order/valid/nakhon-ratchasima-2010.json").read_text()
)

RULES_2010 = {
    ("R-COMP-1", "pass", "/members/0"),
    ("R-COMP-2", "pass", "/members/1"),
    ("R-COMP-3", "pass", "/members"),
    ("R-COMP-4", "pass", "/members/4"),
    ("R-COMP-5", "pass", "/members/5"),
    ("R-COMP-6", "pass", "/members/6"),
    ("R-COMP-7", "pass", "/members/8"),
    ("R-COMP-8", "pass", "/members/9"),
}


def _check(client: TestClient, order: Any, **params: str) -> dict[str, Any]:
    response = client.post("/v1/committees/check", json=order, params=params)
    assert response.status_code == 200, response.text
    verdict: dict[str, Any] = response.json()
    assert "route" not in verdict
    assert verdict["obligations"] == []
    return verdict


def test_complete_2010_order_checked_in_2015_passes(client: TestClient) -> None:
    verdict = _check(client, ORDER_2010, as_of="2015-06-01")
    assert verdict["verdict"] == "pass"
    assert triples(verdict) == RULES_2010


def test_complete_2010_order_checked_in_2025_warns_for_computer_systems(client: TestClient) -> None:
    verdict = _check(client, ORDER_2010, as_of="2025-06-01")
    assert verdict["verdict"] == "pass"
    assert triples(verdict) == RULES_2010 | {
        ("R-COMP-10", "warn", "/members/2/expertise"),
        ("R-COMP-10", "warn", "/members/3/expertise"),
        ("R-COMP-11", "warn", "/members"),
        ("R-COMP-12", "warn", "/powers"),
        ("R-COMP-13", "warn", ""),
    }


def test_complete_2010_order_fails_for_cctv_projects_after_the_2024_letter(client: TestClient) -> None:
    verdict = _check(client, ORDER_2010, as_of="2024-05-31", category="cctv")
    assert verdict["verdict"] == "fail"
    assert ("R-COMP-13", "fail", "") in triples(verdict)
    thirteen = next(f for f in verdict["findings"] if f["rule"] == "R-COMP-13")
    assert thirteen["message"]["en"].startswith(
        "The order is not amended after the 2024 letter (R-COMP-10, R-COMP-11"
    )
    assert thirteen["citation"]["source"] == "MOI-2024"
    assert thirteen["citation"]["interpretation"] is True


def test_the_day_before_the_2024_letter_only_the_2010_rules_apply(client: TestClient) -> None:
    verdict = _check(client, ORDER_2010, as_of="2024-05-30", category="cctv")
    assert verdict["verdict"] == "pass"
    assert triples(verdict) == RULES_2010


def test_complete_2024_order_passes_for_cctv(client: TestClient) -> None:
    verdict = _check(client, ORDER_2024, as_of="2025-01-15", category="cctv")
    assert verdict["verdict"] == "pass"
    assert {f["outcome"] for f in verdict["findings"]} == {"pass"}
    assert len(verdict["findings"]) == 12


def test_chon_buri_without_pattaya_fails(client: TestClient) -> None:
    order = copy.deepcopy(ORDER_2010) | {"province": "TH-20"}
    verdict = _check(client, order, as_of="2015-06-01")
    assert verdict["verdict"] == "fail"
    assert ("R-COMP-9", "fail", "/members") in triples(verdict)


def test_bangkok_has_no_provincial_committee(client: TestClient) -> None:
    verdict = _check(client, copy.deepcopy(ORDER_2010) | {"province": "TH-10"}, as_of="2015-06-01")
    assert verdict["verdict"] == "fail"
    assert ("R-COMP-9", "fail", "/province") in triples(verdict)


def test_duplicate_chair_is_a_finding_not_a_crash(client: TestClient) -> None:
    order = copy.deepcopy(ORDER_2024)
    order["members"].append({"position": "provincial_governor", "role": "chair"})
    verdict = _check(client, order, as_of="2025-01-15")
    assert verdict["verdict"] == "fail"
    assert ("R-COMP-1", "fail", "/members/10") in triples(verdict)


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda o: o["members"][4].update(position="mayor"), "/members/4/position"),
        (lambda o: o.update(members=[]), "/members"),
        (lambda o: o["members"][2].update(expertise=["astrology"]), "/members/2/expertise/0"),
    ],
    ids=["unknown position", "empty members", "expert with an unknown field"],
)
def test_bad_orders_are_422_naming_the_field(client: TestClient, change: Any, pointer: str) -> None:
    order = copy.deepcopy(ORDER_2024)
    change(order)
    response = client.post("/v1/committees/check", json=order)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


def test_unknown_category_is_422(client: TestClient) -> None:
    response = client.post("/v1/committees/check", json=ORDER_2024, params={"category": "furniture"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "category"


def test_as_of_defaults_to_today_in_thailand(client: TestClient) -> None:
    verdict = _check(client, ORDER_2024)
    assert verdict["as_of"] == today_in_thailand()


def test_today_in_thailand_is_utc_plus_seven() -> None:
    late_evening_utc = dt.datetime(2025, 3, 31, 18, 30, tzinfo=dt.UTC)
    with mock.patch("ictgate.prechecker.dt.datetime") as clock:
        clock.now.side_effect = lambda tz: late_evening_utc.astimezone(tz)
        assert today_in_thailand() == "2025-04-01"


def test_committee_check_is_in_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/committees/check"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CommitteeOrder"
    }
    assert "CommitteeOrder_member" in spec["components"]["schemas"]


def test_an_expert_with_no_stated_field_is_a_finding_not_a_shape_error(client: TestClient) -> None:
    # The schema checks shape; whether an expert's declared fields meet MOI-2024 item 1 is a fact.
    order = copy.deepcopy(ORDER_2024)
    expert = next(i for i, member in enumerate(order["members"]) if member["position"] == "expert")
    order["members"][expert]["expertise"] = []
    verdict = _check(client, order, as_of="2025-01-15", category="cctv")
    assert verdict["verdict"] == "fail"
    assert [(f["rule"], f["outcome"]) for f in verdict["findings"] if f["outcome"] != "pass"] == [
        ("R-COMP-10", "fail"),
        ("R-COMP-13", "fail"),
    ]
