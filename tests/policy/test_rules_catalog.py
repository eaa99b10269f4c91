"""GET /v1/rules and docs/rules.md: the catalog an auditor reads."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.support.helpers import ROOT
from tools import gen_rules_doc

CATALOG = json.loads((ROOT / "policies/rulebook/catalog/data.json").read_text("utf-8"))["rules"]


def test_rules_endpoint_lists_every_rule_in_rulebook_order(client: TestClient) -> None:
    body = client.get("/v1/rules").json()
    ids = [rule["id"] for rule in body["rules"]]
    assert sorted(ids) == sorted(CATALOG)
    assert ids[:3] == ["R-AUTH-1", "R-AUTH-2", "R-AUTH-3"]
    assert ids[-1] == "R-RES-7"
    assert body["policy"]["digest"].startswith("sha256:")


def test_a_rule_carries_titles_messages_citation_and_dates(client: TestClient) -> None:
    rule = client.get("/v1/rules/R-DATA-3").json()
    assert (
        rule["title"]["en"]
        == "Sharing with the private sector needs an agreement approved by the provincial committee"
    )
    assert rule["severity"] == "error"
    assert rule["in_force"] == {"from": "2024-05-31"}
    assert rule["citation"]["source"] == "MOI-2024"
    assert rule["citation"]["date"] == "2024-05-31"
    assert set(rule["messages"]) == {
        "ok",
        "missing_agreement",
        "wrong_approver",
        "approved_later",
        "approver_lapsed",
    }
    assert all(m["th"] and m["en"] for m in rule["messages"].values())


def test_rules_can_be_filtered_by_family(client: TestClient) -> None:
    ids = [rule["id"] for rule in client.get("/v1/rules", params={"family": "committee"}).json()["rules"]]
    assert ids == [f"R-COMP-{n}" for n in range(1, 14)]


def test_unknown_rule_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/rules/R-AUTH-99")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_docs_rules_md_is_up_to_date() -> None:
    assert (ROOT / "docs/rules.md").read_text("utf-8") == gen_rules_doc.document(), (
        "run: python tools/gen_rules_doc.py"
    )


def test_every_rule_is_named_by_at_least_one_policy_test() -> None:
    document = gen_rules_doc.document()
    assert "(none name it directly" not in document
