"""Tampering with the stored log behind its back (triggers dropped, raw SQL) is found and named."""

from __future__ import annotations

import json

import pytest
from ictgate.audit.decisionlog import DecisionLog, Problem, StoredRecord
from ictgate.audit.decisionlog._common import json_text

from tests.support.decisionlog_samples import Sample
from tests.support.decisionlog_store import TABLE, Store


@pytest.fixture
def chain(store: Store) -> list[StoredRecord]:
    log = store.open()
    try:
        return [log.append(Sample(number).record()) for number in range(1, 6)]
    finally:
        log.close()


def verify(store: Store) -> tuple[Problem, ...]:
    log: DecisionLog = store.open()
    try:
        report = log.verify()
        assert report.ok is not bool(report.problems)
        return report.problems
    finally:
        log.close()


def named(record: StoredRecord, sequence: int | None = None) -> str:
    return f"record {sequence or record.sequence} (decision {record.decision_id})"


def changed(record: StoredRecord) -> Problem:
    return Problem(
        record.sequence,
        record.decision_id,
        "changed",
        f"{named(record)} was changed after it was stored: its content does not match its hash",
    )


def test_an_untouched_log_verifies(store: Store, chain: list[StoredRecord]) -> None:
    assert verify(store) == ()


def test_a_changed_input_is_named(store: Store, chain: list[StoredRecord]) -> None:
    store.drop_protection()
    changed_input = json.loads(json_text(chain[1].input))
    changed_input["submission"]["project"]["budget_thb"] = 4_900_000
    store.sql(f"UPDATE {TABLE} SET input = ? WHERE sequence = 2", (json_text(changed_input),))
    assert verify(store) == (changed(chain[1]),)


def test_a_changed_verdict_is_named(store: Store, chain: list[StoredRecord]) -> None:
    store.drop_protection()
    verdict = {**chain[3].verdict, "verdict": "fail"}
    store.sql(f"UPDATE {TABLE} SET verdict = ?, outcome = 'fail' WHERE sequence = 4", (json_text(verdict),))
    assert verify(store) == (changed(chain[3]),)


def test_a_changed_query_column_is_named(store: Store, chain: list[StoredRecord]) -> None:
    # Hiding a record from a filter by editing a column alone is a change too.
    store.drop_protection()
    store.sql(f"UPDATE {TABLE} SET province = 'TH-12', budget_thb = '2999999.99' WHERE sequence = 5")
    assert verify(store) == (changed(chain[4]),)


def test_a_removed_record_is_named(store: Store, chain: list[StoredRecord]) -> None:
    store.drop_protection()
    store.sql(f"DELETE FROM {TABLE} WHERE sequence = 3")
    assert verify(store) == (
        Problem(
            3,
            None,
            "removed",
            f"record 3 is missing after {named(chain[1])} before {named(chain[3])}: removed from the log",
        ),
    )


def test_a_record_removed_from_the_end_is_named(store: Store, chain: list[StoredRecord]) -> None:
    store.drop_protection()
    store.sql(f"DELETE FROM {TABLE} WHERE sequence = 5")
    assert verify(store) == (
        Problem(
            5,
            None,
            "removed",
            "record 5 is missing at the end of the log: the chain head says the log holds 5 records",
        ),
    )


PLACE = "its link to the record before it puts it at place"


def test_swapped_records_are_named(store: Store, chain: list[StoredRecord]) -> None:
    store.drop_protection()
    store.sql(f"UPDATE {TABLE} SET sequence = 1000 WHERE sequence = 2")
    store.sql(f"UPDATE {TABLE} SET sequence = 2 WHERE sequence = 3")
    store.sql(f"UPDATE {TABLE} SET sequence = 3 WHERE sequence = 1000")
    assert verify(store) == (
        Problem(
            2,
            chain[2].decision_id,
            "reordered",
            f"{named(chain[2], 2)} is out of place: {PLACE} 3 of the chain",
        ),
        Problem(
            3,
            chain[1].decision_id,
            "reordered",
            f"{named(chain[1], 3)} is out of place: {PLACE} 2 of the chain",
        ),
    )


def test_several_tamperings_are_all_named(store: Store, chain: list[StoredRecord]) -> None:
    store.drop_protection()
    store.sql(f"DELETE FROM {TABLE} WHERE sequence = 2")
    store.sql(f"UPDATE {TABLE} SET engine = 'opa 1.0.0' WHERE sequence = 4")
    assert [(p.sequence, p.decision_id, p.kind) for p in verify(store)] == [
        (2, None, "removed"),
        (4, chain[3].decision_id, "changed"),
    ]


def test_appending_goes_on_after_a_removal_and_the_gap_stays_visible(
    store: Store, chain: list[StoredRecord]
) -> None:
    store.drop_protection()
    store.sql(f"DELETE FROM {TABLE} WHERE sequence = 5")
    log = store.open()
    try:
        assert log.append(Sample(6).record()).sequence == 6
        assert [(p.sequence, p.kind) for p in log.verify().problems] == [(5, "removed")]
    finally:
        log.close()
