"""Both in-process engines (embedded OPA, regorus): compiled once, fail-closed on every error."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from ictgate.core.engines import (
    OpaEmbeddedEngine,
    PolicyEngine,
    RegorusEngine,
    build_engine,
    embedded_opa_version,
)
from ictgate.core.errors import EngineBadResult, EngineError, EngineTimeout, EngineUnavailable
from ictgate.core.policy import PolicyBundle, load_bundle
from ictgate.core.settings import Settings

from tests.support.cases import submission

Factory = Callable[..., PolicyEngine]
ENGINES: dict[str, Factory] = {"opa": OpaEmbeddedEngine, "regorus": RegorusEngine}


@pytest.fixture(params=sorted(ENGINES))
def make_engine(request: pytest.FixtureRequest) -> Factory:
    factory: Factory = ENGINES[request.param]
    return factory


def _bundle(tmp_path: Path, source: str) -> PolicyBundle:
    (tmp_path / "p.rego").write_text(source)
    return load_bundle(tmp_path)


def test_evaluates_the_verdict(make_engine: Factory, bundle: PolicyBundle) -> None:
    engine = make_engine(bundle)
    try:
        verdict = engine.evaluate("ictgate/precheck/main/verdict", {"submission": submission()})
    finally:
        engine.close()
    assert verdict["verdict"] == "pass"
    assert verdict["route"]["body"] == "provincial_committee"


def test_answers_from_many_threads(make_engine: Factory, bundle: PolicyBundle) -> None:
    engine = make_engine(bundle)
    results: list[str] = []

    def ask() -> None:
        answer = engine.evaluate("ictgate/precheck/main/verdict", {"submission": submission()})
        results.append(answer["verdict"])

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.close()
    assert results == ["pass"] * 8


def test_undefined_rule_is_bad_result(make_engine: Factory, tmp_path: Path) -> None:
    engine = make_engine(_bundle(tmp_path, "package p\n\nanswer := 1 if input.x == 1\n"))
    try:
        with pytest.raises(EngineBadResult, match="undefined"):
            engine.evaluate("p/answer", {"x": 2})
        assert engine.evaluate("p/answer", {"x": 1}) == 1
    finally:
        engine.close()


def test_policy_that_does_not_compile_stops_start_up(make_engine: Factory, tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="do not compile"):
        make_engine(_bundle(tmp_path, "package p\n\nanswer := \n"))


def test_unsafe_policy_never_answers(make_engine: Factory, tmp_path: Path) -> None:
    # A variable bound nowhere. OPA refuses the policy at start-up; regorus only when the
    # rule is evaluated. Either way there is no answer, never a default one.
    bundle = _bundle(tmp_path, "package p\n\nanswer if y > 1\n")
    try:
        engine = make_engine(bundle)
    except EngineUnavailable as error:
        assert "do not compile" in error.detail
        return
    try:
        with pytest.raises(EngineError):
            engine.evaluate("p/answer", {})
    finally:
        engine.close()


def test_runtime_error_is_bad_result(make_engine: Factory, tmp_path: Path) -> None:
    source = "package p\n\nanswer := x if x := 1 / input.d\n"
    engine = make_engine(_bundle(tmp_path, source))
    try:
        # regorus raises on a division by zero; OPA leaves the rule undefined. Both are no answer.
        with pytest.raises(EngineBadResult):
            engine.evaluate("p/answer", {"d": 0})
        assert engine.evaluate("p/answer", {"d": 1}) == 1
    finally:
        engine.close()


def test_slow_evaluation_times_out(make_engine: Factory, tmp_path: Path) -> None:
    slow = "package p\n\nanswer := count([x | some x in numbers.range(1, 3000000); x % 7 == 0])\n"
    engine = make_engine(_bundle(tmp_path, slow), timeout=0.01)
    try:
        with pytest.raises(EngineTimeout):
            engine.evaluate("p/answer", {})
    finally:
        engine.close()


def test_a_closed_engine_is_unavailable(make_engine: Factory, bundle: PolicyBundle) -> None:
    engine = make_engine(bundle)
    engine.close()
    with pytest.raises(EngineUnavailable):
        engine.evaluate("ictgate/precheck/main/verdict", {"submission": submission()})


def test_missing_policy_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="not found"):
        load_bundle(tmp_path / "nope")


def test_the_embedded_opa_engine_names_its_opa_release(bundle: PolicyBundle) -> None:
    # Read from the Go module list inside the shared library, not assumed.
    assert embedded_opa_version() == "1.20.2"
    engine = OpaEmbeddedEngine(bundle)
    try:
        assert engine.description == "opa 1.20.2 (embedded)"
    finally:
        engine.close()


def test_embedded_opa_is_the_default_engine(settings: Settings, bundle: PolicyBundle) -> None:
    assert Settings().engine == "opa"
    engine = build_engine(settings, bundle)
    try:
        assert isinstance(engine, OpaEmbeddedEngine)
    finally:
        engine.close()


def test_regorus_is_chosen_by_name(settings: Settings, bundle: PolicyBundle) -> None:
    engine = build_engine(settings.model_copy(update={"engine": "regorus"}), bundle)
    try:
        assert engine.description.startswith("regorus ")
    finally:
        engine.close()


def test_an_unknown_engine_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTGATE_ENGINE", "wasm")
    with pytest.raises(ValueError, match="engine"):
        Settings()
