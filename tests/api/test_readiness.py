"""Security review, round two, items 5 and 9: /readyz checks what a verdict needs, within one deadline.

Ready means: the engine gives a full, schema-valid verdict for a sample
proposal, and the decision log takes a write; both within the engine deadline
(``engine_timeout_seconds``), however the dependency fails: an answer that is
partial, an error, a database that is down, or no answer at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.audit.decisionlog import DecisionLog, open_decision_log
from ictgate.core.errors import DecisionLogUnavailable
from ictgate.core.settings import Settings
from ictgate.prechecker import Prechecker

from tests.support.throwaway_postgres import find_bindir
from tests.support.throwaway_postgres import start as start_postgres

DEADLINE = 0.5


class _Engine:
    """An engine that answers ``answer``, or sleeps ``delay`` seconds first."""

    description = "test engine"

    def __init__(self, answer: Any, delay: float = 0.0) -> None:
        self.answer = answer
        self.delay = delay
        self.released = threading.Event()
        self.calls = 0

    def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        self.calls += 1
        if self.delay:
            self.released.wait(self.delay)
        return self.answer

    def close(self) -> None:
        self.released.set()


class _UnwritableLog:
    """A real log whose writes fail as a full disk or a read-only file makes them fail."""

    def __init__(self, log: DecisionLog, delay: float = 0.0) -> None:
        self._log = log
        self.delay = delay
        self.description = log.description

    def check_writable(self) -> None:
        if self.delay:
            time.sleep(self.delay)
        raise DecisionLogUnavailable(
            f"the decision log ({self.description}) could not take a write: disk full"
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._log, name)


@pytest.fixture
def fast(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(
        update={"engine_timeout_seconds": DEADLINE, "decision_log": tmp_path / "decisions.sqlite3"}
    )


def _client(settings: Settings, checker: Prechecker) -> TestClient:
    return TestClient(create_app(settings, checker), raise_server_exceptions=False)


def _full_verdict(prechecker: Prechecker) -> dict[str, Any]:
    from ictgate.api.readiness import READINESS_PROBE
    from ictgate.core.policy import PRECHECK_QUERY

    answer: dict[str, Any] = prechecker.engine.evaluate(PRECHECK_QUERY, READINESS_PROBE)
    return answer


def test_ready_means_a_valid_verdict_and_a_writable_log(fast: Settings, prechecker: Prechecker) -> None:
    log = open_decision_log(fast)
    try:
        checker = Prechecker(prechecker.bundle, prechecker.engine, prechecker.schemas, log)
        answer = _client(fast, checker).get("/readyz")
        assert answer.status_code == 200, answer.text
        assert answer.json()["checks"] == {"policy engine": "ok", "decision log": "ok"}
        assert answer.json()["decision_log"] == log.description
    finally:
        log.close()


def test_fixed_a_partial_verdict_is_not_ready(fast: Settings, prechecker: Prechecker) -> None:
    """Was: /readyz said ready when OPA answered {"verdict": "pass"} and nothing else."""
    checker = Prechecker(prechecker.bundle, _Engine({"verdict": "pass"}), prechecker.schemas)
    answer = _client(fast, checker).get("/readyz")
    assert (answer.status_code, answer.json()["code"]) == (503, "not_ready")
    assert answer.json()["detail"].startswith("policy engine: the engine's answer is not a valid verdict")
    full = Prechecker(prechecker.bundle, _Engine(_full_verdict(prechecker)), prechecker.schemas)
    assert _client(fast, full).get("/readyz").status_code == 200


def test_fixed_a_log_that_takes_no_write_is_not_ready(fast: Settings, prechecker: Prechecker) -> None:
    """Was: /readyz said ready with the disk full, the file read-only or PostgreSQL down."""
    log = open_decision_log(fast)
    try:
        checker = Prechecker(prechecker.bundle, prechecker.engine, prechecker.schemas, _UnwritableLog(log))
        answer = _client(fast, checker).get("/readyz")
        assert (answer.status_code, answer.json()["code"]) == (503, "not_ready")
        assert answer.json()["detail"].startswith("decision log: the decision log (sqlite")
        assert answer.headers["retry-after"] == "5"
    finally:
        log.close()


def test_fixed_postgres_down_is_not_ready_within_the_deadline(fast: Settings, prechecker: Prechecker) -> None:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries")
    server = start_postgres(bindir)
    log = open_decision_log(fast.model_copy(update={"database_url": server.url}), timeout=1.0)
    try:
        checker = Prechecker(prechecker.bundle, prechecker.engine, prechecker.schemas, log)
        client = _client(fast, checker)
        assert client.get("/readyz").status_code == 200
        server.stop()
        started = time.monotonic()
        answer = client.get("/readyz")
        assert time.monotonic() - started < DEADLINE + 2.0
        assert (answer.status_code, answer.json()["code"]) == (503, "not_ready")
        assert "decision log" in answer.json()["detail"]
    finally:
        log.close()
        server.stop()


@pytest.fixture
def stuck(fast: Settings, prechecker: Prechecker) -> Iterator[tuple[TestClient, _Engine]]:
    engine = _Engine(_full_verdict(prechecker), delay=30)
    checker = Prechecker(prechecker.bundle, engine, prechecker.schemas)
    yield _client(fast, checker), engine
    engine.close()


def test_an_engine_that_never_answers_is_not_ready_within_the_deadline(
    stuck: tuple[TestClient, _Engine],
) -> None:
    client, engine = stuck
    started = time.monotonic()
    answer = client.get("/readyz")
    assert time.monotonic() - started < DEADLINE + 1.0
    assert answer.status_code == 503
    assert answer.json()["detail"] == f"policy engine: no answer within {DEADLINE} s"
    # A second probe waits on the check in flight (within its own deadline) instead of
    # starting a second stuck one, or refusing while the first might still answer.
    again = client.get("/readyz").json()["detail"]
    assert again == f"policy engine: no answer within {DEADLINE} s"
    assert engine.calls == 1
    assert threading.active_count() < 40


def test_healthz_answers_while_readyz_waits(stuck: tuple[TestClient, _Engine]) -> None:
    client, _ = stuck
    waiting = threading.Thread(target=client.get, args=("/readyz",))
    waiting.start()
    started = time.monotonic()
    assert client.get("/healthz").json() == {"status": "ok"}
    assert time.monotonic() - started < DEADLINE
    waiting.join()


@pytest.mark.parametrize("name", ["opa", "regorus"])
def test_embedded_engines_keep_one_total_deadline(
    name: str, prechecker: Prechecker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 5: an evaluation that does not return is cut off at the deadline (the call, not a read)."""
    from ictgate.core.engines import embedded_engine
    from ictgate.core.errors import EngineTimeout

    engine = embedded_engine(name, prechecker.bundle, timeout=DEADLINE)
    release = threading.Event()
    monkeypatch.setattr(engine, "_evaluate_here", lambda *_: release.wait(10))
    try:
        started = time.monotonic()
        with pytest.raises(EngineTimeout):
            engine.evaluate("ictgate/precheck/main/verdict", {"submission": {}})
        assert time.monotonic() - started < DEADLINE + 0.5
    finally:
        release.set()
        engine.close()


def test_an_opa_server_that_accepts_and_never_answers_is_cut_off_at_the_deadline(
    fast: Settings, prechecker: Prechecker
) -> None:
    """Item 5, and /readyz on the same deadline: connect, send and every read count against one limit."""
    import socket

    from ictgate.core.engines import OpaServerEngine

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])  # and never a byte back
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    engine = OpaServerEngine(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=DEADLINE, retries=0)
    try:
        checker = Prechecker(prechecker.bundle, engine, prechecker.schemas)
        started = time.monotonic()
        answer = _client(fast, checker).get("/readyz")
        assert time.monotonic() - started < DEADLINE + 1.0
        assert (answer.status_code, answer.json()["code"]) == (503, "not_ready")
        assert "no answer" in answer.json()["detail"]
    finally:
        engine.close()
        listener.close()
        for connection in accepted:
            connection.close()
