"""The embedded regorus engine: compiled once, fail-closed on every error."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from ictgate.core.engines import EmbeddedEngine
from ictgate.core.errors import EngineBadResult, EngineTimeout, EngineUnavailable
from ictgate.core.policy import load_bundle

from .cases import submission


def _bundle(tmp_path: Path, source: str) -> Path:
    (tmp_path / "p.rego").write_text(source)
    return tmp_path


def test_evaluates_the_verdict(embedded_engine: EmbeddedEngine) -> None:
    verdict = embedded_engine.evaluate("ictgate/precheck/main/verdict", {"submission": submission()})
    assert verdict["verdict"] == "pass"
    assert verdict["route"]["body"] == "provincial_committee"


def test_answers_from_many_threads(embedded_engine: EmbeddedEngine) -> None:
    results: list[str] = []

    def ask() -> None:
        answer = embedded_engine.evaluate("ictgate/precheck/main/verdict", {"submission": submission()})
        results.append(answer["verdict"])

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["pass"] * 8


def test_undefined_rule_is_bad_result(tmp_path: Path) -> None:
    engine = EmbeddedEngine(load_bundle(_bundle(tmp_path, "package p\n\nanswer := 1 if input.x == 1\n")))
    try:
        with pytest.raises(EngineBadResult, match="undefined"):
            engine.evaluate("p/answer", {"x": 2})
        assert engine.evaluate("p/answer", {"x": 1}) == 1
    finally:
        engine.close()


def test_policy_that_does_not_compile_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="do not compile"):
        EmbeddedEngine(load_bundle(_bundle(tmp_path, "package p\n\nanswer := \n")))


def test_runtime_error_is_bad_result(tmp_path: Path) -> None:
    engine = EmbeddedEngine(load_bundle(_bundle(tmp_path, "package p\n\nanswer := x if x := 1 / input.d\n")))
    try:
        with pytest.raises(EngineBadResult):
            engine.evaluate("p/answer", {"d": 0})
    finally:
        engine.close()


def test_slow_evaluation_times_out(tmp_path: Path) -> None:
    slow = "package p\n\nanswer := count([x | some x in numbers.range(1, 3000000); x % 7 == 0])\n"
    engine = EmbeddedEngine(load_bundle(_bundle(tmp_path, slow)), timeout=0.01)
    try:
        with pytest.raises(EngineTimeout):
            engine.evaluate("p/answer", {})
    finally:
        engine.close()


def test_missing_policy_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="not found"):
        load_bundle(tmp_path / "nope")
