"""In-process figures: the engine alone, and where one pre-check's time goes.

``engine_only`` is one embedded engine by itself (``RawEngine``): the policies
compiled once, then, in the thread that owns the engine, the evaluation call
timed around nothing else. For regorus that is ``set_input_json`` +
``eval_rule_as_json`` (the input already serialised, the answer left as JSON
text); for embedded OPA it is the bindings' ``eval_document`` (which encodes the
input, crosses into Go, evaluates a prepared query and decodes the answer: the
bridge offers no cheaper call, and it is what the service calls).

``breakdown`` runs the service's own pre-check, ``Prechecker.precheck``, on a
``Prechecker`` built as the service builds it (``build_prechecker``: the same
schemas, engine and a SQLite decision log in a temporary file), with its
steps timed where they are called: the instance's ``schemas.check``,
``history``, ``engine.evaluate``, ``stamp`` and ``_record`` (``build_record`` +
``log.append``) are wrapped by timers, so the figures follow whatever
``precheck`` does today instead of a copy of it. Around it, the two steps the
HTTP route adds: ``parse_json`` of the body, and the ``JSONResponse`` that
encodes the verdict. Whatever ``precheck`` spends outside the wrapped steps
(``engine_input``, bookkeeping) is reported as "other".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import regorus

from bench.common import Stats, in_own_thread, timed_loop, unique_bodies

STEPS = (
    ("parse", "parse (validation.parse_json)"),
    ("validate", "schema validation (SchemaSet.check)"),
    ("history", "history lookup (Prechecker.history)"),
    ("evaluate", "evaluation (engine.evaluate)"),
    ("stamp", "stamp + verdict schema check (Prechecker.stamp)"),
    ("log", "logging (build_record + log.append)"),
    ("other", "other pre-check work (engine_input, …)"),
    ("encode", "response encoding (JSONResponse)"),
)


ENGINES = ("opa", "regorus")  # the embedded engines, the service's default first
ENGINE_LABELS = {"opa": "embedded OPA", "regorus": "regorus"}
UNDEFINED = object()  # what a prepared call returns when the rule is undefined for the input


def compile_engine(modules: dict[str, str], data: Any) -> Any:
    engine = regorus.Engine()
    for name, source in modules.items():
        engine.add_policy(name, source)
    engine.add_data_json(json.dumps(data))
    return engine


class RawEngine:
    """One embedded engine (``opa`` or ``regorus``) with the policies compiled once.

    Use it in one thread only (a regorus engine is bound to the thread that made it).
    ``prepared(query, input)`` returns the call a timer surrounds: it returns the
    answer (JSON text for regorus, the decoded value for OPA) or ``UNDEFINED``.
    """

    def __init__(self, name: str, modules: dict[str, str], data: Any) -> None:
        if name not in ENGINES:
            raise ValueError(f"unknown engine {name!r}; one of {', '.join(ENGINES)}")
        self.name = name
        self._bindings: Any = None
        if name == "regorus":
            self._engine: Any = compile_engine(modules, data)
            return
        self._bindings = import_module("opa_bindings")
        engine = self._bindings.OpaEngine()
        for module, source in modules.items():
            engine.add_policy(module, source)
        engine.add_data(data)
        engine.eval_query("x := true")  # OPA compiles on the first evaluation
        self._engine = engine

    def prepared(self, query: str, input_document: Any) -> Callable[[], Any]:
        """The evaluation of ``data.<query>`` (``a/b/c`` or ``a.b.c``) on ``input_document``."""
        rule = rule_of(query)
        path = rule.removeprefix("data.")
        engine = self._engine
        if self.name == "regorus":
            input_json = json.dumps(input_document)

            def regorus_call() -> Any:
                engine.set_input_json(input_json)
                answer: str = engine.eval_rule_as_json(rule)
                return UNDEFINED if answer == '"<undefined>"' else answer

            return regorus_call
        undefined = self._bindings.OpaUndefinedError

        def opa_call() -> Any:
            try:
                return engine.eval_document(path, input_document)
            except undefined:
                return UNDEFINED

        return opa_call

    @property
    def native(self) -> Any:
        """The engine object itself (``regorus.Engine`` or ``opa_bindings.OpaEngine``)."""
        return self._engine

    def close(self) -> None:
        if self.name == "opa" and self._engine is not None:
            self._engine.close()
        self._engine = None


def rule_of(query: str) -> str:
    """``data.a.b.c`` for a query written ``a/b/c``, ``a.b.c`` or ``data.a.b.c``."""
    return "data." + query.replace("/", ".").removeprefix("data.")


def warmed_up(
    engine: str, modules: dict[str, str], data: Any, query: str, document: Any, *, warmup: int = 10
) -> tuple[RawEngine, Callable[[], Any]]:
    """An engine compiled and warmed up on ``data.<query>``, and the call to time.

    Call it in the thread that will use the engine, and close the engine there
    (a regorus engine belongs to the thread that made it). An undefined answer
    is an error; on any error the engine is closed before it is raised.
    """
    raw = RawEngine(engine, modules, data)
    try:
        evaluate = raw.prepared(query, document)
        if evaluate() is UNDEFINED:
            raise RuntimeError(f"{rule_of(query)} is undefined for this input")
        for _ in range(warmup):
            evaluate()
    except BaseException:
        raw.close()
        raise
    return raw, evaluate


def answer_bytes(answer: Any) -> int:
    """The size of an answer as JSON text."""
    text = answer if isinstance(answer, str) else json.dumps(answer)
    return len(text.encode())


def engine_only(
    modules: dict[str, str],
    data: Any,
    query: str,
    input_document: Any,
    *,
    engine: str = "regorus",
    max_runs: int = 5000,
    max_seconds: float = 3.0,
) -> dict[str, Any]:
    """Median and p99 of one evaluation of ``data.<query>`` by one engine, compiled once, in a thread."""

    def work() -> dict[str, Any]:
        started = time.perf_counter()
        raw = RawEngine(engine, modules, data)
        compiled = time.perf_counter() - started
        try:
            evaluate = raw.prepared(query, input_document)
            answer = evaluate()
            if answer is UNDEFINED:
                raise RuntimeError(f"data.{query} is undefined for this input")
            samples = timed_loop(evaluate, max_runs=max_runs, max_seconds=max_seconds)
        finally:
            raw.close()
        return {
            **Stats.of(samples).as_dict(),
            "engine": engine,
            "compile_ms": round(compiled * 1000, 1),
            "answer_bytes": answer_bytes(answer),
        }

    result: dict[str, Any] = in_own_thread(work)
    return result


def engine_points(
    points: list[tuple[dict[str, str], Any, str, Any]],
    *,
    max_seconds: float,
    engine: str = "regorus",
    max_runs: int = 1000,
    batch: int = 3,
    allow_undefined: bool = False,
) -> list[dict[str, Any]]:
    """Engine-only statistics of several (modules, data, query, input) points, measured in turns.

    Each point has an engine of its own, compiled once, that only ever evaluates
    that point's query on that point's input (as the service's engine only ever
    evaluates the verdict): an evaluation starts by clearing what the engine's
    previous one left, so a point must not pay for another's. Rounds of
    ``batch`` evaluations per point then run until ``max_seconds`` or
    ``max_runs`` per point, so that a burst of load from elsewhere on the
    machine touches every point alike. An undefined answer is an error unless
    ``allow_undefined`` (then the point says ``"undefined": true``).
    """

    def work() -> list[dict[str, Any]]:
        engines: list[RawEngine] = []
        calls: list[Callable[[], Any]] = []
        compiled: list[float] = []
        undefined: list[bool] = []
        try:
            for modules, data, query, document in points:
                started = time.perf_counter()
                raw = RawEngine(engine, modules, data)
                compiled.append((time.perf_counter() - started) * 1000)
                engines.append(raw)
                call = raw.prepared(query, document)
                missing = call() is UNDEFINED
                if missing and not allow_undefined:
                    raise RuntimeError(f"data.{query} is undefined for this input")
                undefined.append(missing)
                calls.append(call)
            samples: list[list[float]] = [[] for _ in points]
            deadline = time.perf_counter() + max_seconds
            while time.perf_counter() < deadline and min(len(found) for found in samples) < max_runs:
                for call, found in zip(calls, samples, strict=True):
                    for _ in range(batch):
                        started = time.perf_counter_ns()
                        call()
                        found.append((time.perf_counter_ns() - started) / 1000)
        finally:
            calls.clear()
            for raw in engines:
                raw.close()
            engines.clear()
        return [
            {**Stats.of(found).as_dict(), "compile_ms": round(ms, 1), **({"undefined": True} if gap else {})}
            for found, ms, gap in zip(samples, compiled, undefined, strict=True)
        ]

    measured: list[dict[str, Any]] = in_own_thread(work)
    return measured


class _TimedEngine:
    """The prechecker's engine with ``evaluate`` timed."""

    def __init__(self, engine: Any, clock: Callable[[str, int], None]) -> None:
        self._engine = engine
        self._clock = clock

    @property
    def description(self) -> str:
        return str(self._engine.description)

    def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        started = time.perf_counter_ns()
        try:
            return self._engine.evaluate(rule_path, input_document)
        finally:
            self._clock("evaluate", time.perf_counter_ns() - started)

    def close(self) -> None:
        self._engine.close()


