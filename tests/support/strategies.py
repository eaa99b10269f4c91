"""Hypothesis strategies for valid proposals and committee orders, shared by the property tests.

Proposals: any province of schemas/province.schema.json, any kind of agency,
both categories (CCTV ones with a CCTV block, sharing arrangements included),
dates from 2009 (before the 2010 rules) to 2027, budgets above zero with at
most two decimals (many near the 5,000,000.00 threshold), and Thai or any
other Unicode text in every free-text field. Orders: the valid example orders
and the orders on file, with members dropped, powers changed and dates moved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tests.support.helpers import ROOT, load_json

THRESHOLD_SATANG = 5_000_000_00

_SUBMISSION = load_json(ROOT / "schemas/submission.schema.json")
_CCTV = _SUBMISSION["$defs"]["cctv"]["properties"]
_SHARING = _SUBMISSION["$defs"]["sharing"]["properties"]


def _consts(node: dict[str, Any]) -> list[str]:
    return [branch["const"] for branch in node["oneOf"]]


PROVINCES = _consts(load_json(ROOT / "schemas/province.schema.json"))
KINDS = _consts(_SUBMISSION["properties"]["agency"]["properties"]["kind"])
CATEGORIES = _consts(_SUBMISSION["properties"]["project"]["properties"]["category"])
BODIES = _consts(_SUBMISSION["properties"]["requested_body"])
PURPOSES = _consts(_CCTV["purposes"]["items"])
RECIPIENT_TYPES = _consts(_SHARING["recipient_type"])
SHARING_PURPOSES = _consts(_SHARING["purpose"])
LAWFUL_BASES = _consts(_SHARING["lawful_basis"])
# Agencies the rules cover (R-AUTH-8), drawn more often so that most examples reach a route.
COVERED_KINDS = [kind for kind in KINDS if kind not in ("central_government", "other")]

# --- Strategies --------------------------------------------------------------------------------

thai = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
# Any code point UTF-8 can carry: every script, combining marks, emoji, controls; no lone surrogates.
# Any Unicode but U+0000, which the service refuses as input (422; no database can store it).
unicode = st.characters(codec="utf-8", exclude_characters="\x00")


def free_text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(st.one_of(thai, unicode), min_size=1, max_size=max_size)


def dates_between(first: dt.date, last: dt.date) -> st.SearchStrategy[str]:
    return st.dates(first, last).map(dt.date.isoformat)


# Mostly after the 2010 rules (2010-02-03), sometimes before them.
dates = st.one_of(
    dates_between(dt.date(2010, 2, 3), dt.date(2027, 12, 31)),
    dates_between(dt.date(2009, 1, 1), dt.date(2027, 12, 31)),
)
kinds = st.one_of(st.sampled_from(COVERED_KINDS), st.sampled_from(KINDS))
categories = st.sampled_from(CATEGORIES)

# In satang (1/100 baht): anything up to the schema's maximum, and often close to the threshold.
satang = st.one_of(
    st.integers(1, 1_000_000_000_000_00),
    st.integers(THRESHOLD_SATANG - 200, THRESHOLD_SATANG + 200),
    st.integers(1, 10_000_000_00),
)


def baht(amount: int) -> int | float:
    """A JSON number as a client sends it: whole baht as an integer, otherwise two decimals."""
    return amount // 100 if amount % 100 == 0 else amount / 100


budgets = satang.map(baht)


def sharing(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    agreement = st.fixed_dictionaries(
        {"reference": free_text(120), "approved_on": dates, "approved_by": st.sampled_from(BODIES)}
    )
    return st.fixed_dictionaries(
        {
            "recipient_type": st.sampled_from(RECIPIENT_TYPES),
            "recipient": text,
            "purpose": st.sampled_from(SHARING_PURPOSES),
        },
        optional={"agreement": agreement, "lawful_basis": st.sampled_from(LAWFUL_BASES)},
    )


def cctv_blocks(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "cameras": st.integers(1, 100_000),
            "follows_provincial_manual": st.booleans(),
            "data_controller": text,
            "purposes": st.lists(st.sampled_from(PURPOSES), min_size=1, max_size=len(PURPOSES), unique=True),
            "retention_days": st.integers(0, 36_500),
            "notice_posted": st.booleans(),
            "biometrics": st.fixed_dictionaries(
                {"used": st.booleans()}, optional={"lawful_basis": st.sampled_from(LAWFUL_BASES)}
            ),
            "public_live_feed": st.booleans(),
            "linked_to_provincial_center": st.booleans(),
        },
        optional={
            "evidence_hold": st.booleans(),
            "security": st.fixed_dictionaries(
                {},
                optional={
                    "access_control": st.booleans(),
                    "access_logging": st.booleans(),
                    "encryption_in_transit": st.booleans(),
                },
            ),
            "sharing": st.lists(sharing(text), max_size=3),
        },
    )


@st.composite
def submissions(
    draw: st.DrawFn,
    categories: st.SearchStrategy[str] = categories,
    submitted_on: st.SearchStrategy[str] = dates,
) -> dict[str, Any]:
    text = free_text()
    category = draw(categories)
    project = draw(
        st.fixed_dictionaries(
            {
                "title": text,
                "category": st.just(category),
                "budget_thb": budgets,
                "standard_prices": st.booleans(),
            },
            optional={
                "fiscal_year": st.integers(2553, 2700),
                "total_value_thb": budgets,
                "system_id": st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,40}\Z"),
                "description": free_text(200),
            },
        )
    )
    document: dict[str, Any] = {
        "submitted_on": draw(submitted_on),
        "agency": {"name": draw(text), "kind": draw(kinds), "province": draw(st.sampled_from(PROVINCES))},
        "project": project,
    }
    if draw(st.booleans()):
        document["requested_body"] = draw(st.sampled_from(BODIES))
    if category == "cctv":
        document["cctv"] = draw(cctv_blocks(text))
    return document


_POWERS = _consts(load_json(ROOT / "schemas/committee_order.schema.json")["properties"]["powers"]["items"])
_BASE_ORDERS = [
    load_json(path) for path in sorted((ROOT / "schemas/examples/committee_order/valid").glob("*.json"))
]
_BASE_ORDERS += [
    {key: order[key] for key in ("province", "order", "members", "powers")}
    for province in load_json(ROOT / "policies/rulebook/committee_orders/data.json")["orders"].values()
    for order in province
]


@st.composite
def orders(draw: st.DrawFn) -> dict[str, Any]:
    """A valid committee order: a real one with members dropped or reordered, powers and dates changed."""
    base = draw(st.sampled_from(_BASE_ORDERS))
    members = draw(st.lists(st.sampled_from(base["members"]), min_size=1, max_size=len(base["members"]) + 2))
    signed = draw(st.dates(dt.date(2009, 1, 1), dt.date(2027, 12, 31)))
    effective = signed + dt.timedelta(days=draw(st.integers(0, 60)))
    order = {
        "number": base["order"]["number"],
        "signed_on": signed.isoformat(),
        "effective_from": effective.isoformat(),
    }
    return {
        "province": draw(st.one_of(st.just(base["province"]), st.sampled_from(PROVINCES))),
        "order": order,
        "members": members,
        "powers": draw(st.one_of(st.just(base["powers"]), st.lists(st.sampled_from(_POWERS), unique=True))),
    }
