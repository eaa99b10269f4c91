"""Security review, round two: no request can stall a worker, and a client's mistake is a 4xx.

Items 1 (body limits on the bytes read), 2 (no parser on the event loop, no
quadratic depth check), 3 (bounded schema errors) and 8 (client errors that
were 5xx), each reproduced through the API with a bounded input and a bounded
outcome: an exact status and code, and CPU time (``time.process_time``).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from ictgate.api import create_app
from ictgate.audit.decisionlog import open_decision_log
from ictgate.core import validation
from ictgate.core.bodylimit import BodyLimit
from ictgate.core.settings import Settings
from ictgate.core.validation import MAX_REPORTED_ERRORS
from ictgate.prechecker import Prechecker
from starlette.types import Message

from tests.support.cases import CCTV_BLOCK, submission
from tests.support.fuzz_budget import budget
from tests.support.helpers import ROOT, load_json

LIMIT = 1_048_576
JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
ORDER = ROOT / "schemas/examples/committee_order/valid/nakhon-ratchasima-2010.json"


@pytest.fixture
def logged(tmp_path: Path, settings: Settings, prechecker: Prechecker) -> Iterator[TestClient]:
    """Development mode (every route open), with a decision log of its own: history is looked up."""
    own = settings.model_copy(update={"decision_log": tmp_path / "decisions.sqlite3"})
    log = open_decision_log(own)
    checker = Prechecker(prechecker.bundle, prechecker.engine, prechecker.schemas, log)
    yield TestClient(create_app(own, checker), raise_server_exceptions=False)
    log.close()


def problem_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


# --- item 1: every body limit is on the bytes actually read ---------------------------------------------


def _chunks(count: int, size: int = 65_536) -> Iterator[bytes]:
    for _ in range(count):
        yield b"a" * size


async def _through_limit(limit: int, chunks: int) -> tuple[int, list[Message], int]:
    """Runs BodyLimit around an app that reads the whole body; counts the chunks it was given."""
    given_chunks = 0
    sent: list[Message] = []
    source = _chunks(chunks)

    async def receive() -> Message:
        nonlocal given_chunks
        chunk = next(source, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        given_chunks += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    async def app(scope: Any, receive_: Any, send_: Any) -> None:
        while True:  # a parser that keeps everything: what python-multipart's urlencoded parser did
            message = await receive_()
            if not message.get("more_body"):
                break
        await send_({"type": "http.response.start", "status": 200, "headers": []})
        await send_({"type": "http.response.body", "body": b"read it all"})

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/login",
        "headers": [(b"transfer-encoding", b"chunked")],
    }
    await BodyLimit(app, limit)(scope, receive, send)
    return given_chunks, sent, int(sent[0]["status"])


def test_fixed_a_chunked_body_is_cut_off_at_the_limit() -> None:
    """Was: 1,000 fields of 1 MB, chunked, to /login took a worker from 468 MB to 1,471 MB."""
    started = time.process_time()
    given_chunks, sent, status = asyncio.run(_through_limit(LIMIT, chunks=16_000))  # 1 GB offered
    assert status == 413
    assert given_chunks == LIMIT // 65_536 + 1  # one chunk past the limit, then nothing more is read
    assert json.loads(sent[1]["body"])["code"] == "payload_too_large"
    assert time.process_time() - started < 0.5


def test_fixed_chunked_forms_over_the_limit_are_413_before_the_csrf_check(logged: TestClient) -> None:
    fields = "&".join(f"f{n}=" + "x" * 60_000 for n in range(30))  # 1.8 MB of urlencoded fields, no token
    answer = logged.post("/login", content=iter([fields.encode()]), headers=FORM)
    body = problem_of(answer, 413, "payload_too_large")
    assert "1048576" in body["detail"]


@pytest.mark.parametrize("path", ["/v1/precheck", "/v1/committees/check"])
def test_chunked_json_over_the_limit_is_413(logged: TestClient, path: str) -> None:
    big = json.dumps({**submission(), "padding": "x" * (LIMIT + 10)}).encode()
    problem_of(
        logged.post(path, content=iter([big[:500_000], big[500_000:]]), headers=JSON),
        413,
        "payload_too_large",
    )


def test_a_declared_length_over_the_limit_is_refused_before_reading(logged: TestClient) -> None:
    answer = logged.post("/login", content=b"x" * (LIMIT + 1), headers=FORM)
    problem_of(answer, 413, "payload_too_large")


def test_multipart_forms_take_one_file_at_most(logged: TestClient) -> None:
    page = logged.get("/committee")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    files = [("file", (f"order{n}.yaml", b"a: 1\n", "application/yaml")) for n in range(3)]
    answer = logged.post("/committee", data={"csrf_token": token}, files=files)
    assert answer.status_code == 400


# --- item 2: no parser on the event loop, and a linear depth check ----------------------------------------

STALL = '"' + '\\"' * 24_000  # 48 KB that took 8 s on the event loop


@pytest.mark.parametrize("path", ["/v1/precheck", "/v1/committees/check"])
def test_fixed_the_48_kb_stall_is_a_quick_400(logged: TestClient, path: str) -> None:
    started = time.process_time()
    problem_of(logged.post(path, content=STALL.encode(), headers=JSON), 400, "malformed_json")
    assert time.process_time() - started < 1.0


def test_fixed_the_48_kb_stall_pasted_on_the_committee_page_is_a_quick_400(logged: TestClient) -> None:
    page = logged.get("/committee")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    started = time.process_time()
    answer = logged.post("/committee", data={"csrf_token": token, "document": "{" + STALL})
    assert answer.status_code == 400
    assert time.process_time() - started < 1.0


def test_json_bodies_are_parsed_off_the_event_loop(
    logged: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    where: list[bool] = []
    parse = validation.parse_json

    def watched(raw: Any, max_depth: int = 32) -> Any:
        try:
            asyncio.get_running_loop()
            where.append(True)
        except RuntimeError:
            where.append(False)
        return parse(raw, max_depth)

    monkeypatch.setattr("ictgate.api.body.parse_json", watched)
    assert logged.post("/v1/precheck", json=submission()).status_code == 200
    assert where == [False], "the body was parsed on the event loop"


# --- item 3: schema errors are bounded --------------------------------------------------------------------


def test_fixed_100k_integers_answer_a_small_422(logged: TestClient) -> None:
    body = json.dumps(
        submission(project={"category": "cctv"}, cctv={**CCTV_BLOCK, "purposes": list(range(100_000))})
    )
    started = time.process_time()
    answer = logged.post("/v1/precheck", content=body.encode(), headers=JSON)
    assert time.process_time() - started < 2.0
    problem = problem_of(answer, 422, "schema_violation")
    assert len(answer.content) < 10_000
    assert [e["pointer"] for e in problem["errors"]] == ["/cctv/purposes"]


def test_many_errors_answer_the_first_50_and_the_total(logged: TestClient) -> None:
    rows = [{"recipient_type": 5, "recipient": 3, "purpose": 4} for _ in range(100)]
    answer = logged.post(
        "/v1/precheck", json=submission(project={"category": "cctv"}, cctv={**CCTV_BLOCK, "sharing": rows})
    )
    problem = problem_of(answer, 422, "schema_violation")
    assert len(problem["errors"]) == MAX_REPORTED_ERRORS
    assert problem["errors_total"] > MAX_REPORTED_ERRORS
    assert problem["detail"].endswith(f"the first {MAX_REPORTED_ERRORS} are listed")


# --- item 8: a client's mistake is a 4xx ------------------------------------------------------------------


def test_fixed_a_budget_of_1e400_is_422(logged: TestClient) -> None:
    """Was 500: decimal.InvalidOperation in multipleOf."""
    body = json.dumps(submission()).replace("3000000", "1e400")
    problem = problem_of(
        logged.post("/v1/precheck", content=body.encode(), headers=JSON), 422, "schema_violation"
    )
    assert [e["pointer"] for e in problem["errors"]] == ["/project/budget_thb"]


def _with_surrogate(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=True).replace('"name": "', '"name": "\\ud800', 1).encode()


def test_fixed_a_lone_surrogate_with_a_system_id_is_422(logged: TestClient) -> None:
    """Was 500: the SQLite history query could not encode the agency name."""
    body = _with_surrogate(submission(project={"system_id": "korat-gis", "fiscal_year": 2568}))
    problem = problem_of(logged.post("/v1/precheck", content=body, headers=JSON), 422, "schema_violation")
    assert [(e["pointer"], e["keyword"]) for e in problem["errors"]] == [("/agency/name", "text")]


def test_fixed_a_lone_surrogate_without_a_system_id_is_422(logged: TestClient) -> None:
    """Was 503 engine_bad_result: without system_id no history is looked up, and the engine
    could not encode the name as UTF-8. The fix is the same refusal, before the engine."""
    body = _with_surrogate(submission())
    problem = problem_of(logged.post("/v1/precheck", content=body, headers=JSON), 422, "schema_violation")
    assert [e["pointer"] for e in problem["errors"]] == ["/agency/name"]


def test_a_lone_surrogate_in_a_committee_order_is_422(logged: TestClient) -> None:
    body = _with_surrogate(load_json(ORDER))
    problem_of(logged.post("/v1/committees/check", content=body, headers=JSON), 422, "schema_violation")


# A client's mistakes, as values: huge and tiny numbers, lone surrogates, odd text, wrong types.
MISTAKES = st.one_of(
    st.sampled_from(
        ["1e400", "-1e400", "1e-400", "123456789012345678901234567890.123", "0.001", "1E+999999999"]
    ),
    st.sampled_from(['"\\ud800"', '"a\\udfffb"', '"\\u0000"', "null", "true", "[]", "{}", '""']),
    st.text(max_size=20).map(json.dumps),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
PLACES = [
    ("precheck", ("agency", "name")),
    ("precheck", ("project", "budget_thb")),
    ("precheck", ("project", "system_id")),
    ("precheck", ("project", "fiscal_year")),
    ("precheck", ("submitted_on",)),
    ("order", ("province",)),
    ("order", ("members", 0, "name")),
]
# Raw in the query string: %ED%A0%80 is a lone surrogate encoded as UTF-8 would (invalid UTF-8).
QUERY_MISTAKES = st.sampled_from(
    ["%ED%A0%80", "%FF", "%00", "1e400", "", "x" * 300, "9" * 30, "-1", "%5B%5D"]
)


def _placed(kind: str, where: tuple[str | int, ...], raw: str) -> bytes:
    document: Any = (
        submission(project={"system_id": "korat-gis", "fiscal_year": 2568})
        if kind == "precheck"
        else load_json(ORDER)
    )
    node = document
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = "__MISTAKE__"
    return json.dumps(document, ensure_ascii=True).replace('"__MISTAKE__"', raw).encode()


@given(place=st.sampled_from(PLACES), raw=MISTAKES)
@budget(60, HealthCheck.function_scoped_fixture, HealthCheck.too_slow)
def test_client_mistakes_are_never_5xx_on_the_json_routes(logged: TestClient, place: Any, raw: str) -> None:
    kind, where = place
    path = "/v1/precheck" if kind == "precheck" else "/v1/committees/check?as_of=2025-01-15"
    answer = logged.post(path, content=_placed(kind, where, raw), headers=JSON)
    assert answer.status_code < 500, answer.text[:300]


@given(
    value=QUERY_MISTAKES, which=st.sampled_from(["as_of", "category", "province", "agency", "page", "rule"])
)
@budget(40, HealthCheck.function_scoped_fixture, HealthCheck.too_slow)
def test_client_mistakes_are_never_5xx_in_query_parameters(
    logged: TestClient, value: str, which: str
) -> None:
    for method, path in [
        ("POST", "/v1/precheck"),
        ("POST", "/v1/committees/check"),
        ("GET", "/v1/decisions"),
        ("GET", "/v1/reports/semiannual"),
        ("GET", "/v1/rules"),
        ("GET", "/audit/decisions"),
        ("GET", "/audit/report"),
    ]:
        content = json.dumps(submission()).encode() if method == "POST" else None
        answer = logged.request(method, f"{path}?{which}={value}", content=content, headers=JSON)
        assert answer.status_code < 500, (method, path, which, answer.text[:300])
    assert logged.get(f"/v1/decisions/{value or 'x'}").status_code < 500
    assert logged.get(f"/audit/decisions/{value or 'x'}").status_code < 500


@given(
    raw=MISTAKES,
    field=st.sampled_from(["/agency/name", "/project/budget_thb", "/project/fiscal_year", "/submitted_on"]),
)
@budget(40, HealthCheck.function_scoped_fixture, HealthCheck.too_slow)
def test_client_mistakes_are_never_5xx_on_the_pages(logged: TestClient, raw: str, field: str) -> None:
    page = logged.get("/precheck")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    text = raw.strip('"')
    fields = {"csrf_token": token, "/agency/name": "ก", "/agency/kind": "pao", "/agency/province": "TH-30",
              "/project/title": "t", "/project/category": "computer_system", "/project/budget_thb": "1000",
              "/project/standard_prices": "true", "/submitted_on": "2025-01-15", field: text}  # fmt: skip
    assert logged.post("/precheck", data=fields).status_code < 500
    pasted = _placed("order", ("province",), raw).decode("ascii")
    assert logged.post("/committee", data={"csrf_token": token, "document": pasted}).status_code < 500
    assert logged.post("/login", data={"csrf_token": token, "api_key": text}).status_code < 500


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _cpu_seconds_of(pid: int) -> float:
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_fixed_a_served_worker_stays_small_under_a_chunked_form(tmp_path: Path) -> None:
    """The reviewer's reproduction on a real `ictgate serve`: chunked form fields sent to the open
    /login. Was: the worker grew by the size of the body (1 GB in, 1 GB more memory, kept)."""
    import socket

    from tests.support.helpers import start_server

    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "ICTGATE_DECISION_LOG": str(tmp_path / "decisions.sqlite3"),
        "ICTGATE_DEV_MODE": "true",
    }
    process, url = start_server(env, "--dev")
    try:
        before, cpu_before = _rss_kib(process.pid), _cpu_seconds_of(process.pid)
        host, port = url.removeprefix("http://").split(":")
        chunk = b"f=" + b"x" * 65_532 + b"&"  # a field of 64 KiB per chunk: each under the part limit
        sent = 0
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(
                b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            try:
                for _ in range(1024):  # 64 MiB offered
                    connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
                connection.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server stopped reading: what it should do
            answer = connection.recv(65_536)
        grown = _rss_kib(process.pid) - before
        cpu = _cpu_seconds_of(process.pid) - cpu_before
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"payload_too_large" in answer
    assert grown < 24 * 1024, f"the worker grew by {grown // 1024} MiB while {sent // 1048576} MiB were sent"
    assert cpu < 5.0, f"{cpu:.1f} s of CPU"
