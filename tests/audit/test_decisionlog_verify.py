"""verify_chain on chains built in memory: every kind of problem, named exactly."""

from __future__ import annotations

import dataclasses

from ictgate.audit.decisionlog import GENESIS_HASH, ChainHead, Problem, StoredRecord, seal, verify_chain
from ictgate.audit.decisionlog.verify import ChainEntry

from tests.support.decisionlog_samples import Sample, decision_id


def chain(length: int) -> list[StoredRecord]:
    records: list[StoredRecord] = []
    prev = GENESIS_HASH
    for number in range(1, length + 1):
        records.append(seal(Sample(number).record(), number, prev))
        prev = records[-1].hash
    return records


def entries(records: list[StoredRecord]) -> list[ChainEntry]:
    return [ChainEntry.of(record) for record in records]


def head(records: list[StoredRecord]) -> ChainHead:
    return ChainHead(records[-1].sequence, records[-1].hash)


def name(number: int, sequence: int | None = None) -> str:
    return f"record {sequence or number} (decision {decision_id(number)})"


def test_an_intact_chain_has_no_problem() -> None:
    records = chain(5)
    report = verify_chain(entries(records), head(records))
    assert (report.ok, report.records, report.problems) == (True, 5, ())
    assert verify_chain([], ChainHead(0, GENESIS_HASH)).ok


def test_a_changed_record_is_named() -> None:
    records = chain(4)
    tampered = dataclasses.replace(records[1], verdict={**records[1].verdict, "verdict": "fail"})
    report = verify_chain(entries([records[0], tampered, *records[2:]]), head(records))
    assert report.problems == (
        Problem(
            2,
            decision_id(2),
            "changed",
            f"{name(2)} was changed after it was stored: its content does not match its hash",
        ),
    )
    assert not report.ok


def test_a_removed_record_is_named_by_its_place() -> None:
    records = chain(5)
    report = verify_chain(entries([*records[:2], *records[3:]]), head(records))
    assert report.problems == (
        Problem(
            3, None, "removed", f"record 3 is missing after {name(2)} before {name(4)}: removed from the log"
        ),
    )
    first = verify_chain(entries(records[2:]), head(records))
    assert first.problems == (
        Problem(
            1,
            None,
            "removed",
            f"records 1–2 are missing at the start of the log, before {name(3)}: removed from the log",
        ),
    )


def test_records_removed_from_the_end_are_found_through_the_chain_head() -> None:
    records = chain(5)
    report = verify_chain(entries(records[:3]), head(records))
    assert report.problems == (
        Problem(
            4,
            None,
            "removed",
            "records 4–5 are missing at the end of the log: the chain head says the log holds 5 records",
        ),
    )


def test_a_record_added_past_the_head_is_named() -> None:
    records = chain(4)
    report = verify_chain(entries(records), ChainHead(3, records[2].hash))
    assert [(p.sequence, p.decision_id, p.kind) for p in report.problems] == [(4, decision_id(4), "inserted")]


def test_swapped_records_are_both_named_as_reordered_and_nothing_else() -> None:
    records = chain(4)
    swapped = [
        records[0],
        dataclasses.replace(records[2], sequence=2),
        dataclasses.replace(records[1], sequence=3),
        records[3],
    ]
    report = verify_chain(entries(swapped), head(records))
    assert report.problems == (
        Problem(
            2,
            decision_id(3),
            "reordered",
            f"{name(3, 2)} is out of place: its link to the record before it puts it at place 3 of the chain",
        ),
        Problem(
            3,
            decision_id(2),
            "reordered",
            f"{name(2, 3)} is out of place: its link to the record before it puts it at place 2 of the chain",
        ),
    )


def test_a_record_rewritten_with_a_new_hash_breaks_the_next_link() -> None:
    records = chain(4)
    rewritten = seal(dataclasses.replace(records[1].unsealed(), outcome="fail"), 2, records[0].hash)
    report = verify_chain(entries([records[0], rewritten, *records[2:]]), head(records))
    assert [(p.sequence, p.kind) for p in report.problems] == [(3, "broken_link")]
    last = seal(dataclasses.replace(records[3].unsealed(), outcome="fail"), 4, records[2].hash)
    report = verify_chain(entries([*records[:3], last]), head(records))
    assert [(p.sequence, p.kind) for p in report.problems] == [(4, "changed")]
    assert "rewritten and its hash recomputed" in report.problems[0].message


def test_two_records_linking_to_one_are_a_fork() -> None:
    records = chain(3)
    fork = seal(Sample(9).record(), 4, records[1].hash)
    report = verify_chain(entries([*records, fork]), ChainHead(4, fork.hash))
    assert report.problems == (
        Problem(
            4,
            decision_id(9),
            "forked",
            f"{name(9, 4)} links to the same record as record 3: two records claim one place in the chain",
        ),
    )


def test_a_missing_head_and_a_loop_are_reported() -> None:
    records = chain(2)
    assert [(p.sequence, p.kind) for p in verify_chain(entries(records), None).problems] == [
        (0, "head_missing")
    ]
    first = dataclasses.replace(entries(records)[0], prev_hash=records[1].hash)
    report = verify_chain([first, entries(records)[1]], head(records))
    assert [(p.sequence, p.kind) for p in report.problems] == [(1, "broken_link"), (2, "broken_link")]
