"""The same API tests against a real OPA server, whenever OPA_URL points at one.

docker compose up opa   # then: OPA_URL=http://127.0.0.1:8181 make test

No OPA binary can be installed on the build machines (no registry carries
one), so in CI this module is skipped and says so; it is never run against a
stand-in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.core.engines import EmbeddedEngine
from ictgate.core.settings import Settings

from .api_checks import assert_case, post_case
from .cases import CASES, Case

OPA_URL = os.environ.get("OPA_URL")

pytestmark = [
    pytest.mark.opa,
    pytest.mark.skipif(
        not OPA_URL,
        reason="OPA_URL is not set: no OPA server to test against (docker compose up opa; see README)",
    ),
]

STAMPS = ("decision_id", "evaluated_at", "engine")


@pytest.fixture(scope="module")
def opa_client(settings: Settings) -> Iterator[TestClient]:
    opa_settings = settings.model_copy(update={"opa_url": OPA_URL})
    with TestClient(create_app(opa_settings)) as client:
        yield client


def test_the_engine_is_opa(opa_client: TestClient) -> None:
    ready = opa_client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["engine"].startswith("opa")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_rulebook_edge_cases_on_opa(opa_client: TestClient, case: Case) -> None:
    assert_case(post_case(opa_client, case), case)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_opa_and_regorus_give_the_same_verdict(
    opa_client: TestClient, client: TestClient, embedded_engine: EmbeddedEngine, case: Case
) -> None:
    def unstamped(response: Any) -> dict[str, Any]:
        return {k: v for k, v in response.json().items() if k not in STAMPS}

    assert unstamped(post_case(opa_client, case)) == unstamped(post_case(client, case))
