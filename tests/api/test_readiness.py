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
        assert answer.json()["checks"] == {
            "policy engine": "ok",
            "decision log": "ok",
            "policy revision": "ok",
        }
        assert answer.json()["engine_revision"] == prechecker.bundle.revision
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


# -- Issue 20: the engine's policy revision ----------------------------------------------


class _ServerEngine(_Engine):
    """An engine that loads its own bundles (as an OPA server does) and reports their revision."""

    def __init__(self, answer: Any, revision: str | None) -> None:
        super().__init__(answer)
        self.revision = revision

    def policy_revision(self) -> str | None:
        return self.revision


def test_readyz_reports_the_engines_revision_and_a_matching_expectation(
    fast: Settings, prechecker: Prechecker
) -> None:
    revision = prechecker.bundle.revision
    expecting = fast.model_copy(update={"expected_revision": revision})
    answer = _client(expecting, prechecker).get("/readyz")
    assert answer.status_code == 200, answer.text
    assert answer.json()["engine_revision"] == revision
    assert answer.json()["checks"]["policy revision"] == "ok"


def test_an_engine_without_the_expected_revision_is_not_ready(fast: Settings, prechecker: Prechecker) -> None:
    revision = prechecker.bundle.revision
    expecting = fast.model_copy(update={"expected_revision": "2099.01.01.1"})
    answer = _client(expecting, prechecker).get("/readyz")
    assert (answer.status_code, answer.json()["code"]) == (503, "not_ready")
    assert answer.json()["detail"] == (
        f"policy revision: the engine has revision {revision}, "
        "expected 2099.01.01.1 (from ICTGATE_EXPECTED_REVISION)"
    )


def test_the_expected_revision_can_come_from_a_bundle_file(
    fast: Settings, prechecker: Prechecker, tmp_path: Path
) -> None:
    import json
    import shutil

    from ictgate.core.opa_bundle import build_archive

    same = tmp_path / "same.tar.gz"
    same.write_bytes(build_archive(prechecker.bundle.root))
    policies = tmp_path / "policies"
    shutil.copytree(prechecker.bundle.root, policies)
    manifest = json.loads((policies / ".manifest").read_text())
    (policies / ".manifest").write_text(json.dumps({**manifest, "revision": "2099.01.01.1"}))
    newer = tmp_path / "newer.tar.gz"
    newer.write_bytes(build_archive(policies))

    assert (
        _client(fast.model_copy(update={"expected_bundle": same}), prechecker).get("/readyz").status_code
        == 200
    )
    answer = _client(fast.model_copy(update={"expected_bundle": newer}), prechecker).get("/readyz")
    assert answer.status_code == 503
    assert f"expected 2099.01.01.1 (from {newer})" in answer.json()["detail"]
    missing = _client(fast.model_copy(update={"expected_bundle": tmp_path / "nothing.tar.gz"}), prechecker)
    assert "cannot read the expected bundle" in missing.get("/readyz").json()["detail"]


def test_an_opa_server_with_another_revision_than_the_stamp_is_not_ready(
    fast: Settings, prechecker: Prechecker
) -> None:
    """The verdicts carry this replica's revision; an OPA server that loaded another bundle would belie it."""
    full = _full_verdict(prechecker)
    other = Prechecker(prechecker.bundle, _ServerEngine(full, "2025.01.01.1"), prechecker.schemas)
    answer = _client(fast, other).get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["detail"] == (
        "policy revision: the engine has revision 2025.01.01.1, but verdicts are stamped with "
        f"{prechecker.bundle.revision} (this replica's policies)"
    )
    same = Prechecker(prechecker.bundle, _ServerEngine(full, prechecker.bundle.revision), prechecker.schemas)
    assert _client(fast, same).get("/readyz").json()["engine_revision"] == prechecker.bundle.revision
    # A server that loaded no bundle reports none: ready, unless a revision is expected.
    unknown = Prechecker(prechecker.bundle, _ServerEngine(full, None), prechecker.schemas)
    assert _client(fast, unknown).get("/readyz").status_code == 200
    expecting = fast.model_copy(update={"expected_revision": prechecker.bundle.revision})
    assert "(none reported)" in _client(expecting, unknown).get("/readyz").json()["detail"]


def test_the_opa_server_client_reads_the_revision_from_provenance() -> None:
    import httpx
    from ictgate.core.engines import OpaServerEngine

    def answer(body: dict[str, Any]) -> OpaServerEngine:
        def handle(request: httpx.Request) -> httpx.Response:
            assert request.url.params["provenance"] == "true"
            return httpx.Response(200, json=body)

        return OpaServerEngine("http://opa:8181", transport=httpx.MockTransport(handle))

    bundles = {"provenance": {"version": "1.20.2", "bundles": {"ictgate": {"revision": "2026.12.01.6"}}}}
    assert answer(bundles).policy_revision() == "2026.12.01.6"
    assert answer({"provenance": {"version": "1.20.2", "revision": "r1"}}).policy_revision() == "r1"
    assert answer({"provenance": {"version": "1.20.2"}}).policy_revision() is None
