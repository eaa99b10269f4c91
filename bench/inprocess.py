"""In-process figures: the engine alone, and where one pre-check's time goes.

``engine_only`` is regorus by itself: the policies compiled once, then, in the
thread that owns the engine, ``set_input_json`` + ``eval_rule_as_json`` timed
around nothing but those two calls.

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
from pathlib import Path
from typing import Any

import regorus

from bench.common import Stats, in_own_thread, timed_loop, unique_bodies

STEPS = (
    ("parse", "parse (validation.parse_json)"),
    ("validate", "schema validation (SchemaSet.check)"),
    ("history", "history lookup (Prechecker.history)"),
    ("evaluate", "evaluation (engine.evaluate)"),
    ("stamp", "verdict check + stamp (Prechecker.stamp)"),
    ("log", "logging (build_record + log.append)"),
    ("other", "other pre-check work (engine_input, …)"),
    ("encode", "response encoding (JSONResponse)"),
)


def compile_engine(modules: dict[str, str], data: Any) -> Any:
    engine = regorus.Engine()
    for name, source in modules.items():
        engine.add_policy(name, source)
    engine.add_data_json(json.dumps(data))
    return engine


def engine_only(
    modules: dict[str, str],
    data: Any,
    query: str,
    input_document: Any,
    *,
    max_runs: int = 5000,
    max_seconds: float = 3.0,
) -> dict[str, Any]:
    """Median and p99 of one evaluation of ``data.<query>`` by regorus, compiled once, in its own thread."""
    input_json = json.dumps(input_document)
    rule = "data." + query.replace("/", ".")

    def work() -> dict[str, Any]:
        started = time.perf_counter()
        engine = compile_engine(modules, data)
        compiled = time.perf_counter() - started

        def evaluate() -> str:
            engine.set_input_json(input_json)
            answer: str = engine.eval_rule_as_json(rule)
            return answer

        answer = evaluate()
        if answer == '"<undefined>"':
            raise RuntimeError(f"{rule} is undefined for this input")
        samples = timed_loop(evaluate, max_runs=max_runs, max_seconds=max_seconds)
        return {
            **Stats.of(samples).as_dict(),
            "compile_ms": round(compiled * 1000, 1),
            "answer_bytes": len(answer.encode()),
        }

    result: dict[str, Any] = in_own_thread(work)
    return result


def engine_points(
    points: list[tuple[dict[str, str], Any, str, Any]],
    *,
    max_seconds: float,
    max_runs: int = 1000,
    batch: int = 3,
) -> list[dict[str, Any]]:
    """Engine-only statistics of several (modules, data, query, input) points, measured in turns.

    Each point has an engine of its own, compiled once, that only ever evaluates
    that point's query on that point's input (as the service's engine only ever
    evaluates the verdict): an evaluation starts by clearing what the engine's
    previous one left, so a point must not pay for another's. Rounds of
    ``batch`` evaluations per point then run until ``max_seconds`` or
    ``max_runs`` per point, so that a burst of load from elsewhere on the
    machine touches every point alike.
    """
    prepared = [
        (modules, data, "data." + query.replace("/", "."), json.dumps(document))
        for modules, data, query, document in points
    ]

    def work() -> list[dict[str, Any]]:
        engines: list[Any] = []
        compiled: list[float] = []
        for modules, data, rule, input_json in prepared:
            started = time.perf_counter()
            engine = compile_engine(modules, data)
            compiled.append((time.perf_counter() - started) * 1000)
            engine.set_input_json(input_json)
            if engine.eval_rule_as_json(rule) == '"<undefined>"':
                raise RuntimeError(f"{rule} is undefined for this input")
            engines.append(engine)
        samples: list[list[float]] = [[] for _ in prepared]
        deadline = time.perf_counter() + max_seconds
        while time.perf_counter() < deadline and min(len(found) for found in samples) < max_runs:
            for engine, found, (_, _, rule, input_json) in zip(engines, samples, prepared, strict=True):
                for _ in range(batch):
                    started = time.perf_counter_ns()
                    engine.set_input_json(input_json)
                    engine.eval_rule_as_json(rule)
                    found.append((time.perf_counter_ns() - started) / 1000)
        engines.clear()
        engine = None
        return [
            {**Stats.of(found).as_dict(), "compile_ms": round(ms, 1)}
            for found, ms in zip(samples, compiled, strict=True)
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

    def __init__(self, folder: Path, name: str = "breakdown") -> None:
        from ictgate.compose import build_prechecker
        from ictgate.core.settings import Settings

        settings = Settings(decision_log=folder / f"{name}.sqlite3", dev_mode=True)
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
    submission: dict[str, Any], folder: Path, *, max_runs: int = 2000, max_seconds: float = 4.0
) -> dict[str, Any]:
    """Per-step medians (µs) of parse, pre-check steps and response encoding, and their total."""
    bodies = [body.encode("utf-8") for body in unique_bodies(submission, max_runs + 20, "breakdown")]
    instrumented = Instrumented(folder)
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
    return {**summarise(samples), **instrumented.last, "body_bytes": len(bodies[-1])}
