"""Group commit: appends waiting together share one transaction, yet each gets its own outcome.

The batches are made deterministic by holding the first writer inside its
transaction until the other appends are waiting behind it; the writes are
the real backends' (SQLite and PostgreSQL), so the chain is checked for real.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from service.decisionlog import DecisionRecord, StoredRecord
from service.decisionlog.base import DuplicateDecision
from service.decisionlog.group_commit import GroupCommit
from service.errors import DecisionLogUnavailable

from .decisionlog_samples import burst_record
from .decisionlog_store import Store

FOLLOWERS = 4


def run_held_batch(
    log: Any,
    followers: list[DecisionRecord],
    fail_on_call: Callable[[int], BaseException | None] = lambda _: None,
) -> tuple[list[int], dict[str, StoredRecord | BaseException]]:
    """One append held in its transaction while ``followers`` queue behind it; then all are let go.

    Returns the size of each batch written and, by decision id, each append's record or error.
    """
    calls: list[int] = []
    release = threading.Event()

    def write(records: Sequence[DecisionRecord]) -> list[StoredRecord]:
        calls.append(len(records))
        if len(calls) == 1:
            release.wait(timeout=30)
        failure = fail_on_call(len(calls))
        if failure is not None:
            raise failure
        written: list[StoredRecord] = log._write_batch(records)
        return written

    group = GroupCommit(write)
    outcomes: dict[str, StoredRecord | BaseException] = {}

    def append(record: DecisionRecord) -> None:
        try:
            outcomes[record.decision_id] = group.append(record)
        except BaseException as error:  # collected for the test's thread
            outcomes[record.decision_id] = error

    first = burst_record()
    threads = [threading.Thread(target=append, args=(first,))]
    threads[0].start()
    while not calls:
        time.sleep(0.001)
    threads += [threading.Thread(target=append, args=(record,)) for record in followers]
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 30
    while len(group._waiting) < len(followers) and time.monotonic() < deadline:
        time.sleep(0.001)
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    return calls, outcomes


def chain_ids(store: Store) -> list[str]:
    log = store.open()
    try:
        report = log.verify()
        assert (report.ok, report.problems) == (True, ())
        return [record.decision_id for record in log.iter()]
    finally:
        log.close()


def test_appends_waiting_together_are_written_in_one_transaction(store: Store) -> None:
    log = store.open()
    try:
        followers = [burst_record() for _ in range(FOLLOWERS)]
        calls, outcomes = run_held_batch(log, followers)
    finally:
        log.close()
    assert calls == [1, FOLLOWERS]
    stored = [outcome for outcome in outcomes.values() if isinstance(outcome, StoredRecord)]
    assert len(stored) == 1 + FOLLOWERS
    # Each caller got its own record back, and the batch extended the chain in arrival order.
    assert all(outcomes[record.decision_id] is record for record in stored)
    assert chain_ids(store)[1:] == [record.decision_id for record in followers]
    assert sorted(record.sequence for record in stored) == [1, 2, 3, 4, 5]


def test_a_refused_record_fails_only_its_own_append(store: Store) -> None:
    log = store.open()
    try:
        already = log.append(burst_record())
        duplicate = dataclasses.replace(burst_record(), decision_id=already.decision_id)
        followers = [burst_record(), duplicate, burst_record(), burst_record()]
        calls, outcomes = run_held_batch(log, followers)
    finally:
        log.close()
    # The batch of four failed on the duplicate; each was then written on its own.
    assert calls == [1, 4, 1, 1, 1, 1]
    assert isinstance(outcomes[already.decision_id], DuplicateDecision)
    others = [record.decision_id for record in followers if record is not duplicate]
    assert all(isinstance(outcomes[decision_id], StoredRecord) for decision_id in others)
    assert chain_ids(store)[2:] == others


def test_an_interrupted_batch_leaves_no_append_waiting_and_stores_nothing_of_it(store: Store) -> None:
    log = store.open()
    try:
        followers = [burst_record() for _ in range(FOLLOWERS)]
        calls, outcomes = run_held_batch(
            log, followers, fail_on_call=lambda call: KeyboardInterrupt() if call == 2 else None
        )
    finally:
        log.close()
    assert calls == [1, FOLLOWERS]
    errors = [outcomes[record.decision_id] for record in followers]
    # The follower that led the batch sees the interruption; the others a clear error, not a hang.
    assert sorted(type(error).__name__ for error in errors) == ["DecisionLogUnavailable"] * 3 + [
        "KeyboardInterrupt"
    ]
    assert all("interrupted" in str(error) for error in errors if isinstance(error, DecisionLogUnavailable))
    assert len(chain_ids(store)) == 1


def test_a_failing_disk_fails_each_append_with_its_own_error(store: Store) -> None:
    log = store.open()
    try:
        followers = [burst_record() for _ in range(FOLLOWERS)]
        calls, outcomes = run_held_batch(
            log,
            followers,
            fail_on_call=lambda call: (
                DecisionLogUnavailable(f"disk full (write {call})") if call > 1 else None
            ),
        )
    finally:
        log.close()
    assert calls == [1, FOLLOWERS, 1, 1, 1, 1]
    errors = [outcomes[record.decision_id] for record in followers]
    assert sorted(str(error) for error in errors) == [f"disk full (write {call})" for call in (3, 4, 5, 6)]
    assert len({id(error) for error in errors}) == FOLLOWERS
    assert len(chain_ids(store)) == 1


@pytest.mark.parametrize("size", [1, 3])
def test_a_batch_is_at_most_max_batch_records(store: Store, size: int) -> None:
    log = store.open()
    calls: list[int] = []

    def write(records: Sequence[DecisionRecord]) -> list[StoredRecord]:
        calls.append(len(records))
        written: list[StoredRecord] = log._write_batch(records)
        return written

    group = GroupCommit(write, max_batch=size)
    try:
        records = [burst_record() for _ in range(7)]
        threads = [threading.Thread(target=group.append, args=(record,)) for record in records]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        log.close()
    assert sum(calls) == 7
    assert max(calls) <= size
    assert len(chain_ids(store)) == 7
