"""The OPA client's paths, driven through httpx.MockTransport.

These tests check how this client reads OPA's REST Data API answers and
failures; they do not stand in for OPA. The verdicts themselves are tested on
a real OPA in test_api_opa.py whenever OPA_URL is set.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from ictgate.core.engines import OpaEngine
from ictgate.core.errors import EngineBadResult, EngineTimeout, EngineUnavailable

Handler = Callable[[httpx.Request], httpx.Response]


def _engine(handler: Handler) -> OpaEngine:
    return OpaEngine("http://opa.test:8181/", timeout=0.5, transport=httpx.MockTransport(handler))


def test_posts_the_input_to_the_data_api_and_returns_the_result() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"result": {"verdict": "pass"}})

    assert _engine(handler).evaluate("ictgate/precheck/main/verdict", {"submission": {"a": 1}}) == {
        "verdict": "pass"
    }
    assert seen[0].method == "POST"
    assert str(seen[0].url) == "http://opa.test:8181/v1/data/ictgate/precheck/main/verdict"
    assert json.loads(seen[0].content) == {"input": {"submission": {"a": 1}}}


def test_undefined_result_is_an_error_not_an_empty_verdict() -> None:
    engine = _engine(lambda request: httpx.Response(200, json={}))
    with pytest.raises(EngineBadResult, match="undefined"):
        engine.evaluate("ictgate/precheck/main/verdict", {})


def test_server_error_means_unavailable() -> None:
    engine = _engine(lambda request: httpx.Response(500, json={"code": "internal_error", "message": "boom"}))
    with pytest.raises(EngineUnavailable, match="HTTP 500: boom"):
        engine.evaluate("x", {})


def test_client_error_means_bad_result() -> None:
    engine = _engine(
        lambda request: httpx.Response(400, json={"code": "invalid_parameter", "message": "bad input"})
    )
    with pytest.raises(EngineBadResult, match="HTTP 400: bad input"):
        engine.evaluate("x", {})


def test_timeout_is_reported_as_timeout() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(EngineTimeout):
        _engine(handler).evaluate("x", {})


def test_connection_refused_is_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with pytest.raises(EngineUnavailable, match="cannot reach OPA"):
        _engine(handler).evaluate("x", {})


def test_non_json_answer_is_bad_result() -> None:
    engine = _engine(lambda request: httpx.Response(200, text="<html>proxy error</html>"))
    with pytest.raises(EngineBadResult, match="not JSON"):
        engine.evaluate("x", {})


def test_version_comes_from_the_server_runtime() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/query"
        return httpx.Response(200, json={"result": [{"bindings": {"v": "1.4.2"}}]})

    assert _engine(handler).description == "opa 1.4.2"


def test_version_is_optional() -> None:
    assert _engine(lambda request: httpx.Response(403, json={})).description == "opa"


def test_a_refused_connection_is_retried_a_bounded_number_of_times() -> None:
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.path)
        if len(attempts) < 3:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return httpx.Response(200, json={"result": {"verdict": "pass"}})

    engine = OpaEngine("http://opa.test:8181", transport=httpx.MockTransport(handler), retries=2, backoff=0)
    assert engine.evaluate("x", {}) == {"verdict": "pass"}
    assert len(attempts) == 3


def test_retries_give_up_and_report_unavailable() -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    engine = OpaEngine("http://opa.test:8181", transport=httpx.MockTransport(handler), retries=2, backoff=0)
    with pytest.raises(EngineUnavailable):
        engine.evaluate("x", {})
    assert len(attempts) == 3


def test_timeouts_and_error_answers_are_not_retried() -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        raise httpx.ReadTimeout("slow", request=request)

    engine = OpaEngine("http://opa.test:8181", transport=httpx.MockTransport(handler), retries=2, backoff=0)
    with pytest.raises(EngineTimeout):
        engine.evaluate("x", {})
    assert len(attempts) == 1
