"""The OPA client's paths, driven through httpx.MockTransport.

These tests check how this client reads OPA's REST Data API answers and
failures; they do not stand in for OPA. The same client against a server
that evaluates with OPA's own engine is tested at the end of this file and in
tests/engines/test_api_on_opa_server.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from ictgate.core.engines import OpaServerEngine, embedded_opa_version
from ictgate.core.errors import EngineBadResult, EngineTimeout, EngineUnavailable
from ictgate.core.settings import REPO_ROOT

from tests.support.cases import submission
from tests.support.opa_rest_server import opa_rest_server

Handler = Callable[[httpx.Request], httpx.Response]


def _engine(handler: Handler) -> OpaServerEngine:
    return OpaServerEngine("http://opa.test:8181/", timeout=0.5, transport=httpx.MockTransport(handler))


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
        # OPA's Query API: one object of variable bindings per row.
        return httpx.Response(200, json={"result": [{"v": "1.4.2"}]})

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

    engine = OpaServerEngine(
        "http://opa.test:8181", transport=httpx.MockTransport(handler), retries=2, backoff=0
    )
    assert engine.evaluate("x", {}) == {"verdict": "pass"}
    assert len(attempts) == 3


def test_retries_give_up_and_report_unavailable() -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    engine = OpaServerEngine(
        "http://opa.test:8181", transport=httpx.MockTransport(handler), retries=2, backoff=0
    )
    with pytest.raises(EngineUnavailable):
        engine.evaluate("x", {})
    assert len(attempts) == 3


def test_timeouts_and_error_answers_are_not_retried() -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        raise httpx.ReadTimeout("slow", request=request)

    engine = OpaServerEngine(
        "http://opa.test:8181", transport=httpx.MockTransport(handler), retries=2, backoff=0
    )
    with pytest.raises(EngineTimeout):
        engine.evaluate("x", {})
    assert len(attempts) == 1


def test_a_server_that_drips_its_answer_is_cut_off_at_the_deadline() -> None:
    # Each piece arrives well within a per-read timeout; only a total deadline stops it. The
    # whole answer takes 5 x 0.15 s, the deadline is 0.3 s: the client gives up before the last
    # piece is sent (counted, not timed: speed is for benchmarks, not for assertions).
    sent: list[bytes] = []

    def drip() -> Iterator[bytes]:
        for piece in ('{"result": ', '{"verdict": ', '"pass"', "}", "}"):
            time.sleep(0.15)
            sent.append(piece.encode())
            yield piece.encode()

    engine = OpaServerEngine(
        "http://opa.test:8181",
        timeout=0.3,
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=drip())),
    )
    with pytest.raises(EngineTimeout):
        engine.evaluate("x", {})
    assert len(sent) < 5


def test_a_quick_answer_in_pieces_is_read_whole() -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"result": {"verdict": '
        yield b'"fail"}}'

    engine = _engine(lambda request: httpx.Response(200, content=pieces()))
    assert engine.evaluate("x", {}) == {"verdict": "fail"}


# The client against a server with OPA's REST API and OPA's own engine (tests/support/opa_rest_server.py).


@pytest.fixture(scope="module")
def opa_url() -> Iterator[str]:
    with opa_rest_server(REPO_ROOT / "policies") as url:
        yield url


def test_a_real_opa_answers_the_verdict_and_its_version(opa_url: str) -> None:
    engine = OpaServerEngine(opa_url)
    try:
        verdict = engine.evaluate("ictgate/precheck/main/verdict", {"submission": submission()})
        assert (verdict["verdict"], verdict["route"]["body"]) == ("pass", "provincial_committee")
        assert engine.description == f"opa {embedded_opa_version()}"
    finally:
        engine.close()


def test_a_real_opa_undefined_document_is_no_answer(opa_url: str) -> None:
    engine = OpaServerEngine(opa_url)
    try:
        with pytest.raises(EngineBadResult, match="undefined"):
            engine.evaluate("ictgate/precheck/main/no_such_rule", {"submission": submission()})
    finally:
        engine.close()


def test_a_real_opa_that_stops_is_unavailable() -> None:
    with opa_rest_server(REPO_ROOT / "policies") as url:
        pass
    engine = OpaServerEngine(url, retries=1, backoff=0)
    try:
        with pytest.raises(EngineUnavailable, match="cannot reach OPA"):
            engine.evaluate("ictgate/precheck/main/verdict", {"submission": submission()})
    finally:
        engine.close()
