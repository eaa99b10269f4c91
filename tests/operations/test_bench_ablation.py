"""bench/ablation.py (`make bench-profile`, sections 5 to 7) and the capacity summary: correctness only."""

from __future__ import annotations

import json
import math

import pytest
from ictgate.core.policy import PolicyBundle
from ictgate.core.validation import to_engine_json

from bench.ablation import (
    STEP_TURNS,
    UNEXPLAINED,
    WHOLE,
    ablation_modules,
    ablation_query,
    differences,
    precheck_families,
    step_costs,
)
from bench.capacity import summarise
from bench.common import SAMPLE
from bench.gil import KEEPS_GIL_BELOW, python_beside_engine
from bench.profile_policy import findings_packages, rebuilt_findings_match

PRECHECK_FAMILIES = [
    "ictgate.authority.obligations",
    "ictgate.authority.routing",
    "ictgate.authority.splitting",
    "ictgate.cctv.rules",
    "ictgate.committee.approval",
    "ictgate.datasharing.rules",
]


def _policy(bundle: PolicyBundle) -> dict[str, str]:
    return {name: source for name, source in bundle.modules.items() if not name.endswith("_test.rego")}


def test_the_families_are_those_the_precheck_module_imports(bundle: PolicyBundle) -> None:
    policy = _policy(bundle)
    # The committee-order check's and the resolutions' findings are not the pre-check's.
    assert precheck_families(policy, findings_packages(policy)) == PRECHECK_FAMILIES


def test_a_precheck_module_that_changed_shape_is_refused(bundle: PolicyBundle) -> None:
    policy = _policy(bundle)
    main = next(name for name, source in policy.items() if "package ictgate.precheck.main" in source)
    policy[main] = "package ictgate.precheck.main\n\nverdict := {}\n"
    with pytest.raises(ValueError, match="no longer imports"):
        precheck_families(policy, findings_packages(policy))


def test_one_variant_per_family_left_out_plus_the_whole_and_unexplained() -> None:
    variants = ablation_modules(["a.one", "a.two", "a.three"])
    assert list(variants) == [WHOLE, "without a.one", "without a.two", "without a.three", UNEXPLAINED]
    _, whole = variants[WHOLE]
    # Through imports, as policies/precheck/main.rego reads the families.
    assert (
        "import data.a.one as family_0\nimport data.a.two as family_1\nimport data.a.three as family_2\n"
        in whole
    )
    assert "[family_0.findings, family_1.findings, family_2.findings]" in whole
    assert "verdicts.assemble(_raw, scope.in_scope, true).findings" in whole
    _, without_two = variants["without a.two"]
    assert "import data.a.one as family_0\nimport data.a.three as family_1\n" in without_two
    assert "a.two" not in without_two
    assert "[family_0.findings, family_1.findings]" in without_two
    _, unexplained = variants[UNEXPLAINED]
    assert "verdicts.assemble" not in unexplained.split("import data.ictgate.authority.scope")[1]
    assert "[raw | some raw in _raw]" in unexplained
    assert len({ablation_query(source) for _, source in variants.values()}) == 5
    assert ablation_query(whole) == "bench_ablation.v0.verdict"


def test_the_rebuilt_whole_gives_the_verdicts_findings_on_both_engines(bundle: PolicyBundle) -> None:
    # What keeps the ablation's figures those of the real verdict when precheck/main.rego changes.
    policy = _policy(bundle)
    variants = ablation_modules(precheck_families(policy, findings_packages(policy)))
    document = {"submission": to_engine_json(json.loads(SAMPLE.read_text("utf-8")))}
    assert rebuilt_findings_match(policy, bundle.data, document, variants[WHOLE]) is True
    # ... and the check can fail: leaving a family out changes the findings.
    assert (
        rebuilt_findings_match(policy, bundle.data, document, variants["without ictgate.cctv.rules"]) is False
    )


def test_step_costs_are_per_turn_differences_to_the_empty_turn() -> None:
    empty = {"median_us": 2000.0}
    costs = step_costs(
        empty, {"sprintf": {"median_us": 2000.0 + 3 * STEP_TURNS}, "same": {"median_us": 1990.0}}
    )
    assert math.isclose(costs["sprintf"], 3.0)
    assert math.isclose(costs["same"], -10 / STEP_TURNS)


