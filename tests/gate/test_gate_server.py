"""`ictgate check --server URL`: the embedded engine's verdicts, HTTP answers mapped to exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from ictgate.core.errors import (
    EngineBadResult,
    EngineError,
    EngineTimeout,
    EngineUnavailable,
    InputError,
    MalformedInput,
    PayloadTooLarge,
    SchemaViolation,
)
from ictgate.core.settings import REPO_ROOT
from ictgate.gate import ServerEvaluator
from ictgate.gate.documents import Source
from ictgate.gate.evaluators import json_text

from tests.support.agency import FAIL_DATA_CENTRE, INVALID_SCHOOL_WIFI, copy_repo, run_check
from tests.support.helpers import free_port


def _comparable(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-file results without what differs on every call (decision id, time, engine)."""
    files = []
    for item in report["files"]:
        item = dict(item)
        if "verdict" in item:
            item["verdict"] = {
                k: v for k, v in item["verdict"].items() if k not in ("decision_id", "evaluated_at", "engine")
            }
        files.append(item)
    return files


def test_the_server_gives_the_same_reports_as_the_embedded_engine(server: str, tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    local = run_check(repo, ["proposals", "--format", "json"])
    remote = run_check(repo, ["proposals", "--format", "json", "--server", server])
    assert (local.code, remote.code) == (2, 2)
    local_report, remote_report = json.loads(local.stdout), json.loads(remote.stdout)
    assert _comparable(remote_report) == _comparable(local_report)
    assert remote_report["evaluator"] == f"ictgate service at {server}"
    # The schema errors come from the service's 422 and keep their lines.
    assert remote_report["files"][3]["file"] == INVALID_SCHOOL_WIFI
    assert [(e["pointer"], e["line"]) for e in remote_report["files"][3]["error"]["errors"]] == [
        ("/project/budget_thb", 12),
        ("/project/standard_prices", 9),
    ]


def test_as_of_reaches_the_server(server: str, tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    outcome = run_check(
        repo, [FAIL_DATA_CENTRE, "--format", "json", "--server", server, "--as-of", "2009-06-01"]
    )
    assert outcome.code == 0
    [item] = json.loads(outcome.stdout)["files"]
    assert (item["verdict"]["verdict"], item["verdict"]["as_of"]) == ("not_applicable", "2009-06-01")


def test_a_server_that_does_not_answer_exits_2(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    outcome = run_check(repo, [FAIL_DATA_CENTRE, INVALID_SCHOOL_WIFI, "--server", url, "--format", "json"])
    assert outcome.code == 2
    assert (
        f"ictgate: policy engine could not answer (engine_unavailable): cannot reach {url}" in outcome.stderr
    )
    states = [(item["state"], item["error"]["code"]) for item in json.loads(outcome.stdout)["files"]]
    assert states == [("error", "engine_unavailable"), ("error", "not_checked")]


def test_server_must_be_an_http_url(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_check(REPO_ROOT, ["examples/proposals", "--server", "localhost:8000"])
    assert stopped.value.code == 2


def _source(document: Any = None, name: str = "p.yaml", raw: bytes = b"") -> Source:
    return Source(Path(name), raw, document if document is not None else {"a": 1})


def _answer(
    handler: Callable[[httpx.Request], httpx.Response], source: Source | None = None
) -> dict[str, Any]:
    evaluator = ServerEvaluator("http://ictgate.test", transport=httpx.MockTransport(handler))
    try:
        return evaluator.precheck(source or _source(), "2025-01-01")
    finally:
        evaluator.close()


def _problem(status: int, code: str, **extra: Any) -> Callable[[httpx.Request], httpx.Response]:
    body = {"type": f"urn:ictgate:problem:{code}", "status": status, "code": code, "detail": f"{code} detail"}
    return lambda request: httpx.Response(
        status, json={**body, **extra}, headers={"content-type": "application/problem+json"}
    )


def test_a_422_becomes_a_schema_violation_with_its_fields() -> None:
    errors = [
        {
            "pointer": "/project/budget_thb",
            "message": "12.345 has more than two decimals",
            "keyword": "multipleOf",
        },
        {"parameter": "as_of", "message": "'x' is not a date (YYYY-MM-DD)", "keyword": "format"},
    ]
    with pytest.raises(SchemaViolation) as caught:
        _answer(_problem(422, "schema_violation", errors=errors))
    assert caught.value.detail == "schema_violation detail"
    assert [item.as_dict() for item in caught.value.errors] == errors


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (400, "malformed_json", MalformedInput),
        (413, "payload_too_large", PayloadTooLarge),
        (400, "something_new", InputError),
    ],
)
def test_other_input_problems_keep_their_code(status: int, code: str, error: type[InputError]) -> None:
    with pytest.raises(error) as caught:
        _answer(_problem(status, code))
    assert (caught.value.code, caught.value.detail) == (code, f"{code} detail")


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (503, "engine_unavailable", EngineUnavailable),
        (503, "engine_timeout", EngineTimeout),
        (503, "engine_bad_result", EngineBadResult),
        (500, "internal_error", EngineUnavailable),
        (404, "not_found", EngineUnavailable),  # a wrong URL is not a problem of the file
        (401, "unauthorized", EngineUnavailable),
    ],
)
def test_server_side_failures_are_engine_errors(status: int, code: str, error: type[EngineError]) -> None:
    with pytest.raises(error) as caught:
        _answer(_problem(status, code))
    assert caught.value.code == error.code
    assert (
        caught.value.detail
        == f"POST http://ictgate.test/v1/precheck?as_of=2025-01-01 answered {status}: {code} detail"
    )


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>proxy login</html>"),
        httpx.Response(200, json={"verdict": "maybe", "findings": []}),
        httpx.Response(200, json=["pass"]),
    ],
)
def test_a_200_without_a_verdict_is_never_a_pass(response: httpx.Response) -> None:
    with pytest.raises(EngineBadResult):
        _answer(lambda request: response)


def test_a_timeout_is_an_engine_timeout() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(EngineTimeout):
        _answer(slow)


def test_json_files_are_sent_as_they_are_and_yaml_with_exact_numbers() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"verdict": "pass", "findings": []})

    raw = b'{"budget_thb": 1000.10, "note": "\\u0e17"}'
    _answer(record, _source({"ignored": True}, "p.json", raw))
    document = {
        "budget_thb": Decimal("1000000000000000000.07"),
        "ok": True,
        "none": None,
        "list": [Decimal("1E+3")],
    }
    _answer(record, _source(document, "p.yaml"))
    assert sent[0].content == raw
    assert sent[1].content == b'{"budget_thb":1000000000000000000.07,"ok":true,"none":null,"list":[1E+3]}'
    assert sent[1].headers["content-type"] == "application/json"
    assert sent[1].url.params["as_of"] == "2025-01-01"


def test_json_text_refuses_what_json_cannot_carry() -> None:
    assert json_text({"ชื่อ": "เทศบาล", 1: [True]}) == '{"ชื่อ":"เทศบาล","1":[true]}'
    with pytest.raises(MalformedInput):
        json_text({"a": b"bytes"})
