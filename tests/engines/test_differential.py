"""Embedded OPA and regorus give the same verdict, byte for byte, for every input we have and many more.

The inputs: every proposal and committee order in examples/ and
schemas/examples/ (valid ones), read at several dates; every edge case of
tests/support/cases.py; and Hypothesis-generated proposals and orders (500 of
each in CI, derandomised; ``ICTGATE_FUZZ_EXAMPLES=N`` for a longer random run).
Each verdict goes through the same ``Prechecker.stamp`` the service uses, then
the stamp fields (decision id, engine, time) are removed and the two are
compared as JSON text. A difference fails with the input and both verdicts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from ictgate.core.engines import PolicyEngine
from ictgate.core.errors import SchemaViolation
from ictgate.core.policy import COMMITTEE_QUERY, PRECHECK_QUERY, RESOLUTION_QUERY, PolicyBundle
from ictgate.core.validation import SchemaSet, to_engine_json
from ictgate.gate.documents import read_source
from ictgate.prechecker import Prechecker

from tests.support.cases import CASES
from tests.support.fuzz_budget import budget
from tests.support.helpers import ROOT
from tests.support.strategies import dates, orders, submissions

STAMPS = ("decision_id", "engine", "evaluated_at")
AS_OF = (None, "2012-06-01", "2022-06-01", "2024-05-30", "2024-08-01", "2025-02-01")
ORDER_AS_OF = ("2012-06-01", "2024-05-30", "2024-06-01", "2026-01-01")


def _documents() -> Iterator[tuple[str, Any]]:
    paths = sorted(
        [
            *ROOT.glob("examples/**/*.json"),
            *ROOT.glob("examples/**/*.yaml"),
            *ROOT.glob("schemas/examples/submission/valid/*.json"),
            *ROOT.glob("schemas/examples/committee_order/valid/*.json"),
        ]
    )
    for path in paths:
        yield path.relative_to(ROOT).as_posix(), read_source(path).document


def _is_order(document: Any) -> bool:
    return isinstance(document, dict) and "members" in document and "order" in document


def _inputs() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, query, engine input) for every file and edge case, at each date."""
    inputs = []
    as_of: str | None
    engine_input: dict[str, Any]
    for name, document in _documents():
        if _is_order(document):
            for as_of in ORDER_AS_OF:
                for category in (None, "cctv"):
                    engine_input = {"order": to_engine_json(document), "as_of": as_of}
                    if category:
                        engine_input["category"] = category
                    inputs.append(
                        (f"{name} as_of={as_of} category={category}", COMMITTEE_QUERY, engine_input)
                    )
        elif isinstance(document, dict) and "project" in document:
            for as_of in AS_OF:
                engine_input = {"submission": to_engine_json(document)}
                if as_of:
                    engine_input["as_of"] = as_of
                inputs.append((f"{name} as_of={as_of}", PRECHECK_QUERY, engine_input))
    for case in CASES:
        engine_input = {"submission": case.submission}
        if case.as_of:
            engine_input["as_of"] = case.as_of
        inputs.append((f"case: {case.name}", PRECHECK_QUERY, engine_input))
    return inputs


INPUTS = _inputs()


class Differ:
    """Asks both engines, stamps both answers as the service does, compares the text."""

    def __init__(self, bundle: PolicyBundle, opa: PolicyEngine, regorus: PolicyEngine, schemas: SchemaSet):
        self.opa = Prechecker(bundle, opa, schemas)
        self.regorus = Prechecker(bundle, regorus, schemas)

    @staticmethod
    def _text(checker: Prechecker, query: str, engine_input: dict[str, Any]) -> str:
        verdict = checker.stamp(checker.engine.evaluate(query, engine_input))
        unstamped = {key: value for key, value in verdict.items() if key not in STAMPS}
        return json.dumps(unstamped, ensure_ascii=False, indent=1)

    def assert_same(self, name: str, query: str, engine_input: dict[str, Any]) -> None:
        opa = self._text(self.opa, query, engine_input)
        regorus = self._text(self.regorus, query, engine_input)
        if opa != regorus:
            pytest.fail(
                f"engines differ on {name}\n--- input\n{json.dumps(engine_input, ensure_ascii=False)}\n"
                f"--- opa\n{opa}\n--- regorus\n{regorus}",
                pytrace=False,
            )


