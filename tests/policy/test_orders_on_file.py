"""The register of committee orders on file (policies/rulebook/committee_orders).

This is the check that runs in CI when a provincial secretariat adds or amends
its order: every order validates against the public schema, sits under its
own province, has its own effective date, and meets the composition rules in
force on that date (no failing finding).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from ictgate.prechecker import Prechecker

from tests.support.helpers import ROOT

REGISTER = json.loads((ROOT / "policies/rulebook/committee_orders/data.json").read_text("utf-8"))["orders"]
ORDERS = [(province, order) for province, orders in sorted(REGISTER.items()) for order in orders]


def _label(item: tuple[str, dict[str, Any]]) -> str:
    return f"{item[0]} {item[1]['order']['number']}"


@pytest.mark.parametrize("item", ORDERS, ids=[_label(i) for i in ORDERS])
def test_order_on_file_is_valid_and_lawful_when_it_took_effect(prechecker: Prechecker, item: Any) -> None:
    province, order = item
    assert order["province"] == province
    assert prechecker.schemas.errors("committee_order", order) == []
    verdict = prechecker.check_order(order, as_of=order["order"]["effective_from"])
    assert [f["rule"] for f in verdict["findings"] if f["outcome"] == "fail"] == []
    assert verdict["verdict"] == "pass"


@pytest.mark.parametrize("province", sorted(REGISTER))
def test_each_order_of_a_province_has_its_own_effective_date(province: str) -> None:
    dates = [order["order"]["effective_from"] for order in REGISTER[province]]
    assert len(dates) == len(set(dates))


def test_register_holds_an_amended_and_a_2010_only_province() -> None:
    samut_prakan = [o["order"]["effective_from"] for o in REGISTER["TH-11"]]
    assert max(samut_prakan) >= "2024-05-31"
    assert all(o["order"]["effective_from"] < "2024-05-31" for o in REGISTER["TH-30"])


def test_illustrative_orders_say_so() -> None:
    assert all(order.get("illustrative") is True and order.get("note") for _, order in ORDERS)
