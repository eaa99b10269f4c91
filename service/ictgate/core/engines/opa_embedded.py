"""The reference engine: OPA's own Go ``rego`` package, in process.

``opa-golib-python-bindings`` builds OPA's ``rego`` package as a C shared
library with a small ctypes wrapper, so the service evaluates with the same
code as ``opa eval``, ``opa test`` and an OPA server, without an OPA binary.

Two facts shape this module:

- A Go runtime does not survive ``fork()``. The library is loaded the first
  time an engine is made, in the process that will use it (each worker of
  ``ictgate serve`` is started with ``spawn``), never at import time.
- The bridge cannot cancel an evaluation. Every call runs in one worker
  thread; the caller waits at most ``timeout`` seconds for the whole call
  (input encoding, evaluation, answer decoding) and gets ``EngineTimeout``
  past it, while the stuck evaluation finishes on its own.
"""

from __future__ import annotations

import functools
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ictgate.core.errors import EngineBadResult, EngineTimeout, EngineUnavailable
from ictgate.core.policy import PolicyBundle

__all__ = ["OpaEmbeddedEngine", "embedded_opa_available", "embedded_opa_version"]

_BINDINGS = "opa_bindings"
_LIBRARY = "libopabridge.so"
# Go writes its module list into every binary it links ("dep <module> <version> <sum>");
# the OPA version the library was built from is read from there, not assumed.
_OPA_MODULE = re.compile(rb"\tgithub\.com/open-policy-agent/opa\tv([0-9]+\.[0-9]+\.[0-9]+[^\t\n]*)\t")


def embedded_opa_available() -> bool:
    """Whether the bindings are installed (``make run`` and ``make test`` install them)."""
    return find_spec(_BINDINGS) is not None


@functools.cache
def embedded_opa_version() -> str:
    """The OPA release whose ``rego`` package the shared library contains, e.g. ``1.20.2``."""
    spec = find_spec(_BINDINGS)
    if spec is None or not spec.submodule_search_locations:
        return ""
    library = Path(next(iter(spec.submodule_search_locations))) / _LIBRARY
    try:
        match = _OPA_MODULE.search(library.read_bytes())
    except OSError:
        return ""
    return match.group(1).decode() if match else ""


class OpaEmbeddedEngine:
    def __init__(self, bundle: PolicyBundle, timeout: float = 2.0) -> None:
        if not embedded_opa_available():
            raise EngineUnavailable(
                "the embedded OPA engine is not installed (opa-golib-python-bindings; "
                "`make run` installs it) — or choose ICTGATE_ENGINE=regorus"
            )
        self._bundle = bundle
        self._timeout = timeout
        self._engine: Any = None
        self._closed = threading.Event()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opa")
        # Compile now, so a broken policy stops the service at start-up, not at the first request.
        try:
            self._worker.submit(self._load).result()
        except BaseException:
            self._worker.shutdown(wait=True)
            raise

    @property
    def description(self) -> str:
        return f"opa {embedded_opa_version() or 'unknown version'} (embedded)"

    def _load(self) -> None:
        bindings = import_module(_BINDINGS)
        engine = bindings.OpaEngine()
        try:
            for name, source in self._bundle.modules.items():
                engine.add_policy(name, source)
            engine.add_data(self._bundle.data)
            # Compiling happens on the first evaluation: ask for the verdict rule's package once.
            engine.eval_query("x := true")
        except bindings.OpaError as error:
            engine.close()
            raise EngineUnavailable(f"policies do not compile: {_one_line(error.message)}") from None
        self._engine = engine

    def _evaluate_here(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        bindings = import_module(_BINDINGS)
        if self._engine is None:
            raise EngineUnavailable("the embedded OPA engine has been closed")
        try:
            return self._engine.eval_document(rule_path.replace("/", "."), input_document)
        except bindings.OpaUndefinedError:
            raise EngineBadResult(f"{rule_path} is undefined for this input") from None
        except bindings.OpaError as error:
            raise EngineBadResult(f"evaluation error: {_one_line(error.message)}") from None

    def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        try:
            future = self._worker.submit(self._evaluate_here, rule_path, input_document)
        except RuntimeError as error:  # the worker was shut down: no engine to ask
            raise EngineUnavailable("the embedded OPA engine has been closed") from error
        try:
            return future.result(timeout=self._timeout)
        except FutureTimeout as error:
            raise EngineTimeout(f"no answer from OPA within {self._timeout} s") from error

    def _release(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        try:
            self._worker.submit(self._release).result(timeout=self._timeout)
        except (FutureTimeout, RuntimeError):
            pass  # a stuck evaluation: the process is going away anyway
        self._worker.shutdown(wait=False, cancel_futures=True)


def _one_line(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " ".join(lines[:4]) if lines else "no detail"