@pytest.fixture(scope="module")
def differ(
    bundle: PolicyBundle, embedded_engine: PolicyEngine, regorus_engine: PolicyEngine, schemas: SchemaSet
) -> Differ:
    assert embedded_engine.description.startswith("opa ")
    assert regorus_engine.description.startswith("regorus ")
    return Differ(bundle, embedded_engine, regorus_engine, schemas)


def test_the_inputs_cover_every_example_and_case() -> None:
    # Guards the collection itself: a glob that matched nothing would make the test below vacuous.
    names = {name.split(" ")[0] for name, _, _ in INPUTS}
    assert "examples/proposals/bangpu-cctv.json" in names
    assert "examples/cctv/open-public-live-feed.json" in names
    assert "schemas/examples/committee_order/valid/samut-prakan-2024-amended.json" in names
    assert sum(query == COMMITTEE_QUERY for _, query, _ in INPUTS) >= 16
    assert len(INPUTS) >= 130


@pytest.mark.parametrize(("name", "query", "engine_input"), INPUTS, ids=[name for name, _, _ in INPUTS])
def test_every_example_and_case_gets_the_same_verdict(
    differ: Differ, name: str, query: str, engine_input: dict[str, Any]
) -> None:
    differ.assert_same(name, query, engine_input)


@budget(500)
@given(proposal=submissions(), as_of=st.none() | dates)
def test_generated_proposals_get_the_same_verdict(
    differ: Differ, schemas: SchemaSet, proposal: dict[str, Any], as_of: str | None
) -> None:
    try:
        schemas.check("submission", proposal)
    except SchemaViolation as error:  # the strategy would be wrong, not the engines
        pytest.fail(f"the strategy made an invalid proposal: {error.detail}")
    engine_input = {"submission": to_engine_json(proposal)}
    if as_of:
        engine_input["as_of"] = as_of
    differ.assert_same("a generated proposal", PRECHECK_QUERY, engine_input)


@budget(500)
@given(order=orders(), as_of=dates, category=st.sampled_from([None, "computer_system", "cctv"]))
def test_generated_committee_orders_get_the_same_verdict(
    differ: Differ, schemas: SchemaSet, order: dict[str, Any], as_of: str, category: str | None
) -> None:
    try:
        schemas.check("committee_order", order)
    except SchemaViolation as error:
        pytest.fail(f"the strategy made an invalid order: {error.detail}")
    engine_input: dict[str, Any] = {"order": to_engine_json(order), "as_of": as_of}
    if category:
        engine_input["category"] = category
    differ.assert_same("a generated committee order", COMMITTEE_QUERY, engine_input)


def test_a_difference_is_reported_with_the_input_and_both_verdicts(
    bundle: PolicyBundle, embedded_engine: PolicyEngine, schemas: SchemaSet, tmp_path: Path
) -> None:
    # The comparison itself must be able to fail: an engine that drops one finding is caught.
    class DropsAFinding:
        description = "regorus (broken on purpose)"

        def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
            verdict = embedded_engine.evaluate(rule_path, input_document)
            return {**verdict, "findings": verdict["findings"][1:]}

        def close(self) -> None:
            pass

    differ = Differ(bundle, embedded_engine, DropsAFinding(), schemas)
    name, query, engine_input = INPUTS[0]
    with pytest.raises(pytest.fail.Exception) as failure:
        differ.assert_same(name, query, engine_input)
    message = str(failure.value)
    assert f"engines differ on {name}" in message
    assert "--- input" in message and "--- opa" in message and "--- regorus" in message