def test_differences_name_the_place_and_both_values() -> None:
    reference = {
        "findings": [{"params": {"from_th": "17 กรกฎาคม 2567", "from": "2024-07-17"}}],
        "verdict": "pass",
    }
    other = {"findings": [{"params": {"from_th": "<undefined>", "from": "2024-07-17"}}], "verdict": "pass"}
    assert differences(reference, other) == [
        '/findings/0/params/from_th: "<undefined>" instead of "17 กรกฎาคม 2567"'
    ]
    assert differences(reference, reference) == []
    assert differences({"a": 1}, {"b": 1}) == ['/a: "(missing)" instead of 1', '/b: 1 instead of "(missing)"']
    long = {"k": "x" * 100}
    assert differences(long, {"k": "y"}) == ['/k: "y" instead of "' + "x" * 59 + "..."]
    # Long texts are cut around where they first differ, so that the difference shows.
    [line] = differences({"t": "ก" * 200 + "A" + "ข" * 200}, {"t": "ก" * 200 + "B" + "ข" * 200})
    shown, instead_of = line.removeprefix("/t: ").split(" instead of ")
    assert shown.startswith("...") and "B" in shown and "A" not in shown
    assert instead_of.startswith("...") and "A" in instead_of
    many = {str(i): i for i in range(10)}
    assert len(differences(many, {})) == 5


def test_capacity_per_cpu_second_is_one_process_and_a_core_each_is_all_of_them() -> None:
    # Two processes, each 60 verdicts in 2 s of wall time with 1 CPU-second: 30/s each on half
    # a core; per CPU-second 60 (16.7 ms of CPU per verdict), 120/s with a core each.
    found = [{"count": 60, "elapsed_s": 2.0, "cpu_s": 1.0}, {"count": 60, "elapsed_s": 2.0, "cpu_s": 1.0}]
    figures = summarise("opa", 2, 2.0, found)
    assert figures["verdicts_per_s"] == 60.0
    assert figures["verdicts_per_cpu_s"] == 60.0
    assert figures["verdicts_per_s_with_a_core_each"] == 120.0
    assert [item["cpu_share"] for item in figures["per_process"]] == [0.5, 0.5]
    idle = summarise("opa", 1, 2.0, [{"count": 0, "elapsed_s": 2.0, "cpu_s": 0.0}])
    assert idle["verdicts_per_cpu_s"] is None


def test_a_python_thread_beside_each_engine_is_measured(bundle: PolicyBundle) -> None:
    document = {"submission": to_engine_json(json.loads(SAMPLE.read_text("utf-8")))}
    for engine in ("opa", "regorus"):
        figures = python_beside_engine(
            engine, bundle.modules, bundle.data, "ictgate/precheck/main/verdict", document, seconds=0.2
        )
        assert figures["engine"] == engine
        assert figures["python_alone"] > 0
        assert figures["evaluations"] >= 1
        ratio = figures["python_beside"] / figures["python_alone"]
        assert figures["ratio"] == round(ratio, 2)
        assert figures["keeps_gil"] is (ratio < KEEPS_GIL_BELOW)


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("engine", ["opa", "regorus"])
def test_an_engine_that_cannot_answer_is_reported_and_closed_in_its_thread(
    bundle: PolicyBundle, engine: str
) -> None:
    # An undefined rule: the engine is made, then closed in its own thread (regorus refuses
    # to be dropped in another), and the error reaches the caller as text.
    nonesuch = "ictgate/precheck/main/nonesuch"
    with pytest.raises(RuntimeError, match="engine thread failed: .*(undefined|not a valid rule path)"):
        python_beside_engine(engine, bundle.modules, bundle.data, nonesuch, {}, seconds=0.1)


def test_an_unknown_engine_is_reported() -> None:
    with pytest.raises(RuntimeError, match="engine thread failed: .*unknown engine"):
        python_beside_engine("nonesuch", {}, {}, "x/y", {}, seconds=0.1)
