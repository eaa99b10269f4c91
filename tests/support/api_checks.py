"""Assertions shared by the API tests on the embedded engine and on OPA."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.cases import Case


def post_case(client: Any, case: Case) -> httpx.Response:
    params = {"as_of": case.as_of} if case.as_of else {}
    return client.post("/v1/precheck", json=case.submission, params=params)  # type: ignore[no-any-return]


def assert_case(response: httpx.Response, case: Case) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    verdict: dict[str, Any] = response.json()
    assert verdict["verdict"] == case.verdict
    assert {(f["rule"], f["outcome"], f["field"]) for f in verdict["findings"]} == case.findings
    if case.body is None:
        assert "route" not in verdict
    else:
        assert verdict["route"]["body"] == case.body
        assert verdict["route"].get("province") == case.province
        # The last step is always the approving body; a one-body route is a one-step chain.
        steps = [(step["body"], step["role"]) for step in verdict["route"]["steps"]]
        assert steps == (case.steps or [(case.body, "approval")])
    assert [o["period"] for o in verdict["obligations"]] == case.periods
    assert verdict["as_of"] == (case.as_of or case.submission["submitted_on"])
    return verdict