def test_yaml_examples_are_read_as_the_cli_reads_them() -> None:
    # The differential inputs come from read_source, so a YAML date stays the text the CLI sends.
    path = ROOT / "examples/proposals/korat-gis-over-threshold.yaml"
    assert (
        read_source(path).document["submitted_on"]
        == yaml.safe_load(path.read_text())["submitted_on"].isoformat()
    )


# --- committee resolutions (R-RES) ------------------------------------------------------------

_OUTCOMES = ("approved", "approved_with_conditions", "rejected", "deferred", "endorsed")


@st.composite
def _resolutions(draw: st.DrawFn) -> dict[str, Any]:
    """A resolution on the Samut Prakan chain example: any body of the chain, outcome, date,
    acceptances of its findings or not, an earlier endorsement or not, a supersedes or not."""
    example = json.loads((ROOT / "examples/cctv/samut-prakan-above-threshold-chain.json").read_text("utf-8"))
    findings = [
        {"rule": rule, "outcome": outcome, "field": field}
        for rule, outcome, field in draw(
            st.lists(
                st.sampled_from(
                    [
                        ("R-DATA-3", "fail", "/cctv/sharing/1/agreement"),
                        ("R-DATA-9", "review", "/cctv/biometrics/lawful_basis"),
                        ("R-AUTH-2", "pass", "/project/budget_thb"),
                    ]
                ),
                unique=True,
            )
        )
    ]
    decision = {
        "decision_id": "d-1",
        "verdict": draw(st.sampled_from(["pass", "fail", "needs_review", "not_applicable"])),
        "as_of": example["submitted_on"],
        "route": {
            "body": "moi_committee",
            "steps": [
                {
                    "body": "provincial_committee",
                    "province": "TH-11",
                    "role": "endorsement",
                    "citation": {"source": "SPK-2024"},
                },
                {"body": "moi_committee", "role": "approval", "citation": {"source": "MOI-MEMO-2010"}},
            ],
        },
        "findings": findings,
        "obligations": [],
    }
    body = draw(st.sampled_from(["provincial_committee", "moi_committee", "provincial_cctv_data_committee"]))
    resolution: dict[str, Any] = {
        "body": body,
        "meeting": {"number": "1/2568", "date": draw(dates)},
        "outcome": draw(st.sampled_from(_OUTCOMES)),
        "reference": "ref",
        "acceptances": [
            {"rule": f["rule"], "field": f["field"], "reason": draw(st.sampled_from(["", "เหตุผล"]))}
            for f in findings
            if draw(st.booleans())
        ],
    }
    if body != "moi_committee":
        resolution["province"] = draw(st.sampled_from(["TH-11", "TH-30"]))
    if resolution["outcome"] == "approved_with_conditions" and draw(st.booleans()):
        resolution["conditions"] = ["เงื่อนไข"]
    earlier: list[dict[str, Any]] = []
    if draw(st.booleans()):
        endorsed = {
            "body": "provincial_committee",
            "province": "TH-11",
            "meeting": {"number": "0/2568", "date": draw(dates)},
            "outcome": draw(st.sampled_from(["endorsed", "deferred"])),
            "reference": "ref",
        }
        earlier.append(
            {"resolution_id": "r-1", "recorded_at": "2025-01-01T00:00:00.000Z", "resolution": endorsed}
        )
    supersede = draw(st.booleans())
    if earlier and supersede:
        resolution["supersedes"] = draw(st.sampled_from(["r-1", "r-9"]))
    return {"resolution": resolution, "decision": decision, "resolutions": earlier, "as_of": draw(dates)}


@budget(200)
@given(engine_input=_resolutions())
def test_generated_resolutions_get_the_same_verdict(differ: Differ, engine_input: dict[str, Any]) -> None:
    differ.assert_same("a generated resolution", RESOLUTION_QUERY, engine_input)
