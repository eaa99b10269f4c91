"""append, get, query, iter, latest_proposals on SQLite and on a real PostgreSQL (fixture ``store``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from ictgate.audit.decisionlog import (
    GENESIS_HASH,
    MASKED,
    DecisionFilter,
    DecisionLog,
    DuplicateDecision,
    ProposalSeen,
    StoredRecord,
    build_record,
    chain_hash,
    sha256_digest,
)

from tests.support.decisionlog_samples import Sample, fresh_id
from tests.support.decisionlog_store import TABLE, Store

BANGPU = "เทศบาลเมืองบางปู"
KORAT_PAO = "องค์การบริหารส่วนจังหวัดนครราชสีมา"

SAMPLES = [
    Sample(1, findings=(("R-AUTH-1", "pass"), ("R-AUTH-2", "pass"))),
    Sample(
        2,
        province="TH-30",
        agency=KORAT_PAO,
        agency_kind="pao",
        outcome="fail",
        findings=(("R-AUTH-2", "fail"), ("R-AUTH-8", "pass")),
        as_of="2025-03-01",
        recorded_at="2025-03-01T23:59:59.999Z",
        budget=5_200_000.5,
        system_id="korat-gis",
    ),
    Sample(
        3,
        kind="committee_check",
        findings=(("R-COMP-1", "pass"),),
        as_of="2024-07-01",
        recorded_at="2025-03-02T00:00:00.000Z",
    ),
    Sample(
        4,
        outcome="needs_review",
        findings=(("R-AUTH-1", "pass"), ("R-AUTH-9", "review")),
        as_of="2025-04-01",
        recorded_at="2025-04-01T05:00:00.000Z",
        budget=2_500_000,
    ),
    Sample(
        5,
        province="TH-10",
        agency="กรุงเทพมหานคร",
        agency_kind="bma",
        outcome="not_applicable",
        findings=(("R-AUTH-8", "fail"),),
        as_of="2025-04-02",
        recorded_at="2025-04-02T00:00:00.000Z",
        fiscal_year=None,
        system_id=None,
    ),
    Sample(6, fiscal_year=2569, as_of="2025-11-01", recorded_at="2025-11-01T02:00:00.000Z"),
    Sample(7, system_id="bangpu-wifi", as_of="2025-05-01", recorded_at="2025-05-01T02:00:00.000Z"),
]


@pytest.fixture
def filled(log: DecisionLog) -> list[StoredRecord]:
    return [log.append(sample.record()) for sample in SAMPLES]


def sequences(records: Any) -> list[int]:
    return [record.sequence for record in records]


def test_append_seals_each_record_to_the_one_before(log: DecisionLog) -> None:
    stored = [log.append(sample.record()) for sample in SAMPLES[:3]]

    prev = GENESIS_HASH
    for number, (sample, record) in enumerate(zip(SAMPLES[:3], stored, strict=True), start=1):
        assert (record.sequence, record.prev_hash) == (number, prev)
        assert record.hash == chain_hash(sample.record(), prev)
        assert record.unsealed() == sample.record()
        prev = record.hash
    report = log.verify()
    assert (report.ok, report.records, report.problems) == (True, 3, ())
    assert (report.head.sequence, report.head.hash) == (3, stored[2].hash)  # type: ignore[union-attr]


def test_get_returns_the_record_exactly_as_appended(log: DecisionLog, filled: list[StoredRecord]) -> None:
    for record in filled:
        assert log.get(record.decision_id) == record
    got = log.get(filled[1].decision_id)
    assert got is not None
    assert list(got.verdict) == list(SAMPLES[1].verdict()), "the verdict keeps its reading order"
    assert str(got.budget_thb) == "5200000.5"
    assert log.get("00000000-0000-4000-8000-00000000ffff") is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (DecisionFilter(), [1, 2, 3, 4, 5, 6, 7]),
        (DecisionFilter(province="TH-11"), [1, 3, 4, 6, 7]),
        (DecisionFilter(agency_name=BANGPU), [1, 4, 6, 7]),
        (DecisionFilter(outcome="fail"), [2]),
        (DecisionFilter(outcome="needs_review"), [4]),
        (DecisionFilter(rule="R-AUTH-2"), [1, 2]),
        (DecisionFilter(rule="R-AUTH-2", rule_outcome="fail"), [2]),
        (DecisionFilter(rule="R-AUTH-8", rule_outcome="fail"), [5]),
        (DecisionFilter(rule="R-AUTH-99"), []),
        (DecisionFilter(kind="committee_check"), [3]),
        (DecisionFilter(kind="precheck", province="TH-11"), [1, 4, 6, 7]),
        (DecisionFilter(recorded_from=dt.date(2025, 3, 1), recorded_to=dt.date(2025, 3, 1)), [2]),
        (DecisionFilter(recorded_from=dt.date(2025, 3, 2)), [3, 4, 5, 6, 7]),
        (DecisionFilter(recorded_to=dt.date(2025, 2, 28)), [1]),
        (DecisionFilter(as_of_from=dt.date(2025, 4, 1), as_of_to=dt.date(2025, 4, 2)), [4, 5]),
        (DecisionFilter(province="TH-11", kind="precheck", as_of_to=dt.date(2025, 4, 30)), [1, 4]),
        (DecisionFilter(system_id="bangpu-cctv-phase-2", fiscal_year=2568), [1, 4]),
    ],
)
def test_query_filters(
    log: DecisionLog, filled: list[StoredRecord], filters: DecisionFilter, expected: list[int]
) -> None:
    page = log.query(filters, page_size=100)
    assert page.records == tuple(filled[number - 1] for number in expected)
    assert (page.total, page.page, page.page_size) == (len(expected), 1, 100)
    assert list(log.iter(filters)) == list(page.records)


def test_paging_is_stable_in_both_orders(log: DecisionLog, filled: list[StoredRecord]) -> None:
    pages = [log.query(page=number, page_size=3) for number in (1, 2, 3, 4)]
    assert [sequences(page.records) for page in pages] == [[1, 2, 3], [4, 5, 6], [7], []]
    assert {page.total for page in pages} == {7}
    newest = [log.query(page=number, page_size=3, newest_first=True) for number in (1, 2, 3)]
    assert [sequences(page.records) for page in newest] == [[7, 6, 5], [4, 3, 2], [1]]
    tail = log.query(DecisionFilter(province="TH-11"), page=2, page_size=2)
    assert (sequences(tail.records), tail.total) == ([4, 6], 5)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"page": 0}, "page 0"), ({"page_size": 0}, "page_size 0"), ({"page_size": 1001}, "page_size 1001")],
)
def test_paging_out_of_range_is_refused(log: DecisionLog, arguments: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        log.query(**arguments)  # type: ignore[arg-type]


def test_iter_reads_in_batches_without_skipping(log: DecisionLog, filled: list[StoredRecord]) -> None:
    log.batch_size = 2  # type: ignore[attr-defined]
    assert list(log.iter()) == filled
    assert list(log.iter(DecisionFilter(province="TH-11"))) == [filled[i] for i in (0, 2, 3, 5, 6)]


def seen(record: StoredRecord) -> ProposalSeen:
    return ProposalSeen(
        sequence=record.sequence,
        decision_id=record.decision_id,
        recorded_at=record.recorded_at,
        project_title=record.input["submission"]["project"]["title"],
        budget_thb=record.budget_thb,
        outcome=record.outcome,
        system_id=record.system_id,
        fiscal_year=record.fiscal_year,
    )


def test_latest_proposals_are_the_earlier_prechecks_of_one_system_in_one_fiscal_year(
    log: DecisionLog, filled: list[StoredRecord]
) -> None:
    assert log.latest_proposals(BANGPU, "TH-11", "bangpu-cctv-phase-2", 2568) == [
        seen(filled[0]),
        seen(filled[3]),
    ]
    assert log.latest_proposals(BANGPU, "TH-11", "bangpu-cctv-phase-2", 2569) == [seen(filled[5])]
    assert log.latest_proposals(BANGPU, "TH-11", "bangpu-wifi", 2568) == [seen(filled[6])]
    assert log.latest_proposals(BANGPU, "TH-12", "bangpu-cctv-phase-2", 2568) == []
    assert log.latest_proposals(KORAT_PAO, "TH-30", "korat-gis", 2568) == [seen(filled[1])]
    assert filled[1].budget_thb == Decimal("5200000.5")


def test_latest_proposals_of_a_system_span_its_fiscal_years(
    log: DecisionLog, filled: list[StoredRecord]
) -> None:
    # R-AUTH-9 counts yearly tranches of one system: 2568 and 2569 together.
    assert log.latest_proposals(BANGPU, "TH-11", system_id="bangpu-cctv-phase-2") == [
        seen(filled[0]),
        seen(filled[3]),
        seen(filled[5]),
    ]


def test_latest_proposals_of_a_year_include_every_system_and_none(
    log: DecisionLog, filled: list[StoredRecord]
) -> None:
    unnamed = log.append(
        Sample(8, system_id=None, as_of="2025-06-01", recorded_at="2025-06-01T02:00:00.000Z").record()
    )
    year = log.latest_proposals(BANGPU, "TH-11", fiscal_year=2568)
    assert year == [seen(filled[0]), seen(filled[3]), seen(filled[6]), seen(unnamed)]
    assert (year[-1].system_id, year[-1].fiscal_year) == (None, 2568)
    with pytest.raises(ValueError):
        log.latest_proposals(BANGPU, "TH-11")


def test_a_title_pre_checked_again_counts_once_as_its_latest_draft(
    log: DecisionLog, filled: list[StoredRecord]
) -> None:
    # Sample 1's title pre-checked twice more with other budgets (a draft saved again).
    again = [
        log.append(
            Sample(1, id=fresh_id(), budget=budget, recorded_at=f"2025-0{month}-01T00:00:00.000Z").record()
        )
        for month, budget in ((6, 3_100_000), (7, 3_200_000.25))
    ]
    assert log.latest_proposals(BANGPU, "TH-11", "bangpu-cctv-phase-2", 2568) == [
        seen(filled[3]),
        seen(again[1]),
    ]
    assert again[1].budget_thb == Decimal("3200000.25")


def test_a_decision_is_logged_once(log: DecisionLog, filled: list[StoredRecord]) -> None:
    with pytest.raises(DuplicateDecision, match=f"decision {filled[1].decision_id} is already record 2"):
        log.append(SAMPLES[1].record())
    assert log.query().total == 7
    assert log.append(Sample(8).record()).sequence == 8
    assert log.verify().ok


def test_the_configured_mask_is_applied_before_storage(store: Store) -> None:
    mask = ("/order/members/*/name", "/submission/agency/contact")
    committee = Sample(3, kind="committee_check")
    contact = {"name": "นางสาวติดต่อ ได้เสมอ", "phone": "02-123-4567"}
    precheck = Sample(9, extra_agency={"contact": contact})
    log = store.open(mask=mask)
    try:
        stored = [log.append(committee.record()), log.append(precheck.record())]
        got = [log.get(record.decision_id) for record in stored]
        assert got == stored
        members = stored[0].input["order"]["members"]
        assert [member["name"] for member in members] == [MASKED, MASKED]
        assert stored[1].input["submission"]["agency"] == {
            "name": BANGPU,
            "kind": "town_municipality",
            "province": "TH-11",
            "contact": MASKED,
        }
        assert [record.input_digest for record in stored] == [
            sha256_digest(record.input) for record in stored
        ]
        assert stored[0].unsealed() == committee.record(mask=mask)
        assert log.verify().ok
    finally:
        log.close()
    raw = store.raw_text()
    assert BANGPU in raw, "the raw storage is readable as text"
    for secret in ("สมชาย", "สมหญิง", "ติดต่อ", "02-123-4567"):
        assert secret not in raw


def test_the_tables_are_created_once_and_kept(store: Store) -> None:
    first = store.open()
    stored = first.append(SAMPLES[0].record())
    first.close()
    second = store.open()
    again = store.open()
    try:
        assert second.get(stored.decision_id) == stored
        assert again.append(SAMPLES[1].record()).sequence == 2
        assert second.verify().ok
    finally:
        second.close()
        again.close()


REFUSED = (sqlite3.DatabaseError, psycopg.Error)


def test_the_database_refuses_updates_deletes_and_links_off_the_head(
    store: Store, log: DecisionLog, filled: list[StoredRecord]
) -> None:
    head = "ictgate_decisions_head"
    for statement in (
        f"UPDATE {TABLE} SET outcome = 'pass' WHERE sequence = 2",
        f"DELETE FROM {TABLE} WHERE sequence = 7",
        f"UPDATE {head} SET last_sequence = 6",
        f"DELETE FROM {head}",
    ):
        with pytest.raises(REFUSED, match="append-only|chain head|refused"):
            store.sql(statement)
    row = store.sql(f"SELECT decision_id, prev_hash FROM {TABLE} WHERE sequence = 3")[0]
    with pytest.raises(REFUSED, match="must extend the chain head"):
        store.sql(
            f"INSERT INTO {TABLE} (sequence, decision_id, recorded_at, kind, as_of, input, input_digest,"
            " verdict, outcome, rules, policy_revision, policy_digest, engine, prev_hash, hash)"
            " SELECT 9, 'x', recorded_at, kind, as_of, input, input_digest, verdict, outcome, rules,"
            f" policy_revision, policy_digest, engine, ?, hash FROM {TABLE} WHERE sequence = 3",
            (row[1],),
        )
    assert log.verify().ok
    assert log.query().records == tuple(filled)


def test_dropped_protection_is_restored_on_the_next_open(store: Store, filled: list[StoredRecord]) -> None:
    store.drop_protection()
    store.open().close()
    with pytest.raises(REFUSED, match="append-only|refused"):
        store.sql(f"DELETE FROM {TABLE} WHERE sequence = 7")


def test_only_a_text_title_is_a_title_on_both_backends(log: DecisionLog) -> None:
    # The schema requires a text title; a record written without it (a number, a list, none)
    # counts as untitled, the same in SQLite and PostgreSQL, and never as the text "123".
    def record_titled(number: int, title: Any) -> StoredRecord:
        sample = Sample(number, id=fresh_id())
        document = sample.input()
        if title is _MISSING:
            del document["submission"]["project"]["title"]
        else:
            document["submission"]["project"]["title"] = title
        return log.append(
            build_record("precheck", document, sample.verdict(), recorded_at=sample.recorded_at)
        )

    text = record_titled(1, "123")
    record_titled(2, 123)
    record_titled(3, ["123"])
    untitled = record_titled(4, _MISSING)
    latest = log.latest_proposals(BANGPU, "TH-11", "bangpu-cctv-phase-2", 2568)
    assert [(item.sequence, item.project_title) for item in latest] == [
        (text.sequence, "123"),
        (untitled.sequence, None),
    ]


_MISSING = object()
