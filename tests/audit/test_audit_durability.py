"""Nothing answered is lost, and nothing unlogged is answered.

A real `ictgate serve` is killed with SIGKILL in the middle of a burst of
pre-checks; every decision a client received must then be in the log, whose
chain must verify. And when the log cannot store a verdict, the caller gets a
503, not the verdict.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from typing import Any

import httpx
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.audit.decisionlog import DecisionRecord, StoredRecord
from ictgate.core.errors import DecisionLogUnavailable
from ictgate.core.settings import Settings
from ictgate.prechecker import Prechecker

from tests.support.cases import submission
from tests.support.decisionlog_store import Store
from tests.support.helpers import ROOT, start_server


def _serve(store: Store, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    env = {**store.env(), "PYTHONPATH": str(ROOT), "ICTGATE_DEV_MODE": "true"}
    return start_server(env, "--dev", "--workers", str(workers))


def test_kill_9_during_a_burst_loses_no_answered_decision(store: Store) -> None:
    process, url = _serve(store)
    answered: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(worker: int) -> None:
        with httpx.Client(base_url=url, timeout=5) as http:
            for n in range(400):  # bounded: the server is killed long before
                if stop.is_set():
                    return
                document = submission(
                    project={"title": f"worker {worker} proposal {n}", "budget_thb": 1000 + n}
                )
                try:
                    response = http.post("/v1/precheck", json=document)
                except httpx.TransportError:
                    return
                if response.status_code == 200:
                    with lock:
                        answered.append(response.json()["decision_id"])

    workers = [threading.Thread(target=client, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    while len(answered) < 40 and process.poll() is None:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    stop.set()
    for worker in workers:
        worker.join(timeout=10)
    assert len(answered) >= 40

    log = store.open()
    try:
        missing = [decision for decision in answered if log.get(decision) is None]
        report = log.verify()
    finally:
        log.close()
    assert missing == []
    assert report.ok, report.problems
    assert report.records >= len(answered)


def test_two_workers_answering_at_once_keep_the_chain_intact(store: Store) -> None:
    process, url = _serve(store, workers=2)
    answered: list[str] = []
    lock = threading.Lock()

    def client(worker: int) -> None:
        with httpx.Client(base_url=url, timeout=10) as http:
            for n in range(15):
                document = submission(project={"title": f"worker {worker} proposal {n}"})
                response = http.post("/v1/precheck", json=document)
                assert response.status_code == 200, response.text
                with lock:
                    answered.append(response.json()["decision_id"])

    try:
        threads = [threading.Thread(target=client, args=(w,)) for w in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=15)
    log = store.open()
    try:
        report = log.verify()
        logged = {record.decision_id for record in log.iter()}
    finally:
        log.close()
    assert len(answered) == 90
    assert report.ok, report.problems
    assert report.records == 90
    assert logged == set(answered)


class _FullDisk:
    """A log whose storage refuses every write, as a full or read-only disk does."""

    description = "a full disk"

    def history(self, *args: Any) -> list[StoredRecord]:
        return []

    def append(self, record: DecisionRecord) -> StoredRecord:
        raise DecisionLogUnavailable("database or disk is full")

    def close(self) -> None:
        pass


def test_a_verdict_that_cannot_be_logged_is_not_given(settings: Settings, prechecker: Prechecker) -> None:
    unlogged = Prechecker(prechecker.bundle, prechecker.engine, prechecker.schemas, _FullDisk())  # type: ignore[arg-type]
    response = TestClient(create_app(settings, unlogged)).post("/v1/precheck", json=submission())
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "decision_log_unavailable"
    assert "verdict" not in body
