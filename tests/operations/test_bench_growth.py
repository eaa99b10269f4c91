"""The benchmarks' pure functions: the slope fit, the bend of a curve, grown inputs, the rule map.

Correctness only: no timing is asserted.
"""

from __future__ import annotations

import math

import pytest

from bench.growth import growth_ratio, least_squares, sample_order, with_members, with_sharing
from bench.profile_policy import (
    definition_at,
    definitions,
    findings_packages,
    queryable_rules,
    trace_by_rule,
)


def test_least_squares_recovers_a_line() -> None:
    fit = least_squares([1, 10, 50], [3.0 + 0.2 * x for x in (1, 10, 50)])
    assert math.isclose(fit.slope, 0.2)
    assert math.isclose(fit.intercept, 3.0)
    assert math.isclose(fit.r2, 1.0)


def test_least_squares_of_noisy_points() -> None:
    fit = least_squares([0, 1, 2, 3], [1, 3, 2, 4])
    assert math.isclose(fit.slope, 0.8)
    assert math.isclose(fit.intercept, 1.3)
    assert 0 < fit.r2 < 1


@pytest.mark.parametrize(("xs", "ys"), [([1], [1]), ([1, 2], [1]), ([2, 2], [1, 3])])
def test_least_squares_refuses_what_has_no_slope(xs: list[float], ys: list[float]) -> None:
    with pytest.raises(ValueError):
        least_squares(xs, ys)


def test_growth_ratio_straight_quadratic_and_flat() -> None:
    xs = [1, 10, 50]
    assert math.isclose(growth_ratio(xs, [100 + 2 * x for x in xs]), 1.0)
    assert growth_ratio(xs, [x * x for x in xs]) > 5  # 11 first, 60 last
    assert growth_ratio(xs, [100.0, 100.0, 100.0]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        growth_ratio([1, 2], [1, 2])


def test_with_sharing_copies_the_arrangements() -> None:
    sample = {
        "cctv": {"sharing": [{"recipient": "police"}, {"recipient": "firm", "agreement": {"reference": "x"}}]}
    }
    grown = with_sharing(sample, 5)
    assert [share["recipient"] for share in grown["cctv"]["sharing"]] == [
        "police 1",
        "firm 2",
        "police 3",
        "firm 4",
        "police 5",
    ]
    assert grown["cctv"]["sharing"][3]["agreement"]["reference"] == "DSA-2568/004"
    assert len(sample["cctv"]["sharing"]) == 2  # the sample itself is untouched


def test_with_members_grows_an_order_with_its_ordinary_members() -> None:
    order = sample_order()
    own = len(order["members"])
    for count in (own, 50, 200):
        grown = with_members(order, count)
        assert len(grown["members"]) == count
        assert grown["members"][:own] == order["members"]
        roles = [member["role"] for member in grown["members"][own:]]
        assert set(roles) <= {"member"}
    assert len(order["members"]) == own


RULES = """# METADATA
# title: t
package ictgate.demo.rules

import data.ictgate.lib.findings as finding

default allowed := false

allowed if {
    input.x
}

findings contains finding.result("R-1", "pass", "", "ok", {}) if allowed

_label(x) := y if {
    y := x
}

_label(x) := "other" if not x
"""


def test_findings_packages_read_from_the_modules() -> None:
    modules = {
        "demo/rules.rego": RULES,
        "demo/rules_test.rego": "package ictgate.demo.rules_test\n\nfindings := 1\n",
        "lib/x.rego": "package ictgate.lib.x\n\nthing := 1\n",
    }
    assert findings_packages(modules) == ["ictgate.demo.rules"]


def test_definitions_and_the_rule_of_a_line() -> None:
    found = definitions(RULES)
    assert [(item.row, item.name, item.function) for item in found] == [
        (7, "allowed", False),
        (9, "allowed", False),
        (13, "findings", False),
        (15, "_label", True),
        (19, "_label", True),
    ]
    assert definition_at(found, 10) == found[1]
    assert definition_at(found, 17) == found[3]
    assert definition_at(found, 3) is None
    assert queryable_rules(RULES) == ["allowed", "findings"]


def test_trace_events_are_charged_to_their_rule() -> None:
    trace = [
        {"op": "Enter", "location": "data.ictgate.demo.rules.findings"},
        {"op": "Enter", "location": "demo/rules.rego:13"},
        {"op": "Eval", "location": "demo/rules.rego:13"},
        {"op": "Enter", "location": "demo/rules.rego:16"},
        {"op": "Eval", "location": "demo/rules.rego:16"},
        {"op": "Eval", "location": "demo/rules.rego:10"},
    ]
    counted = trace_by_rule(trace, {"demo/rules.rego": RULES})
    assert counted["ictgate.demo.rules.findings"] == {"steps": 2, "entered": 1, "function": False}
    assert counted["ictgate.demo.rules._label"] == {"steps": 2, "entered": 1, "function": True}
    assert counted["ictgate.demo.rules.allowed"]["steps"] == 1
    assert counted["(the query itself)"]["steps"] == 1