_INNER = ("validate", "history", "evaluate", "stamp", "log")


class Instrumented:
    """A ``Prechecker`` built as the service builds it, its steps timed; the log in ``folder``."""

    def __init__(self, folder: Path, name: str = "breakdown", engine: str | None = None) -> None:
        from ictgate.compose import build_prechecker
        from ictgate.core.settings import Settings

        chosen: dict[str, Any] = {} if engine is None else {"engine": engine}
        settings = Settings(decision_log=folder / f"{name}.sqlite3", dev_mode=True, **chosen)
        self.checker = checker = build_prechecker(settings)
        self._spent: dict[str, int] = {}
        checker.schemas.check = self._timer("validate", checker.schemas.check)  # type: ignore[method-assign]
        checker.history = self._timer("history", checker.history)  # type: ignore[method-assign]
        checker.stamp = self._timer("stamp", checker.stamp)  # type: ignore[method-assign]
        if hasattr(checker, "_record"):
            checker._record = self._timer("log", checker._record)  # type: ignore[method-assign]
            if checker.log is not None:  # within "log": the append alone, build_record aside
                checker.log.append = self._timer("append", checker.log.append)  # type: ignore[method-assign]
        elif checker.log is not None:
            checker.log.append = self._timer("log", checker.log.append)  # type: ignore[method-assign]
        self._engine = checker.engine
        self.description = str(self._engine.description)
        checker.engine = _TimedEngine(self._engine, self._clock)
        self.last: dict[str, Any] = {}

    def _clock(self, step: str, nanoseconds: int) -> None:
        self._spent[step] = self._spent.get(step, 0) + nanoseconds

    def _timer(self, step: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter_ns()
            try:
                return function(*args, **kwargs)
            finally:
                self._clock(step, time.perf_counter_ns() - started)

        return timed

    def one(self, raw: bytes) -> dict[str, float]:
        """One request's work, as the route does it: parse, pre-check, encode. µs per step, and "total"."""
        from fastapi.responses import JSONResponse
        from ictgate.core.validation import parse_json

        self._spent.clear()
        started = time.perf_counter_ns()
        document = parse_json(raw)
        parsed = time.perf_counter_ns()
        verdict = self.checker.precheck(document)
        checked = time.perf_counter_ns()
        response = JSONResponse(verdict)
        done = time.perf_counter_ns()
        self.last = {"findings": len(verdict["findings"]), "verdict_bytes": len(response.body)}
        inner = sum(self._spent.get(key, 0) for key in _INNER)
        figures = {key: self._spent.get(key, 0) / 1000 for key in _INNER}
        figures["append"] = self._spent.get("append", 0) / 1000
        figures["parse"] = (parsed - started) / 1000
        figures["other"] = (checked - parsed - inner) / 1000
        figures["encode"] = (done - checked) / 1000
        figures["total"] = (done - started) / 1000
        return figures

    def close(self) -> None:
        self._engine.close()
        if self.checker.log is not None:
            self.checker.log.close()


def summarise(samples: list[dict[str, float]]) -> dict[str, Any]:
    """Per-step statistics of ``Instrumented.one`` results."""
    steps = {key: Stats.of([sample[key] for sample in samples]).as_dict() for key, _ in STEPS}
    return {
        "steps": steps,
        "sum_of_medians_us": round(sum(step["median_us"] for step in steps.values()), 1),
        "log_append": Stats.of([sample["append"] for sample in samples]).as_dict(),
        "total": Stats.of([sample["total"] for sample in samples]).as_dict(),
    }


def breakdown(
    submission: dict[str, Any],
    folder: Path,
    *,
    engine: str | None = None,
    max_runs: int = 2000,
    max_seconds: float = 4.0,
) -> dict[str, Any]:
    """Per-step medians (µs) of parse, pre-check steps and response encoding, and their total.

    ``engine`` chooses the service's engine (``opa`` or ``regorus``); None: the settings' default.
    """
    tag = f"breakdown-{engine or 'default'}"
    bodies = [body.encode("utf-8") for body in unique_bodies(submission, max_runs + 20, tag)]
    instrumented = Instrumented(folder, tag, engine)
    samples: list[dict[str, float]] = []
    try:
        for raw in bodies[:20]:  # warm-up
            instrumented.one(raw)
        deadline = time.perf_counter() + max_seconds
        for raw in bodies[20:]:
            if time.perf_counter() > deadline:
                break
            samples.append(instrumented.one(raw))
    finally:
        instrumented.close()
    return {
        **summarise(samples),
        **instrumented.last,
        "engine": instrumented.description,
        "body_bytes": len(bodies[-1]),
    }
