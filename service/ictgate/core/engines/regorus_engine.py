"""The embedded engine: regorus, Microsoft's Rust Rego interpreter, in process.

A regorus ``Engine`` is bound to the thread that made it (PyO3 "unsendable"),
so one worker thread owns it: the policies are parsed and compiled once per
process in that thread, and every evaluation runs there. Callers wait with a
time limit; past it they get ``EngineTimeout`` (the service answers 503).
"""

from __future__ import annotations

import functools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from importlib.metadata import version
from typing import Any

import regorus

from ictgate.core.errors import EngineBadResult, EngineTimeout, EngineUnavailable
from ictgate.core.policy import PolicyBundle

__all__ = ["RegorusEngine", "regorus_version"]

_UNDEFINED = '"<undefined>"'  # what regorus's eval_rule_as_json returns for an undefined rule


@functools.cache
def regorus_version() -> str:
    # Cached: reading package metadata costs ~0.15 ms, and every verdict is stamped with it.
    return version("gordon-to-regorus")


class RegorusEngine:
    def __init__(self, bundle: PolicyBundle, timeout: float = 2.0) -> None:
        self._bundle = bundle
        self._timeout = timeout
        self._local = threading.local()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="regorus")
        # Compile now, so a broken policy stops the service at start-up, not at the first request.
        try:
            self._worker.submit(self._engine).result()
        except BaseException:
            self._worker.shutdown(wait=True)
            raise

    @property
    def description(self) -> str:
        return f"regorus {regorus_version()}"

    # Errors are raised outside the except blocks below on purpose: an
    # exception whose traceback or context reaches a frame holding the engine
    # would carry it to another thread, and PyO3 refuses to free it there.

    def _engine(self) -> Any:
        engine = getattr(self._local, "engine", None)
        if engine is not None:
            return engine
        failure = ""
        engine = regorus.Engine()
        try:
            for name, source in self._bundle.modules.items():
                engine.add_policy(name, source)
            engine.add_data_json(json.dumps(self._bundle.data))
        except RuntimeError as error:
            failure = _first_line(error)
        if failure:
            engine = None
            raise EngineUnavailable(f"policies do not compile: {failure}")
        self._local.engine = engine
        return engine

    def _evaluate_here(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        failure = ""
        result = _UNDEFINED
        try:
            # Encoded here, in the worker: the caller's deadline covers the whole call.
            input_json = json.dumps(input_document)
            engine = self._engine()
            engine.set_input_json(input_json)
            result = engine.eval_rule_as_json("data." + rule_path.replace("/", "."))
        except RuntimeError as error:
            failure = _first_line(error)
        engine = None
        if failure:
            raise EngineBadResult(f"evaluation error: {failure}")
        if result == _UNDEFINED:
            raise EngineBadResult(f"{rule_path} is undefined for this input")
        return json.loads(result)

    def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        try:
            future = self._worker.submit(self._evaluate_here, rule_path, input_document)
        except RuntimeError as error:  # the worker was shut down: no engine to ask
            raise EngineUnavailable("the embedded engine has been closed") from error
        try:
            return future.result(timeout=self._timeout)
        except FutureTimeout as error:
            raise EngineTimeout(f"no answer from regorus within {self._timeout} s") from error

    def _drop_engine(self) -> None:
        self._local.engine = None

    def close(self) -> None:
        # The engine must also be freed in its own thread (PyO3 checks this).
        try:
            self._worker.submit(self._drop_engine).result(timeout=self._timeout)
        except (FutureTimeout, RuntimeError):
            pass  # a stuck evaluation: the process is going away anyway
        self._worker.shutdown(wait=False, cancel_futures=True)


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip() and "Stack backtrace" not in line]
    return " ".join(lines[:4]) if lines else type(error).__name__
