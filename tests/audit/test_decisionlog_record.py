"""The decision record: built from real verdicts, digests, masking, and the chain hash."""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from ictgate.audit.decisionlog import (
    GENESIS_HASH,
    MASKED,
    DecisionRecord,
    Mask,
    RuleOutcome,
    build_record,
    canonical_json,
    chain_hash,
    seal,
    sha256_digest,
)
from ictgate.audit.decisionlog.canonical import plain_json
from ictgate.core.policy import PRECHECK_QUERY
from ictgate.prechecker import Prechecker

from tests.support.decisionlog_samples import Sample
from tests.support.helpers import ROOT, load_json


def test_a_real_precheck_becomes_a_record_with_its_columns(prechecker: Prechecker) -> None:
    submission = load_json(ROOT / "examples/proposals/bangpu-cctv.json")
    engine_input = prechecker.engine_input(submission, None)
    verdict = prechecker.precheck(submission)

    record = build_record("precheck", engine_input, verdict, recorded_at="2025-02-01T03:04:05.678Z")

    assert record == DecisionRecord(
        decision_id=verdict["decision_id"],
        recorded_at="2025-02-01T03:04:05.678Z",
        kind="precheck",
        as_of="2025-02-01",
        input=engine_input,
        input_digest=sha256_digest(engine_input),
        verdict=verdict,
        outcome=verdict["verdict"],
        route_body="provincial_committee",
        province="TH-11",
        agency_name="เทศบาลเมืองบางปู",
        agency_kind="town_municipality",
        system_id="bangpu-cctv-phase-2",
        fiscal_year=2568,
        budget_thb=Decimal("3000000"),
        rules=tuple(RuleOutcome(finding["rule"], finding["outcome"]) for finding in verdict["findings"]),
        policy_revision=verdict["policy"]["revision"],
        policy_digest=verdict["policy"]["digest"],
        engine=verdict["engine"],
    )
    assert verdict["verdict"] == "pass"
    assert ("R-AUTH-1", "pass") in {(item.rule, item.outcome) for item in record.rules}
    # The verdict is kept as the caller got it, keys in reading order.
    assert list(record.verdict) == list(verdict)


def test_a_real_committee_check_becomes_a_record(prechecker: Prechecker) -> None:
    order = load_json(ROOT / "schemas/examples/committee_order/valid/samut-prakan-2024-amended.json")
    verdict = prechecker.check_order(order, as_of="2024-08-01", category="cctv")
    engine_input = {"order": order, "as_of": "2024-08-01", "category": "cctv"}

    record = build_record("committee_check", engine_input, verdict, recorded_at="2024-08-01T00:00:00.000Z")

    assert (record.kind, record.as_of, record.province, record.outcome) == (
        "committee_check",
        "2024-08-01",
        "TH-11",
        verdict["verdict"],
    )
    assert (record.agency_name, record.agency_kind, record.system_id, record.fiscal_year) == (None,) * 4
    assert (record.budget_thb, record.route_body) == (None, None)
    assert [item.rule for item in record.rules] == [finding["rule"] for finding in verdict["findings"]]


def test_the_input_digest_is_sha256_of_canonical_utf8_json() -> None:
    document = {"b": [1, 2.5, "ไทย"], "a": {"z": None, "y": True}}
    text = '{"a":{"y":true,"z":null},"b":[1,2.5,"ไทย"]}'
    assert canonical_json(document) == text.encode("utf-8")
    assert sha256_digest(document) == "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    # Decimals from the parser hash as the numbers the engine was given.
    assert canonical_json({"n": Decimal("3000000.00"), "m": Decimal("0.07")}) == b'{"m":0.07,"n":3000000}'


@pytest.mark.parametrize(
    "value",
    [Decimal("NaN"), Decimal("Infinity"), float("nan"), float("-inf"), {1, 2}, object(), {"a": [b"bytes"]}],
    ids=["decimal-nan", "decimal-inf", "nan", "-inf", "set", "object", "bytes"],
)
def test_canonical_json_refuses_what_json_cannot_hold_exactly(value: Any) -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": value})


