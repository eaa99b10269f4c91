"""The API's edge cases answered through an OPA server, and the same as on the embedded engine.

The server is OPA_URL when set (a real OPA: `docker compose up opa`, then
`OPA_URL=http://127.0.0.1:8181 make test`), else the test server in
tests/support/opa_rest_server.py: OPA's REST API in front of OPA's own engine.
Either way the client, the answer shapes and OPA's semantics are exercised
over HTTP.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.core.settings import Settings

from tests.support.api_checks import assert_case, post_case
from tests.support.cases import CASES, Case
from tests.support.opa_rest_server import opa_rest_server

pytestmark = [pytest.mark.opa]


@pytest.fixture(scope="module")
def opa_url(settings: Settings) -> Iterator[str]:
    if os.environ.get("OPA_URL"):
        yield os.environ["OPA_URL"]
        return
    with opa_rest_server(settings.policy_dir) as url:
        yield url


STAMPS = ("decision_id", "evaluated_at", "engine")


@pytest.fixture(scope="module")
def opa_client(settings: Settings, opa_url: str) -> Iterator[TestClient]:
    opa_settings = settings.model_copy(update={"opa_url": opa_url})
    with TestClient(create_app(opa_settings)) as client:
        yield client


def test_the_engine_is_opa(opa_client: TestClient) -> None:
    ready = opa_client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["engine"].startswith("opa ")
    assert not ready["engine"].endswith("(embedded)")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rulebook_edge_cases_on_opa(opa_client: TestClient, case: Case) -> None:
    assert_case(post_case(opa_client, case), case)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_opa_server_and_the_embedded_engine_give_the_same_verdict(
    opa_client: TestClient, client: TestClient, case: Case
) -> None:
    def unstamped(response: Any) -> dict[str, Any]:
        return {k: v for k, v in response.json().items() if k not in STAMPS}

    assert unstamped(post_case(opa_client, case)) == unstamped(post_case(client, case))
