"""``/readyz``: every dependency a verdict needs, each checked within one deadline.

Ready means a pre-check would be answered now:

- the policy engine gives a full verdict for a sample proposal, and that
  verdict passes ``schemas/verdict.schema.json`` (a partial answer is not ready);
- the decision log takes a write (a one-row table beside the records, so a
  full disk, a read-only file or a database that is down shows here, not at the
  next verdict);
- the engine has the policy revision the verdicts are stamped with (an OPA
  server loads its own bundles, so it is asked), and the revision the operator
  expects, when one is set (``ICTGATE_EXPECTED_REVISION``, or the revision of the
  bundle file at ``ICTGATE_EXPECTED_BUNDLE``): during a roll-out a replica whose
  engine has another revision is taken out of the balancer, not mixed in.

The checks run at the same time in threads of their own and the answer waits
for them at most ``engine_timeout_seconds`` (the engines' own deadline) in all.
A check still running from an earlier call is not started again: a stuck
database holds one thread, never one per probe.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgate.core.engines import ReportsRevision
from ictgate.core.errors import IctgateError
from ictgate.core.policy import PRECHECK_QUERY
from ictgate.core.settings import Settings
from ictgate.prechecker import Prechecker

__all__ = ["READINESS_PROBE", "Readiness", "ReadinessReport", "expected_revision"]

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


class NotReady(Exception):
    """A check that failed for a reason of its own (not an engine or log error)."""


def expected_revision(settings: Settings) -> tuple[str, str] | None:
    """The revision the operator expects and where it comes from, or None when none is set.

    Read at every probe: an operator who replaces the bundle file during a roll-out
    sees each replica turn not ready until its engine has the new revision.
    """
    if settings.expected_revision:
        return settings.expected_revision, "ICTGATE_EXPECTED_REVISION"
    if settings.expected_bundle is None:
        return None
    return _bundle_revision(settings.expected_bundle), str(settings.expected_bundle)


def _bundle_revision(path: Path) -> str:
    from ictgate.core.opa_bundle import BundleError, read_archive

    try:
        manifest = read_archive(path.read_bytes()).get(".manifest")
        revision = json.loads(manifest)["revision"] if manifest is not None else None
    except (OSError, BundleError, ValueError, KeyError, TypeError) as error:
        raise NotReady(f"cannot read the expected bundle {path}: {error}") from None
    if not isinstance(revision, str) or not revision:
        raise NotReady(f"the expected bundle {path} names no revision in its .manifest")
    return revision


@dataclass(frozen=True)
class ReadinessReport:
    ready: bool
    checks: dict[str, str]  # dependency -> "ok" or what is wrong
    revision: str | None = None  # the engine's policy revision, when the check got that far

    def problems(self) -> str:
        return "; ".join(f"{name}: {state}" for name, state in self.checks.items() if state != "ok")


class Readiness:
    """The checks of one application, with the threads they run in."""

    def __init__(self, deadline_seconds: float, settings: Settings | None = None) -> None:
        self.deadline = deadline_seconds
        self.settings = settings
        self._threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")
        self._running: dict[tuple[int, str], Future[Any]] = {}
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

    def _revision(self, checker: Prechecker) -> str | None:
        """The engine's revision; NotReady when it is not the stamped or the expected one."""
        engine = checker.engine
        served = engine.policy_revision() if isinstance(engine, ReportsRevision) else checker.bundle.revision
        expected = expected_revision(self.settings) if self.settings is not None else None
        if expected is not None and served != expected[0]:
            raise NotReady(
                f"the engine has revision {served or '(none reported)'}, "
                f"expected {expected[0]} (from {expected[1]})"
            )
        if served is not None and served != checker.bundle.revision:
            raise NotReady(
                f"the engine has revision {served}, but verdicts are stamped with {checker.bundle.revision} "
                "(this replica's policies)"
            )
        return served

    def _start(self, checker: Prechecker, name: str, check: Callable[[Prechecker], Any]) -> Future[Any] | str:
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
        started["policy revision"] = self._start(checker, "revision", self._revision)
        checks: dict[str, str] = {}
        revision: str | None = None
        for name, future in started.items():
            if isinstance(future, str):
                checks[name] = future
                continue
            try:
                value = future.result(timeout=max(0.0, ends - time.monotonic()))
                checks[name] = "ok"
                if name == "policy revision":
                    revision = value
            except FutureTimeout:
                checks[name] = f"no answer within {self.deadline} s"
            except IctgateError as error:
                checks[name] = error.detail
            except NotReady as error:
                checks[name] = str(error)
            except Exception as error:  # any failure of a dependency means "not ready"
                checks[name] = f"{type(error).__name__}: {error}"
        return ReadinessReport(all(state == "ok" for state in checks.values()), checks, revision)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
