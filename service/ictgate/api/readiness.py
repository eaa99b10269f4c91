"""``/readyz``: every dependency a verdict needs, each checked within one deadline.

Ready means a pre-check would be answered now:

- the policy engine gives a full verdict for a sample proposal, and that
  verdict passes ``schemas/verdict.schema.json`` (a partial answer is not ready);
- the decision log takes a write (a one-row table beside the records, so a
  full disk, a read-only file or a database that is down shows here, not at the
  next verdict).

The checks run at the same time in threads of their own and the answer waits
for them at most ``engine_timeout_seconds`` (the engines' own deadline) in all.
A check still running from an earlier call is not started again: a stuck
database holds one thread, never one per probe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from ictgate.core.errors import IctgateError
from ictgate.core.policy import PRECHECK_QUERY
from ictgate.prechecker import Prechecker

__all__ = ["READINESS_PROBE", "Readiness", "ReadinessReport"]

# A minimal in-scope proposal: readiness means the engine answers this with a full verdict.
READINESS_PROBE: dict[str, Any] = {
    "submission": {
        "submitted_on": "2025-01-15",
        "agency": {"name": "readiness probe", "kind": "pao", "province": "TH-30"},
        "project": {
            "title": "readiness probe",
            "category": "computer_system",
            "budget_thb": 1,
            "standard_prices": True,
        },
    }
}


@dataclass(frozen=True)
class ReadinessReport:
    ready: bool
    checks: dict[str, str]  # dependency -> "ok" or what is wrong

    def problems(self) -> str:
        return "; ".join(f"{name}: {state}" for name, state in self.checks.items() if state != "ok")


class Readiness:
    """The checks of one application, with the threads they run in."""

    def __init__(self, deadline_seconds: float) -> None:
        self.deadline = deadline_seconds
        self._threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")
        self._running: dict[tuple[int, str], Future[None]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _engine(checker: Prechecker) -> None:
        answer = checker.engine.evaluate(PRECHECK_QUERY, READINESS_PROBE)
        # The same check as every verdict: schema-valid, or EngineBadResult.
        checker.stamp(answer)

    @staticmethod
    def _log(checker: Prechecker) -> None:
        if checker.log is not None:
            checker.log.check_writable()

    def _start(
        self, checker: Prechecker, name: str, check: Callable[[Prechecker], None]
    ) -> Future[None] | str:
        key = (id(checker), name)
        with self._lock:
            running = self._running.get(key)
            if running is not None and not running.done():
                # Two probes at once (a balancer and an orchestrator) share the check in
                # flight: no second thread, and no refusal while the first may still answer.
                return running
            future = self._threads.submit(check, checker)
            self._running[key] = future
            return future

    def check(self, checker: Prechecker) -> ReadinessReport:
        """Runs every check; returns within the deadline (a check not done by then is a failure)."""
        ends = time.monotonic() + self.deadline
        started = {"policy engine": self._start(checker, "engine", self._engine)}
        if checker.log is not None:
            started["decision log"] = self._start(checker, "log", self._log)
        checks: dict[str, str] = {}
        for name, future in started.items():
            if isinstance(future, str):
                checks[name] = future
                continue
            try:
                future.result(timeout=max(0.0, ends - time.monotonic()))
                checks[name] = "ok"
            except FutureTimeout:
                checks[name] = f"no answer within {self.deadline} s"
            except IctgateError as error:
                checks[name] = error.detail
            except Exception as error:  # any failure of a dependency means "not ready"
                checks[name] = f"{type(error).__name__}: {error}"
        return ReadinessReport(all(state == "ok" for state in checks.values()), checks)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