def test_canonical_json_is_the_bytes_of_the_plain_copy_for_a_real_verdict(prechecker: Prechecker) -> None:
    # canonical_json writes straight from the value (docs/performance.md); the hash chain depends on it
    # giving exactly the bytes the plain copy gives, for what the service really logs.
    document = prechecker.engine_input(load_json(ROOT / "examples" / "proposals" / "bangpu-cctv.json"), None)
    verdict = prechecker.stamp(prechecker.engine.evaluate(PRECHECK_QUERY, document))
    for value in (document, verdict, {"n": Decimal("12.50"), "t": ("ไทย", -0.0, 10**30)}):
        plain = json.dumps(plain_json(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert canonical_json(value) == plain.encode("utf-8")


@pytest.mark.parametrize(
    ("budget", "stored"),
    [
        (3_000_000, "3000000"),
        (1234.56, "1234.56"),
        (Decimal("5000000.00"), "5000000"),
        (1e16, "10000000000000000"),
    ],
)
def test_the_budget_is_kept_as_an_exact_decimal(budget: Any, stored: str) -> None:
    sample = Sample(1, budget=budget)
    record = build_record("precheck", sample.input(), sample.verdict(), recorded_at=sample.recorded_at)
    assert record.budget_thb == Decimal(stored)
    assert record.content()["budget_thb"] == stored


def test_as_of_falls_back_to_the_input_then_the_submission_date() -> None:
    sample = Sample(1, as_of="2024-12-31")
    verdict = sample.verdict()
    del verdict["as_of"]
    assert build_record("precheck", sample.input(), verdict).as_of == "2024-12-31"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v.update(decision_id="not-a-uuid"), "badly formed"),
        (lambda v: v.update(decision_id="79F4FCEB-A495-414E-8413-4121E3F9BE80"), "is not a lower-case UUID"),
        (lambda v: v.update(verdict="maybe"), "verdict 'maybe' is not one of"),
        (lambda v: v.pop("policy"), "the verdict has no policy.revision"),
        (lambda v: v.pop("engine"), "the verdict has no engine"),
        (lambda v: v.update(as_of="1/2/2568"), "as_of '1/2/2568' is not a date"),
    ],
)
def test_a_verdict_missing_a_key_part_is_refused(change: Any, message: str) -> None:
    verdict = Sample(1).verdict()
    change(verdict)
    with pytest.raises(ValueError, match=message):
        build_record("precheck", Sample(1).input(), verdict)


def test_recorded_at_must_be_utc_with_milliseconds() -> None:
    with pytest.raises(ValueError, match="recorded_at"):
        build_record("precheck", Sample(1).input(), Sample(1).verdict(), recorded_at="2025-02-01T03:04:05Z")
    with pytest.raises(ValueError, match="kind 'order'"):
        build_record("order", Sample(1).input(), Sample(1).verdict())  # type: ignore[arg-type]


def test_masking_replaces_every_matching_value_and_nothing_else() -> None:
    document: dict[str, Any] = {
        "order": {
            "members": [
                {"position": "provincial_governor", "name": "นายสมชาย ใจดี"},
                {"position": "expert"},
                {"position": "expert", "name": {"first": "สมหญิง", "last": "รักชาติ"}},
            ],
            "name/with~slash": "x",
        },
        "submission": {"agency": {"contact": {"phone": "02-000-0000"}, "name": "เทศบาลเมืองบางปู"}},
    }
    mask = Mask(
        ["/order/members/*/name", "/submission/agency/contact", "/order/name~1with~0slash", "/nowhere/x"]
    )

    masked, removed = mask.apply(document)

    assert masked == {
        "order": {
            "members": [
                {"position": "provincial_governor", "name": MASKED},
                {"position": "expert"},
                {"position": "expert", "name": MASKED},
            ],
            "name/with~slash": MASKED,
        },
        "submission": {"agency": {"contact": MASKED, "name": "เทศบาลเมืองบางปู"}},
    }
    assert removed == (
        "นายสมชาย ใจดี",
        {"first": "สมหญิง", "last": "รักชาติ"},
        {"phone": "02-000-0000"},
        "x",
    )
    assert document["order"]["members"][0]["name"] == "นายสมชาย ใจดี", "the caller's document is not changed"
    assert mask.apply(masked) == (masked, ()), "masking twice changes nothing more"


def test_masking_by_array_index_and_malformed_pointers() -> None:
    masked, _ = Mask(["/list/1", "/list/01", "/list/9"]).apply({"list": ["a", "b", "c"]})
    assert masked == {"list": ["a", MASKED, "c"]}
    with pytest.raises(ValueError, match="must start with '/'"):
        Mask(["order/members/*/name"])


def test_a_masked_record_holds_the_value_nowhere_and_its_digest_is_of_the_masked_input() -> None:
    sample = Sample(3, kind="committee_check", province="TH-11")
    verdict = sample.verdict()
    verdict["findings"][0]["message"]["th"] = "ประธาน นายสมชาย ใจดี ครบองค์ประกอบ"

    record = build_record(
        "committee_check",
        sample.input(),
        verdict,
        mask=["/order/members/*/name"],
        recorded_at=sample.recorded_at,
    )

    members = record.input["order"]["members"]
    assert [member["name"] for member in members] == [MASKED, MASKED]
    assert record.input_digest == sha256_digest(record.input)
    assert record.verdict["findings"][0]["message"]["th"] == "ประธาน *** ครบองค์ประกอบ"
    stored = json.dumps(record.content(), ensure_ascii=False)
    assert "สมชาย" not in stored and "สมหญิง" not in stored


def test_the_chain_hash_covers_content_and_the_previous_hash_but_not_the_place() -> None:
    record = Sample(1).record()
    expected = hashlib.sha256(
        canonical_json({"prev_hash": GENESIS_HASH, "record": record.content()})
    ).hexdigest()
    assert chain_hash(record, GENESIS_HASH) == expected
    assert seal(record, 1, GENESIS_HASH).hash == seal(record, 7, GENESIS_HASH).hash == expected
    assert chain_hash(record, "1" * 64) != expected
    changed = copy.deepcopy(record.content())
    changed["verdict"]["verdict"] = "fail"
    assert (
        hashlib.sha256(canonical_json({"prev_hash": GENESIS_HASH, "record": changed})).hexdigest() != expected
    )
    assert seal(record, 1, GENESIS_HASH).unsealed() == record
