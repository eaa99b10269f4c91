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
from ictgate.audit.decisionlog import DecisionRecord, StoredRecord
from ictgate.audit.decisionlog.base import DuplicateDecision
from ictgate.audit.decisionlog.group_commit import GroupCommit
from ictgate.audit.decisionlog.postgres import PostgresDecisionLog
from ictgate.audit.decisionlog.sqlite import SQLiteDecisionLog
from ictgate.core.errors import DecisionLogUnavailable

from tests.support.decisionlog_samples import burst_record
from tests.support.decisionlog_store import Store

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


def test_a_failing_storage_fails_the_whole_batch_at_once(store: Store) -> None:
    # Not retried one by one: behind a lock that times out, the last of 64 appends would
    # otherwise wait 64 timeouts.
    log = store.open()
    try:
        followers = [burst_record() for _ in range(FOLLOWERS)]
        calls, outcomes = run_held_batch(
            log,
            followers,
            fail_on_call=lambda call: DecisionLogUnavailable("disk full") if call > 1 else None,
        )
    finally:
        log.close()
    assert calls == [1, FOLLOWERS]
    errors = [outcomes[record.decision_id] for record in followers]
    assert [(type(error), str(error)) for error in errors] == [
        (DecisionLogUnavailable, "disk full")
    ] * FOLLOWERS
    assert len({id(error) for error in errors}) == FOLLOWERS  # each caller raises its own
    assert len(chain_ids(store)) == 1


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def test_a_follower_returns_once_its_batch_is_written_not_after_later_ones(store: Store) -> None:
    # Batch 1 (one append) is held while three followers queue; batch 2 (theirs) is held while
    # a fourth append queues; batch 3 (the fourth) is held: the three must have returned by then.
    log = store.open()
    assert isinstance(log, SQLiteDecisionLog | PostgresDecisionLog)  # whose _write_batch is called here
    calls: list[int] = []
    release = [threading.Event() for _ in range(3)]
    returned: set[str] = set()

    def write(records: Sequence[DecisionRecord]) -> list[StoredRecord]:
        calls.append(len(records))
        release[len(calls) - 1].wait(timeout=30)
        written: list[StoredRecord] = log._write_batch(records)
        return written

    group = GroupCommit(write)

    def append(record: DecisionRecord) -> None:
        group.append(record)
        returned.add(record.decision_id)

    followers = [burst_record() for _ in range(3)]
    threads = [threading.Thread(target=append, args=(burst_record(),))]
    try:
        threads[0].start()
        assert wait_for(lambda: calls == [1])
        threads += [threading.Thread(target=append, args=(record,)) for record in followers]
        for thread in threads[1:]:
            thread.start()
        assert wait_for(lambda: len(group._waiting) == 3)
        release[0].set()
        assert wait_for(lambda: calls == [1, 3])
        threads.append(threading.Thread(target=append, args=(burst_record(),)))
        threads[-1].start()
        assert wait_for(lambda: len(group._waiting) == 1)
        release[1].set()
        assert wait_for(lambda: calls == [1, 3, 1])
        # Batch 3 is still being written; the followers of batch 2 are back already.
        assert wait_for(lambda: {record.decision_id for record in followers} <= returned, seconds=5)
        assert not release[2].is_set()
    finally:
        for event in release:
            event.set()
        for thread in threads:
            thread.join(timeout=30)
        log.close()
    assert len(returned) == 5 and len(chain_ids(store)) == 5


def test_max_batch_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_batch must be at least 1, not 0"):
        GroupCommit(lambda records: [], max_batch=0)


@pytest.mark.parametrize("size", [1, 3])
def test_a_batch_is_at_most_max_batch_records(store: Store, size: int) -> None:
    log = store.open()
    assert isinstance(log, SQLiteDecisionLog | PostgresDecisionLog)  # whose _write_batch is called here
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
