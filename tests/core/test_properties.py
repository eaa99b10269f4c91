"""Properties of the policies, checked with Hypothesis on the embedded engine.

The strategies build only valid proposals: any province of
schemas/province.schema.json, any kind of agency, both categories (CCTV ones
with a CCTV block, sharing arrangements included), dates from 2009 (before the
2010 rules) to 2027, budgets above zero with at most two decimals (many near
the 5,000,000.00 threshold), and Thai or any other Unicode text in every
free-text field. A generated proposal the schema refuses fails the test: the
strategy would be wrong, not the service.

CI tries a small fixed set of examples per property; ``ICTGATE_FUZZ_EXAMPLES``
runs more (tests/support/fuzz_budget.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import event, given
from hypothesis import strategies as st
from ictgate.core.errors import SchemaViolation
from ictgate.core.policy import PolicyBundle
from ictgate.core.validation import SchemaSet
from ictgate.prechecker import Prechecker

from tests.support.cases import CCTV_BLOCK, merge, submission
from tests.support.decisionlog_store import Store
from tests.support.fuzz_budget import budget
from tests.support.strategies import (
    baht,
    dates,
    dates_between,
    satang,
    submissions,
)

STAMPS = ("decision_id", "evaluated_at")


def _valid(schemas: SchemaSet, document: dict[str, Any]) -> dict[str, Any]:
    problems = schemas.errors("submission", document)
    assert problems == [], f"the strategy built an invalid proposal: {problems}"
    return document


def _unstamped(verdict: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in verdict.items() if key not in STAMPS}


def _body(verdict: dict[str, Any]) -> str | None:
    route = verdict.get("route")
    return route.get("body") if isinstance(route, dict) else None


# --- (a) A higher budget never sends a project back from the MOI committee ----------------------


@budget(100)
@given(proposal=submissions(), amounts=st.lists(satang, min_size=2, max_size=5, unique=True))
def test_a_higher_budget_never_moves_a_project_back_to_the_province(
    prechecker: Prechecker, schemas: SchemaSet, proposal: dict[str, Any], amounts: list[int]
) -> None:
    bodies = []
    for amount in sorted(amounts):
        document = _valid(schemas, merge(proposal, {"project": {"budget_thb": baht(amount)}}))
        bodies.append((baht(amount), _body(prechecker.precheck(document))))
    first_moi = next((i for i, (_, body) in enumerate(bodies) if body == "moi_committee"), len(bodies))
    event(f"bodies: {' -> '.join(dict.fromkeys(str(body) for _, body in bodies))}")
    assert all(body == "moi_committee" for _, body in bodies[first_moi:]), bodies


# --- (b) A failing finding fails the verdict -----------------------------------------------------


@budget(100)
@given(proposal=submissions())
def test_a_verdict_with_a_failing_finding_is_fail_never_pass(
    prechecker: Prechecker, schemas: SchemaSet, proposal: dict[str, Any]
) -> None:
    verdict = prechecker.precheck(_valid(schemas, proposal))
    failing = [finding["rule"] for finding in verdict["findings"] if finding["outcome"] == "fail"]
    if failing:
        assert verdict["verdict"] == "fail", failing
    if verdict["verdict"] == "pass":
        assert failing == []


# --- (c) The same input always gives the same verdict --------------------------------------------


@budget(100)
@given(proposal=submissions(), as_of=st.none() | dates)
def test_the_same_proposal_always_gets_the_same_verdict(
    prechecker: Prechecker, schemas: SchemaSet, proposal: dict[str, Any], as_of: str | None
) -> None:
    _valid(schemas, proposal)
    first = prechecker.precheck(proposal, as_of)
    second = prechecker.precheck(copy.deepcopy(proposal), as_of)
    assert first["decision_id"] != second["decision_id"]
    assert _unstamped(first) == _unstamped(second)
    assert [f["rule"] for f in first["findings"]] == [f["rule"] for f in second["findings"]]


# --- (d) Thai and other Unicode text anywhere is accepted, and echoed unchanged -----------------

_SHARE = re.compile(r"^/cctv/sharing/([0-9]+)(/|$)")
# A placeholder of the catalog's templates inside the text itself: see test_known_bug_placeholder_in_text.
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _echoes(proposal: dict[str, Any], finding: dict[str, Any]) -> dict[str, str]:
    """What of the proposal's free text this finding's params say they show."""
    cctv = proposal.get("cctv", {})
    expected: dict[str, str] = {}
    if "controller" in finding["params"]:
        expected["controller"] = cctv["data_controller"]
    matched = _SHARE.match(finding["field"])
    if matched:
        share = cctv["sharing"][int(matched.group(1))]
        for name in ("recipient",):
            if name in finding["params"]:
                expected[name] = share[name]
    return expected


def _free_texts(proposal: dict[str, Any]) -> list[str]:
    cctv = proposal.get("cctv", {})
    shares = cctv.get("sharing", [])
    texts = [
        proposal["agency"]["name"],
        proposal["project"]["title"],
        proposal["project"].get("description", ""),
    ]
    texts += [cctv.get("data_controller", "")] + [s["recipient"] for s in shares]
    return texts


# CCTV proposals from when the data rules are in force (2024-05-31), where the verdict echoes text.
cctv_in_force = submissions(st.just("cctv"), dates_between(dt.date(2024, 6, 1), dt.date(2027, 12, 31)))


@budget(100)
@given(proposal=st.one_of(cctv_in_force, submissions()))
def test_unicode_text_anywhere_is_accepted_and_echoed_unchanged(
    client: TestClient, schemas: SchemaSet, proposal: dict[str, Any]
) -> None:
    response = client.post("/v1/precheck", json=_valid(schemas, proposal))
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["verdict"] in ("pass", "fail", "needs_review", "not_applicable")
    templated = any(_PLACEHOLDER.search(text) for text in _free_texts(proposal))
    echoes = [
        (finding, name, text)
        for finding in verdict["findings"]
        for name, text in _echoes(proposal, finding).items()
    ]
    event(f"free texts echoed: {len(echoes)}")
    event(f"braces in the texts: {templated}")
    for finding, name, text in echoes:
        assert finding["params"][name] == text, (finding["rule"], name)
        # Braces a proposal supplies are shown as fullwidth braces (policies/lib/findings.rego).
        shown = text.replace("{", "｛").replace("}", "｝")
        assert shown in finding["message"]["th"], (finding["rule"], name)
        assert shown in finding["message"]["en"], (finding["rule"], name)


def test_the_strategies_reach_the_echoing_rules(prechecker: Prechecker) -> None:
    """The echo property means something only if the rules that echo text are reached at all."""
    shared = dict(
        CCTV_BLOCK,
        sharing=[{"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "traffic_analytics"}],
    )
    proposal = submission(
        submitted_on="2025-02-01",
        agency={"kind": "town_municipality", "province": "TH-11"},
        project={"category": "cctv"},
        cctv=shared,
    )
    echoed = {name for f in prechecker.precheck(proposal)["findings"] for name in _echoes(proposal, f)}
    assert echoed == {"controller", "recipient"}


# --- Bugs these properties found, pinned with their exact input ----------------------------------


def _police_share(recipient: str) -> dict[str, Any]:
    return submission(
        submitted_on="2025-02-01",
        agency={"kind": "town_municipality", "province": "TH-11"},
        project={"category": "cctv"},
        cctv=dict(
            CCTV_BLOCK,
            sharing=[{"recipient_type": "police", "recipient": recipient, "purpose": "law_enforcement"}],
        ),
    )


def test_fixed_placeholder_in_text(prechecker: Prechecker) -> None:
    """Was: a purpose of '{recipient_type}' was rendered 'police' by regorus (sequential replacement)
    and left as is by OPA (single pass). Braces from a proposal are now shown as fullwidth braces,
    so no submitted text can read as a placeholder on either engine. (The purpose is a code now;
    the recipient's name is the free text that reaches a message.)"""
    verdict = prechecker.precheck(_police_share("{recipient_type_th}"))
    (finding,) = [f for f in verdict["findings"] if f["rule"] == "R-DATA-4"]
    assert finding["params"]["recipient"] == "{recipient_type_th}"
    assert "police (｛recipient_type_th｝)" in finding["message"]["en"], finding["message"]["en"]


def test_fixed_nul_in_text_is_refused_on_every_backend(
    store: Store,
    bundle: PolicyBundle,
    embedded_engine: Any,
    schemas: SchemaSet,
) -> None:
    """Was: PostgreSQL could not store U+0000 (503 forever). Now refused as invalid input (422) first."""
    log = store.open()
    try:
        checker = Prechecker(bundle, embedded_engine, schemas, log)
        with pytest.raises(SchemaViolation) as refused:
            checker.precheck(submission(agency={"name": "เทศบาล\x00บางปู"}))
        assert [e.pointer for e in refused.value.errors] == ["/agency/name"]
        assert log.query().total == 0
    finally:
        log.close()
